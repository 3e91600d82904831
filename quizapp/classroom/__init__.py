"""Classes: instructors run them and set assignments; students join with a code and do the work."""

from flask import Blueprint

bp = Blueprint("classroom", __name__, url_prefix="/classes")

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("assignment_routes", "invitation_routes", "results_routes", "routes", "staff_routes")
