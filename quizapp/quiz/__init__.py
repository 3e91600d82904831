"""Taking quizzes: start, answer one question per page, see feedback and results."""

from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/quiz")

from quizapp.quiz import routes  # noqa: E402,F401
