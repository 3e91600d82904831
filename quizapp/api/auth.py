"""Who is calling the API, and the JSON shape of its errors."""

from __future__ import annotations

import json
from functools import wraps

from flask import jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from quizapp.api import bp
from quizapp.api.tokens import user_for_token
from quizapp.extensions import csrf, db, login_manager
from quizapp.http import View, error_headers

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Token requests carry no cookie, so forged cross-site requests cannot use them; session requests
# are checked below against the X-CSRFToken header instead of the global form check.
csrf.exempt(bp)


@bp.before_request
def _authenticate() -> None:
    # HTTP's scheme names are case-insensitive: clients send "bearer" as well as "Bearer".
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        # A token was sent: it alone decides who is calling, whatever cookie came along.
        user = user_for_token(db.session, credentials.strip())
        if user is None:
            raise ApiError(401, "The API token is unknown or revoked.")
        # Flask-Login's own hook for a per-request user: nothing is written to the session.
        login_manager._update_request_context_with_user(user)
        return
    # Only a logged-in session can be misused by a forged request; without one, the view answers 401.
    if request.method not in _SAFE_METHODS and current_user.is_authenticated:
        csrf.protect()


@bp.after_request
def _not_stored(response):
    # Answers are one account's own (its quizzes with their keys, a gradebook with e-mail addresses): no browser
    # or proxy cache may keep them for whoever uses it next.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def login_required(view: View) -> View:
    """401 in JSON, not a redirect to the login page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            raise ApiError(401, "Log in, or send a personal API token as 'Authorization: Bearer <token>'.")
        return view(*args, **kwargs)

    return wrapped


class ApiError(Exception):
    """An error answered as {"error": {"status", "message", "fields"}}."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields or {}


@bp.errorhandler(ApiError)
def _api_error(error: ApiError, headers: list[tuple[str, str]] | None = None):
    body = {"status": error.status, "message": error.message}
    if error.fields:
        body["fields"] = error.fields
    response = jsonify(error=body)
    response.headers.extend(headers or [])
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="quizapp"'
    return response, error.status


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError):
    return _api_error(ApiError(400, f"CSRF check failed: {error.description} Send the page's token as X-CSRFToken."))


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return _api_error(ApiError(error.code or 500, error.description or error.name), error_headers(error))


def json_body() -> dict:
    """The request's JSON object; a 415 for a body of another type, a 400 for JSON that is not an object."""
    if not request.is_json and (request.content_length or request.mimetype):
        sent = request.mimetype or "no Content-Type"
        raise ApiError(415, f"Send the body as JSON with Content-Type: application/json (it came as {sent}).")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, _unreadable_reason())
    if not isinstance(data, dict):
        raise ApiError(400, f"Send a JSON object ({{...}}), not {_JSON_KINDS.get(type(data), 'a value')}.")
    try:
        # JSON may spell half of a UTF-16 pair ("\ud800"); such text cannot be stored or shown later.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(400, "The JSON holds text that is not valid Unicode (an unpaired surrogate).") from None
    return data


_JSON_KINDS = {list: "an array", str: "a string", bool: "true or false", int: "a number", float: "a number"}


def _unreadable_reason() -> str:
    """Why the body gave no JSON value: a script sent it as JSON, so "send JSON" alone would not help it."""
    body = request.get_data(cache=True)
    if not body.strip():
        return "Send a JSON object with Content-Type: application/json (the body was empty)."
    try:
        json.loads(body)
    except UnicodeDecodeError:
        return "The body is not valid JSON: it is not UTF-8 text."
    except json.JSONDecodeError as error:
        return f"The body is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
    except ValueError:  # Python refuses to read integers of more than 4,300 digits
        return "The body is not valid JSON this server can read: a number in it has too many digits."
    return "Send a JSON object ({...}), not null."
