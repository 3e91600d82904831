"""What a user sees when a request fails on the server: a page of the app's own, never the server's bare one."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from markupsafe import escape
from werkzeug.exceptions import InternalServerError

from quizapp.extensions import db

_FAILED_TITLE = "Something went wrong"


def _failure_message() -> str:
    if request.method not in ("GET", "HEAD"):
        return ("The server failed to handle what you sent, and it may not have been saved. Go back with your "
                "browser's Back button and try again; if it fails again, tell your instructor.")
    return "The server failed to show this page. Try again in a moment; if it fails again, tell your instructor."


def _server_failure(error: InternalServerError):
    """A 500 in the app's own layout, or in JSON under /api."""
    code, title, message = 500, _FAILED_TITLE, _failure_message()
    if request.path.startswith("/api/"):
        return jsonify(error={"status": code, "message": message}), code
    try:
        # A failed flush leaves the session unusable, and the page reads the login through it.
        db.session.rollback()
        page = render_template("error.html", code=code, title=title, message=message)
    except Exception:  # the database may not even answer the login's query: a page that needs nothing
        current_app.logger.exception("the error page could not be shown")
        page = (f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{title} · quizapp</title>'
                f'<h1>{title}</h1><p>{escape(message)}</p>'
                f'<p><a href="{escape(request.script_root)}/">Back to the banks</a></p></html>')
    return page, code


def register_failure_pages(app: Flask) -> None:
    """Answer an unhandled error with the app's own page (or JSON under /api) instead of the server's bare one."""
    app.register_error_handler(InternalServerError, _server_failure)
