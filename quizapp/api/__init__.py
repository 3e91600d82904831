"""JSON API at /api/v1: browser sessions with a CSRF header, or personal tokens for scripts."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from quizapp.api import auth, routes, study_routes  # noqa: E402,F401
