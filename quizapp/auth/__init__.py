"""Accounts: sign-up by email, login and logout, password change and reset, personal API tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("account_routes", "email_routes", "routes")
