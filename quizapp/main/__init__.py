"""The home page: banks, topics and the quiz start form."""

from flask import Blueprint

bp = Blueprint("main", __name__)

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("routes",)
