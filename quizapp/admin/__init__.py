"""Account administration."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("routes", "account_routes")
