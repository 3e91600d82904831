"""Instructors' own banks: upload, preview as students see them, publish, delete."""

from flask import Blueprint

bp = Blueprint("authoring", __name__, url_prefix="/banks")

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("routes",)
