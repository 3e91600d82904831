"""Session cookies and CSRF tokens are judged as Flask and Flask-WTF judge them, however often they are seen."""

from __future__ import annotations

import hashlib
import time

import pytest
from flask import Flask, request, session
from flask_wtf.csrf import generate_csrf, validate_csrf
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from wtforms import ValidationError

from quizapp import signing
from quizapp.extensions import csrf
from quizapp.signing import CSRF_SALT, KeyCachingSigner


@pytest.mark.parametrize("derivation", ["concat", "django-concat", "hmac", "none"])
@pytest.mark.parametrize("digest", [hashlib.sha1, hashlib.sha512])
def test_a_cached_key_is_the_key_itsdangerous_derives(derivation, digest):
    options = {"salt": "a salt", "key_derivation": derivation, "digest_method": digest}
    for secret in ("first secret", b"second secret"):
        expected = TimestampSigner(secret, **options).derive_key()
        assert KeyCachingSigner(secret, **options).derive_key() == expected
        assert KeyCachingSigner(secret, **options).derive_key() == expected  # now from the cache
    other = KeyCachingSigner(["old secret", "new secret"], **options)
    assert other.derive_key() == TimestampSigner("new secret", **options).derive_key()
    assert other.derive_key("old secret") == TimestampSigner("old secret", **options).derive_key()


def _signed_long_ago(app: Flask, token: str, seconds: int) -> str:
    class LongAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds

    return URLSafeTimedSerializer(app.secret_key, salt=CSRF_SALT, signer=LongAgo).dumps(token)


CASES = {
    "valid": lambda app, token: token,
    "missing": lambda app, token: "",
    "tampered": lambda app, token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    "garbage": lambda app, token: "not.a.token",
    "expired": lambda app, token: _signed_long_ago(app, session["csrf_token"], 7200),
    "from the future": lambda app, token: _signed_long_ago(app, session["csrf_token"], -7200),
    "another session's": lambda app, token: _signed_long_ago(app, "f" * 40, 0),
    "another key's": lambda app, token: URLSafeTimedSerializer("other", salt=CSRF_SALT).dumps(session["csrf_token"]),
}


def _verdict(check, data: str) -> str:
    try:
        check(data)
    except ValidationError as error:
        return error.args[0]
    return "accepted"


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("session_token", [True, False])
@pytest.mark.parametrize("time_limit", [None, 3600])  # the app's (tokens last as long as the session), the default
def test_csrf_tokens_get_flask_wtfs_verdict(app, case, session_token, time_limit):
    app.config["WTF_CSRF_TIME_LIMIT"] = time_limit
    with app.test_request_context():
        token = generate_csrf()
        data = CASES[case](app, token)
        if not session_token:
            session.pop("csrf_token")
        expected = _verdict(validate_csrf, data)
        assert _verdict(csrf.check_token, data) == expected
        assert _verdict(csrf.check_token, data) == expected  # a second time, with everything prepared
    timeless = time_limit is None and case in ("expired", "from the future")
    assert (expected == "accepted") == (session_token and (case == "valid" or timeless))


def test_a_form_posted_without_its_token_is_refused_with_the_expired_form_page(app, logged_in):
    response = logged_in.post("/auth/logout", data={})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


def _cookie_for(app: Flask, data: dict) -> str:
    with app.test_request_context():
        return app.session_interface.get_signing_serializer(app).dumps(data)


def _open(app: Flask, cookie: str):
    with app.test_request_context(headers={"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}):
        return app.session_interface.open_session(app, request)


def test_a_remembered_cookie_gives_a_fresh_session_each_time(app):
    cookie = _cookie_for(app, {"_user_id": "7.0", "csrf_token": "abc", "_fresh": True})
    first = _open(app, cookie)
    first["_user_id"] = "changed"
    first["added"] = 1
    second = _open(app, cookie)
    assert dict(second) == {"_user_id": "7.0", "csrf_token": "abc", "_fresh": True}
    assert second is not first and not second.modified


def test_sessions_holding_lists_are_read_afresh_every_time(app):
    cookie = _cookie_for(app, {"_flashes": [["info", "Saved."]]})
    first = _open(app, cookie)
    first["_flashes"].append(["info", "Changed in place."])
    assert _open(app, cookie)["_flashes"] == [["info", "Saved."]]


def test_a_remembered_cookie_still_expires(app, monkeypatch):
    cookie = _cookie_for(app, {"_user_id": "7.0"})
    assert dict(_open(app, cookie)) == {"_user_id": "7.0"}
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert dict(_open(app, cookie)) == {}


def test_a_tampered_cookie_opens_an_empty_session_even_beside_a_remembered_one(app):
    cookie = _cookie_for(app, {"_user_id": "7.0"})
    assert dict(_open(app, cookie)) == {"_user_id": "7.0"}
    payload, _, rest = cookie.partition(".")
    forged = _cookie_for(app, {"_user_id": "1.0"}).partition(".")[0] + "." + rest
    assert dict(_open(app, forged)) == {}


def test_the_memory_of_verified_cookies_is_bounded(app, monkeypatch):
    monkeypatch.setattr(app.session_interface, "remembered_limit", 3)
    for number in range(10):
        assert dict(_open(app, _cookie_for(app, {"n": number}))) == {"n": number}
    assert len(app.session_interface._verified) <= 3


def test_a_views_own_security_header_stands(app, client):
    app.add_url_rule("/own-policy", "own_policy", lambda: ("ok", {"Content-Security-Policy": "default-src 'none'"}))
    response = client.get("/own-policy")
    assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"

