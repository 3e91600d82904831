"""Signed cookie sessions build their serializer once per set of keys, and still honour key rotation."""

from __future__ import annotations

from flask import request, session

from quizapp.signing import SignedCookieSessions


def _cookie(app, data: dict) -> str:
    with app.test_request_context():
        return app.session_interface.get_signing_serializer(app).dumps(data)


def _read(app, cookie: str) -> dict:
    name = app.config["SESSION_COOKIE_NAME"]
    with app.test_request_context(headers={"Cookie": f"{name}={cookie}"}):
        return dict(app.session_interface.open_session(app, request))


def test_one_serializer_serves_every_request(app, client):
    assert isinstance(app.session_interface, SignedCookieSessions)
    with app.test_request_context():
        first = app.session_interface.get_signing_serializer(app)
        assert app.session_interface.get_signing_serializer(app) is first
    client.get("/")
    with app.test_request_context():
        session["seen"] = True
        assert app.session_interface.get_signing_serializer(app) is first


def test_a_new_key_signs_and_the_old_one_is_still_read_while_it_is_a_fallback(app):
    old_cookie = _cookie(app, {"_user_id": "1.0"})
    old_key = app.secret_key
    app.config["SECRET_KEY"] = app.secret_key = "a new secret key for this test"
    assert _read(app, old_cookie) == {}
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert _read(app, old_cookie) == {"_user_id": "1.0"}
    assert _read(app, _cookie(app, {"x": 1})) == {"x": 1}
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert _read(app, old_cookie) == {}
