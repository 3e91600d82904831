"""Request-level wiring shared by every page: login loading, template helpers, error pages, headers."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, flash, g, redirect, request, url_for
from flask import session as cookie_session
from flask_login import COOKIE_NAME, current_user, login_url, user_loaded_from_cookie, user_logged_in, user_logged_out
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape

from quizapp.api.auth import ApiError
from quizapp.classroom.codes import display_code
from quizapp.content.markdown import render_inline, render_markdown
from quizapp.extensions import db, login_manager
from quizapp.failures import error_response, for_api, register_failure_pages, same_site_referrer
from quizapp.figures import correlation_text, percent_text
from quizapp.form_helpers import form_problems, hidden_fields
from quizapp.http import error_headers
from quizapp.input_guard import register_input_guard
from quizapp.models import User
from quizapp.models.user import parse_session_id
from quizapp.progress.stats import question_text
from quizapp.quiz.deadlines import GRACE, due_soon_text, duration_text, seconds_left
from quizapp.quiz.forms import answer_errors
from quizapp.quiz.present import cloze_blanks, score_text
from quizapp.signing import SignedCookieSessions, renew_csrf_token
from quizapp.srs.days import day_start_label, user_time
from quizapp.timezones import clock_time

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = (("Content-Security-Policy", _CSP), ("X-Content-Type-Options", "nosniff"),
                     ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"))


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    login = parse_session_id(session_id)
    if login is None:
        return None
    preloaded = g.pop("preloaded_login", None)
    user = preloaded if preloaded is not None and preloaded.id == login[0] else db.session.get(User, login[0])
    # Deactivating raises the session version too; is_active is checked all the same, as Flask-Login expects.
    return user if user is not None and user.session_version == login[1] and user.is_active else None


def preload_login(user: User) -> None:
    """Hand Flask-Login an account that a page's own query already read with the session's login, so that
    loading the login (with its session protection and signals) costs no query of its own."""
    g.preloaded_login = user


def register_web_helpers(app: Flask) -> None:
    """Cookie sessions, template filters, error handlers and security headers."""
    app.session_interface = SignedCookieSessions()
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.unauthorized_handler(_ask_to_log_in)
    # A token seen before a login or logout (in a planted session cookie, or by whoever used the browser before)
    # must not be accepted after it: every login_user and logout_user starts a new one.
    user_logged_in.connect(renew_csrf_token, app)
    user_logged_out.connect(renew_csrf_token, app)
    user_logged_in.connect(_note_temporary_password, app)
    user_loaded_from_cookie.connect(_note_temporary_password, app)
    app.before_request(_own_password_first)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["markdown_inline"] = render_inline
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.filters["day_start"] = day_start_label
    app.jinja_env.filters["join_code"] = display_code
    app.jinja_env.filters["cloze_blanks"] = cloze_blanks
    app.jinja_env.filters["question_text"] = question_text
    app.jinja_env.filters["score"] = score_text
    app.jinja_env.filters["percent"] = percent_text
    app.jinja_env.filters["correlation"] = correlation_text
    app.jinja_env.filters["email_breaks"] = email_breaks
    app.jinja_env.filters["duration"] = duration_text
    app.jinja_env.tests["unbroken_run"] = has_unbroken_run
    app.jinja_env.globals["answer_errors"] = answer_errors
    app.jinja_env.globals["form_problems"] = form_problems
    app.jinja_env.globals["hidden_fields"] = hidden_fields
    app.jinja_env.globals["seconds_left"] = seconds_left
    app.jinja_env.globals["due_soon"] = due_soon_text
    app.jinja_env.globals["grace_seconds"] = int(GRACE.total_seconds())
    register_input_guard(app)

    @app.after_request
    def _security_headers(response):
        # A view's own value stands. Asked header by header, werkzeug raises and catches an exception for
        # each one missing, which cost more than the rest of this hook.
        present = {name.lower() for name, _ in response.headers.items()}
        for name, value in _SECURITY_HEADERS:
            if name.lower() not in present:
                response.headers.add(name, value)
        if "cache-control" not in present and _for_an_account():
            # A page of one account (answer keys, a gradebook) must not come back from the browser's cache or its
            # back button once that person has logged out on a shared computer.
            response.headers.add("Cache-Control", "no-store")
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return error_response(400, "Form expired", "The form had expired or was sent from elsewhere. "
                                                   "Go back, reload the page and try again.")

    @app.errorhandler(429)
    def _too_many(error):
        return error_response(429, "Slow down", error.description or "Too many requests. Wait a little and try again.")

    @app.errorhandler(413)
    def _too_large(error):
        # In MB of 1024 x 1024 bytes, as the limit is set and as the upload form and the API document state it
        # ("up to 5 MB"): in millions of bytes the same limit read "5.24 MB".
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        taken = f"What you sent is larger than the {limit / 2**20:.3g} MB this server takes, so nothing was saved."
        if for_api():
            return error_response(413, "Too large", f"{taken} Send a smaller body.")
        return error_response(413, "Too large", f"{taken} Go back and send a smaller file (a large bank can be "
                                                "split into several).")

    for code, title, message in (
        (400, "Bad request", "The request could not be read. Go back, reload the page and try again."),
        (403, "Not allowed", "You do not have access to this page."),
        (404, "Not found", "There is nothing at this address."),
        (405, "Not allowed", "That action is not available here."),
    ):
        app.register_error_handler(code, _error_page(code, title, message))
    register_failure_pages(app)


# The session's note that its account logged in with a temporary password (see _own_password_first).
MUST_CHANGE = "must_change_password"
# What someone with a temporary password may still reach: the page to change it, logging out, and files.
_BEFORE_OWN_PASSWORD = frozenset({"auth.password", "auth.logout", "static", "main.favicon", "health.healthz",
                                  "api.openapi"})


def _note_temporary_password(_app: Flask, user: User, **_extra: object) -> None:
    """At each login (by the form or a remember-me cookie), note in the session whether the account must choose
    its own password, so that other sessions' pages need not read the account to know."""
    if user.must_change_password:
        cookie_session[MUST_CHANGE] = True
    else:
        cookie_session.pop(MUST_CHANGE, None)


