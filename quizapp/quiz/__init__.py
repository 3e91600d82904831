"""Taking quizzes: start, answer one question per page, see feedback and results."""

from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/quiz")

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("routes",)
