"""Input no page can use is refused with 400 on every route: NUL characters anywhere, JSON nested too deep."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.input_guard import NUL_MESSAGE
from tests.conftest import csrf_from, login

_ARGUMENTS = {"int": "1", "default": "x", "string": "x", "path": "x"}


def every_route(app: Flask) -> list[tuple[str, str]]:
    """(method, address) for each rule of the URL map, its parameters filled in."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {name: _ARGUMENTS.get(type(rule._converters[name]).__name__.removesuffix("Converter").lower(), "1")
                  for name in rule.arguments}
        address = rule.build(values, append_unknown=False)[1]
        routes += [(method, address) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


@pytest.fixture
def student_client(client: FlaskClient, student) -> FlaskClient:
    assert login(client, student.email).status_code == 302
    # The CSRF token goes with every request, so that only the NUL can be the reason for a refusal.
    token = csrf_from(client.get("/auth/tokens").get_data(as_text=True))
    client.environ_base["HTTP_X_CSRFTOKEN"] = token
    return client


def test_nul_anywhere_is_refused_on_every_route(app: Flask, student_client: FlaskClient) -> None:
    refused = {}
    for method, address in every_route(app):
        attempts = {"query": student_client.open(address, method=method, query_string={"q": "a\x00b"})}
        if method != "GET":
            attempts["form"] = student_client.open(address, method=method, data={"name": "a\x00b"})
            attempts["json"] = student_client.open(address, method=method, json={"answer": ["ok", {"k": "\x00"}]})
        wrong = {kind: response.status_code for kind, response in attempts.items()
                 if response.status_code != 400 or NUL_MESSAGE not in response.get_data(as_text=True)}
        if wrong:
            refused[f"{method} {address}"] = wrong
    assert not refused, refused


def test_the_refusal_says_why(student_client: FlaskClient) -> None:
    page = student_client.post("/classes/join", data={"code": "AB\x00C"})
    assert page.status_code == 400 and NUL_MESSAGE in page.get_data(as_text=True)
    api = student_client.post("/api/v1/quizzes", json={"bank_id": 1, "topic": "\x00"})
    assert api.status_code == 400 and api.get_json()["error"]["message"] == NUL_MESSAGE
    assert student_client.get("/sources/a%00b").status_code == 400


def test_json_nested_too_deep_is_refused(student_client: FlaskClient) -> None:
    body = "[" * 100_000 + "]" * 100_000
    response = student_client.post("/api/v1/quizzes", data=body, content_type="application/json")
    assert response.status_code == 400 and "nested too deeply" in response.get_json()["error"]["message"]
