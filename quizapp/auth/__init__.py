"""Registration, login and logout, and personal API tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from quizapp.auth import routes, token_routes  # noqa: E402,F401
