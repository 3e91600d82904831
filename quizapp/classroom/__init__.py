"""Classes: instructors run them and set assignments; students join with a code and do the work."""

from flask import Blueprint

bp = Blueprint("classroom", __name__, url_prefix="/classes")

from quizapp.classroom import assignment_routes, results_routes, routes, staff_routes  # noqa: E402,F401
