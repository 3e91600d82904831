"""What a user sees when a request fails on the server: a page of the app's own, never the server's bare one, and
a 503 that asks to send it again when the database was too busy to take it in time."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, render_template, request
from markupsafe import escape
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import InternalServerError

from quizapp.extensions import db
from quizapp.http import own_page

# PostgreSQL's serialization failure, deadlock and lock timeout: the same request may well succeed again.
_BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
RETRY_AFTER_SECONDS = 10
_BUSY_TITLE = "Busy: try again"
_FAILED_TITLE = "Something went wrong"


def database_busy(error: BaseException | None) -> bool:
    """Whether an error means the database could not take the request in time (another write held it), so that
    the same request, sent again a little later, may succeed."""
    if isinstance(error, PoolTimeout):  # every pooled connection stayed in use
        return True
    if isinstance(error, DBAPIError):
        error = error.orig
    # SQLite past its busy timeout; the quick answer path raises the driver's error without SQLAlchemy's wrapper.
    if getattr(error, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    return getattr(error, "sqlstate", None) in _BUSY_SQLSTATES


def for_api() -> bool:
    """Whether the request went to the JSON API, whose callers are scripts: no page, no Back button."""
    return request.path.startswith("/api/")


def _failure_message(busy: bool) -> str:
    sent = request.method not in ("GET", "HEAD")
    if for_api():
        if busy:
            return ("The server was too busy to take this request just now, so nothing was saved. Send it again "
                    "after the seconds that Retry-After gives.")
        return ("The server failed to handle this request" + (", and it may not have been saved" if sent else "")
                + ". Try again in a moment; if it fails again, tell the site's administrator.")
    if busy and sent:
        return ("The server was too busy to save this just now, so nothing you sent was saved. Go back with your "
                "browser's Back button and send it again in a moment.")
    if busy:
        return "The server is too busy to show this page just now. Reload it in a moment."
    if sent:
        return ("The server failed to handle what you sent, and it may not have been saved. Go back with your "
                "browser's Back button and try again; if it fails again, tell your instructor.")
    return "The server failed to show this page. Try again in a moment; if it fails again, tell your instructor."


def error_response(code: int, title: str, message: str, headers: Any = ()) -> tuple[Any, int, Any]:
    """An error as JSON under /api, and as the app's own error page everywhere else."""
    if for_api():
        # The API blueprint's no-store hook does not run for an address that matches none of its routes.
        listed = list(headers.items()) if isinstance(headers, dict) else list(headers)
        return jsonify(error={"status": code, "message": message}), code, [*listed, ("Cache-Control", "no-store")]
    return render_template("error.html", code=code, title=title, message=message, form_page=_form_page()), code, headers


def _form_page() -> str | None:
    """The page of this site whose form was sent, for a link back to it (the error page shows another address)."""
    return None if request.method in ("GET", "HEAD") else same_site_referrer()


def same_site_referrer() -> str | None:
    """The page the request came from, when it is one of this site's that a browser can open again; else None.

    A form refused and shown again stands at the address it was sent to, such as /classes/1/instructors, which
    takes no GET: a link back there would open a "method not allowed" page instead of the form."""
    referrer = urlsplit(request.referrer or "")
    if referrer.scheme not in ("http", "https") or referrer.netloc != request.host:
        return None
    page = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return request.referrer if own_page(page) else None


def _server_failure(error: InternalServerError):
    """A 500 in the app's own layout (JSON under /api), or a 503 with Retry-After when the database was busy."""
    busy = database_busy(error.original_exception)
    code, title = (503, _BUSY_TITLE) if busy else (500, _FAILED_TITLE)
    message = _failure_message(busy)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if busy else {}
    try:
        # A failed flush leaves the session unusable, and the page reads the login through it.
        db.session.rollback()
        return error_response(code, title, message, headers)
    except Exception:  # the database may not even answer the login's query: a page that needs nothing
        current_app.logger.exception("the error page could not be shown")
        page = (f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{title} · quizapp</title>'
                f'<h1>{title}</h1><p>{escape(message)}</p>'
                f'<p><a href="{escape(request.script_root)}/">Back to the banks</a></p></html>')
    return page, code, headers


def register_failure_pages(app: Flask) -> None:
    """Answer an unhandled error with the app's own page (or JSON under /api) instead of the server's bare one."""
    app.register_error_handler(InternalServerError, _server_failure)
