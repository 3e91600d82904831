"""Logging in or out starts a new CSRF token: a token seen before (in a planted session cookie, or by whoever
used the browser before) is refused after it."""

from __future__ import annotations

from tests.conftest import PASSWORD, csrf_from, login, open_link, recorded_mail, register
from tests.test_password_reset import ask

NEW = "a brand new password"


def _make_token(client, token: str):
    """Send the account page's token form with `token`."""
    return client.post("/auth/tokens", data={"csrf_token": token, "name": "script"})


def _refused_then_fresh_token_works(client, old_token: str) -> None:
    refused = _make_token(client, old_token)
    assert refused.status_code == 400 and "Form expired" in refused.get_data(as_text=True)
    fresh = csrf_from(client.get("/auth/tokens").get_data(as_text=True))
    assert _make_token(client, fresh).status_code == 200


def test_the_login_form_renews_the_token(client, student):
    before = csrf_from(client.get("/auth/login").get_data(as_text=True))
    logged_in = client.post("/auth/login", data={"csrf_token": before, "email": student.email, "password": PASSWORD})
    assert logged_in.status_code == 302
    _refused_then_fresh_token_works(client, before)


def test_confirming_a_sign_up_renews_the_token(client):
    with recorded_mail() as box:
        assert register(client).status_code == 200
    before = csrf_from(client.get("/auth/register").get_data(as_text=True))
    assert open_link(client, box.link("/auth/confirm/"), password=PASSWORD).status_code == 302
    _refused_then_fresh_token_works(client, before)


def test_a_password_reset_renews_the_token(client, student):
    with recorded_mail() as box:
        ask(client, student.email)
    before = csrf_from(client.get("/auth/forgot").get_data(as_text=True))
    assert open_link(client, box.link("/auth/reset/"), password=NEW, confirm=NEW).status_code == 302
    _refused_then_fresh_token_works(client, before)


def test_logging_out_renews_the_token(client, student, make_user):
    login(client, student.email)
    before = csrf_from(client.get("/auth/tokens").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": before}).status_code == 302
    # The next account to use this browser does not inherit the token either.
    other = make_user()
    refused = client.post("/auth/login", data={"csrf_token": before, "email": other.email, "password": PASSWORD})
    assert refused.status_code == 400
    assert login(client, other.email).status_code == 302
