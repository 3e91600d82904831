"""A student's own record: attempts, accuracy by topic, questions missed most."""

from flask import Blueprint

bp = Blueprint("progress", __name__, url_prefix="/progress")

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("routes",)
