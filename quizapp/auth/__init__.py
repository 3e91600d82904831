"""Accounts: sign-up by email, login and logout, password change and reset, personal API tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from quizapp.auth import email_routes, routes, token_routes  # noqa: E402,F401
