"""Reading a source text in full, scrolled to and highlighting a cited passage."""

from flask import Blueprint

bp = Blueprint("reader", __name__, url_prefix="/sources")

# Imported by the app factory, not here: a plain module of this package must import without its views.
VIEW_MODULES = ("routes",)
