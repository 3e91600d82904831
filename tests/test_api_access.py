"""Reaching the JSON API: its OpenAPI document, JSON errors, tokens shown once and revoked, CSRF for sessions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import ApiToken
from tests.conftest import csrf_from, login
from tests.test_api import API, bank_id, bearer, start, token  # noqa: F401 - fixtures


def test_the_openapi_document_is_valid_and_lists_every_api_route(app, client):
    from openapi_spec_validator import validate

    document = client.get(f"{API}/openapi.json").get_json()
    validate(document)
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix(API)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method) in documented, f"{method} {rule.rule} is not in openapi.json"


@pytest.mark.parametrize("url", ["/banks", "/banks/1/questions", "/quizzes/1", "/me/progress", "/me/due",
                                 "/classes/1/gradebook"])
def test_anonymous_calls_get_401_in_json(client, url):
    response = client.get(API + url)
    assert response.status_code == 401 and response.get_json()["error"]["status"] == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_unknown_api_addresses_answer_in_json(client):
    response = client.get(f"{API}/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_tokens_are_shown_once_stored_hashed_and_revocable(app, student, bank_id):  # noqa: F811
    client = app.test_client()
    login(client, student.email)
    page = client.get("/auth/tokens").get_data(as_text=True)
    # The header's link with the account's name opens this page: its tab says what it is, as its heading does.
    assert "<title>Your account · quizapp</title>" in page and "<h1>Your account</h1>" in page
    made = client.post("/auth/tokens", data={"csrf_token": csrf_from(page), "name": "grade script"})
    assert made.headers["Cache-Control"] == "no-store"
    secret = re.search(r'<code class="token-secret">(qz_[^<]+)</code>', made.get_data(as_text=True)).group(1)
    assert secret not in client.get("/auth/tokens").get_data(as_text=True)
    stored = db.session.scalar(select(ApiToken))
    assert secret not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64

    script = app.test_client(use_cookies=False)
    response = script.get(f"{API}/banks", headers=bearer(secret))
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert [b["title"] for b in response.get_json()["banks"]] == ["Fixture bank"]
    assert script.get(f"{API}/banks", headers=bearer(secret + "x")).status_code == 401

    page = client.get("/auth/tokens").get_data(as_text=True)
    client.post(f"/auth/tokens/{stored.id}/revoke", data={"csrf_token": csrf_from(page)})
    assert script.get(f"{API}/banks", headers=bearer(secret)).status_code == 401


def test_one_cannot_revoke_someone_elses_token(app, token, make_user):  # noqa: F811
    other = app.test_client()
    login(other, make_user().email)
    page = other.get("/auth/tokens").get_data(as_text=True)
    other.post(f"/auth/tokens/{db.session.scalar(select(ApiToken.id))}/revoke", data={"csrf_token": csrf_from(page)})
    assert app.test_client().get(f"{API}/banks", headers=bearer(token)).status_code == 200


def test_session_writes_need_the_csrf_header(app, logged_in, bank_id):  # noqa: F811
    assert start(logged_in, bank_id).status_code == 400
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', logged_in.get("/").get_data(as_text=True))
    response = start(logged_in, bank_id, headers={"X-CSRFToken": meta.group(1)})
    assert response.status_code == 201 and response.headers["Location"].endswith(f"/quizzes/{response.json['id']}")


# Names are compared without case in any script, not only A to Z (which is all SQL lower() folds on SQLite).
@pytest.mark.parametrize(("name", "again"), [("Grade script", " grade SCRIPT "), ("Скрипт оценок", "скрипт ОЦЕНОК")])
def test_a_token_form_sent_twice_makes_one_token(app, student, name, again):
    client = app.test_client()
    login(client, student.email)
    form = {"csrf_token": csrf_from(client.get("/auth/tokens").get_data(as_text=True)), "name": name}
    assert client.post("/auth/tokens", data=form).status_code == 200
    again = client.post("/auth/tokens", data={**form, "name": again})
    assert again.status_code == 422 and "You already have a token named" in again.get_data(as_text=True)
    assert "token-secret" not in again.get_data(as_text=True)
    (made,) = db.session.scalars(select(ApiToken)).all()
    client.post(f"/auth/tokens/{made.id}/revoke", data={"csrf_token": form["csrf_token"]})
    assert client.post("/auth/tokens", data=form).status_code == 200  # a revoked token's name is free again
