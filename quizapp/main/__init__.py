"""The home page: banks, topics and the quiz start form."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from quizapp.main import routes  # noqa: E402,F401
