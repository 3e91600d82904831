"""Reading a source text in full, scrolled to and highlighting a cited passage."""

from flask import Blueprint

bp = Blueprint("reader", __name__, url_prefix="/sources")

from quizapp.reader import routes  # noqa: E402,F401
