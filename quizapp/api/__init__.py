"""JSON API at /api/v1: browser sessions with a CSRF header, or personal tokens for scripts."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("auth", "routes", "study_routes")