def _own_password_first():
    """Send an account logged in with a temporary password to choose its own before any other page.

    The mark is only ever set on an account with no session (handing out a password ends them all, and a new
    account has none), so a login starts every session that can carry it and notes it: pages of other sessions,
    such as a quiz's, which reads the login with its own query, cost nothing more."""
    if request.endpoint in _BEFORE_OWN_PASSWORD:
        return None
    if not cookie_session.get(MUST_CHANGE):
        remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
        if "_user_id" in cookie_session or remember_cookie not in request.cookies:
            return None
        # A browser opened again logs in from its remember-me cookie when the login is first read, which notes
        # the mark: read it now, before the page.
        _ = current_user.is_authenticated
        if not cookie_session.get(MUST_CHANGE):
            return None
    scheme = request.headers.get("Authorization", "").partition(" ")[0]
    if request.blueprint == "api" and scheme.lower() == "bearer":
        return None  # a token acts for its owner, who made it: it is not the temporary password
    if not current_user.is_authenticated or not current_user.must_change_password:
        cookie_session.pop(MUST_CHANGE, None)  # logged out, or changed it in this session
        return None
    if request.blueprint == "api":
        raise ApiError(403, "Choose your own password first, on the page /auth/password.")
    flash("Your password is a temporary one: choose your own to go on.", "info")
    return redirect(url_for("auth.password"))


def _for_an_account() -> bool:
    """Whether the response was made for a logged-in account: Flask-Login keeps the user it loaded in `g`, and a
    request that never asked (a static file) is nobody's."""
    user = g.get("_login_user")
    return user is not None and user.is_authenticated


def _ask_to_log_in():
    """Send a visitor who must log in to the login page, which brings them back where they were."""
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=return_address()))


def return_address() -> str:
    """The page to come back to after logging in: the one asked for or, for a form sent, the page it was on.

    Logging in cannot send the form again, and following a form's own address after it (such as /classes/new)
    would only show that it takes no GET."""
    if request.method in ("GET", "HEAD"):
        return request.url
    if referrer := same_site_referrer():
        return referrer
    adapter = current_app.create_url_adapter(request)
    if adapter is not None and adapter.test(request.path, "GET"):
        return request.url
    return url_for("main.index")


# Longer than any word of the texts ("Constitutional" is 14): a run this long is a pasted address or a held key.
_UNBROKEN_RUN = 30


def email_breaks(address: str) -> Markup:
    """An email address that a narrow column may break after its @ and before each dot of its domain."""
    # On a printed slip "…@schoo / l-nomer-45.edu.kz" reads as two addresses; "…@ / school-nomer-45.edu.kz" does not.
    local, at, domain = address.rpartition("@")
    if not at:
        return escape(address)
    return escape(local) + Markup("@<wbr>") + Markup("<wbr>.").join(escape(part) for part in domain.split("."))


def has_unbroken_run(text: object) -> bool:
    """Whether text (or one of a list of texts) holds a run without spaces too long for a table column: only such
    a cell may break it anywhere, so that words elsewhere keep whole."""
    texts = [text] if isinstance(text, str) else text if isinstance(text, list) else []
    return any(len(run) > _UNBROKEN_RUN for item in texts if isinstance(item, str) for run in item.split())


def local_time(moment: datetime, user: User) -> str:
    """A moment as the user reads it: date and time in their own time zone."""
    shown = user_time(moment, user)
    return f"{shown:%Y-%m-%d} {clock_time(shown)}"


def local_date(moment: datetime, user: User) -> str:
    """The date of a moment as the user reads it, in their own time zone."""
    return user_time(moment, user).strftime("%Y-%m-%d")


def _error_page(code: int, title: str, message: str):
    def handler(error):
        # A refusal that says why (abort(400, description=...)) is shown as such; the default texts are not.
        said = getattr(error, "description", None)
        text = said if said and said != type(error).description else message
        return error_response(code, title, text, error_headers(error))

    return handler
