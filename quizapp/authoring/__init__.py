"""Instructors' own banks: upload, preview as students see them, publish."""

from flask import Blueprint

bp = Blueprint("authoring", __name__, url_prefix="/banks")

from quizapp.authoring import routes  # noqa: E402,F401
