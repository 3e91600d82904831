"""Spaced-repetition study: due cards first, then new ones, scheduled by FSRS."""

from flask import Blueprint

bp = Blueprint("study", __name__, url_prefix="/study")

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("routes",)
