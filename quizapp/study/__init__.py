"""Spaced-repetition study: due cards first, then new ones, scheduled by FSRS."""

from flask import Blueprint

bp = Blueprint("study", __name__, url_prefix="/study")

from quizapp.study import routes  # noqa: E402,F401
