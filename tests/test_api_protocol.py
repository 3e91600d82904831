"""The API keeps HTTP's rules: 405 names the allowed methods, 401 before any CSRF check for a caller without a
login, integers as JSON Schema defines them, and every status it can give written in its document."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.api.answers import whole_number
from quizapp.extensions import db
from quizapp.models import Response
from tests.test_api import API, bank_id, bearer, start, token  # noqa: F401 - fixtures
from tests.test_api_document import Document


@pytest.mark.parametrize(("address", "allowed"), [(f"{API}/banks", {"GET"}), (f"{API}/quizzes", {"POST"}),
                                                  ("/auth/login", {"GET", "POST"})])
def test_a_method_not_allowed_names_the_allowed_ones(client, address, allowed):
    response = client.open(address, method="PUT")
    assert response.status_code == 405
    assert allowed <= {method.strip() for method in response.headers["Allow"].split(",")}


@pytest.mark.parametrize("write", [(f"{API}/quizzes", {"bank_id": 1}), (f"{API}/quizzes/1/hand-in", {}),
                                   (f"{API}/quizzes/1/items/1/answer", {"answer": 0})])
def test_a_write_without_login_or_token_is_401_not_a_csrf_failure(client, write):
    address, body = write
    response = client.post(address, json=body)
    assert response.status_code == 401 and "Bearer" in response.headers["WWW-Authenticate"]


def test_a_logged_in_session_still_needs_its_csrf_header(logged_in, bank_id):  # noqa: F811 - fixture
    response = logged_in.post(f"{API}/quizzes", json={"bank_id": bank_id})
    assert response.status_code == 400 and "CSRF" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(("value", "number"), [(7, 7), (7.0, 7), (0.0, 0), (-3, -3), (7.5, None), (True, None),
                                               ("7", None), (None, None), (float("inf"), None), (float("nan"), None)])
def test_whole_numbers_are_integers_as_json_schema_counts_them(value, number):
    assert whole_number(value) == number


def test_a_length_and_a_position_written_as_floats_are_taken(client, token, bank_id):  # noqa: F811 - fixtures
    quiz = start(client, bank_id, bearer(token), length=8.0).get_json()
    assert len(quiz["items"]) == 8
    entry = next(i for i in quiz["items"] if i["question"]["type"] == "single_choice")
    response = client.post(f"{API}/quizzes/{quiz['id']}/items/{entry['position']}/answer", json={"answer": 0.0},
                           headers=bearer(token))
    assert response.status_code == 200 and response.get_json()["recorded"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    fraction = start(client, bank_id, bearer(token), length=7.5)
    assert fraction.status_code == 422 and "length" in fraction.get_json()["error"]["fields"]


def test_every_operation_documents_what_it_can_answer(client):
    document = client.get(f"{API}/openapi.json").get_json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "400" in operation["responses"], f"{method.upper()} {path} does not document 400"
            if operation.get("security") != []:
                assert "401" in operation["responses"], f"{method.upper()} {path} does not document 401"
            if "requestBody" in operation:
                for status in ("413", "415"):
                    assert status in operation["responses"], f"{method.upper()} {path} does not document {status}"
    assert "BadRequest" in document["components"]["responses"]


def test_a_body_past_the_upload_limit_is_413_in_the_error_format(client, token):  # noqa: F811 - fixture
    response = client.post(f"{API}/quizzes", data=b"{" + b" " * (6 * 1024 * 1024) + b"}",
                           content_type="application/json", headers=bearer(token))
    assert response.status_code == 413 and response.get_json()["error"]["status"] == 413


@pytest.mark.parametrize(("limit", "status"), [("1", 200), ("200", 200), (None, 200), ("0", 422), ("201", 422),
                                               ("ten", 422), ("null", 422), ("", 422), ("-1", 422), ("2.0", 422)])
def test_the_due_cards_limit_is_read_or_refused_never_replaced(client, token, limit, status):  # noqa: F811
    response = client.get(f"{API}/me/due", query_string={} if limit is None else {"limit": limit},
                          headers=bearer(token))
    assert response.status_code == status
    if status == 422:
        assert "limit" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("body", [b"\x00", b"not json", b"[1, 2]"])
def test_an_unreadable_answer_is_refused_even_for_an_item_answered_already(client, token, bank_id, body):  # noqa: F811
    quiz = start(client, bank_id, bearer(token)).get_json()
    entry = next(i for i in quiz["items"] if i["question"]["type"] == "single_choice")
    address = f"{API}/quizzes/{quiz['id']}/items/{entry['position']}/answer"
    assert client.post(address, json={"answer": 0}, headers=bearer(token)).status_code == 200
    response = client.post(address, data=body, content_type="application/json", headers=bearer(token))
    assert response.status_code == 400 and response.get_json()["error"]["status"] == 400


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_the_bearer_scheme_is_read_in_any_case(client, token, bank_id, scheme):  # noqa: F811 - fixtures
    response = client.get(f"{API}/banks", headers={"Authorization": f"{scheme} {token}"})
    assert response.status_code == 200 and response.get_json()["banks"]
    refused = client.get(f"{API}/banks", headers={"Authorization": f"{scheme} {token}x"})
    assert refused.status_code == 401 and "unknown or revoked" in refused.get_json()["error"]["message"]


def test_no_cache_keeps_the_apis_answers(client, token, bank_id):  # noqa: F811 - fixtures
    quiz = start(client, bank_id, bearer(token))
    refused = client.post(f"{API}/quizzes/{quiz.get_json()['id']}/items/1/answer", json={"answer": []},
                          headers=bearer(token))
    for response in (client.get(f"{API}/banks", headers=bearer(token)), quiz, refused,
                     client.get(f"{API}/me/progress", headers=bearer(token)), client.get(f"{API}/me/progress")):
        assert response.headers["Cache-Control"] == "no-store", (response.status_code, response.headers)


@pytest.mark.parametrize(("method", "address", "status"), [
    ("GET", f"{API}/quizzes/99999999999", 404), ("GET", f"{API}/banks/", 404), ("PUT", f"{API}/banks", 405),
])
def test_an_address_the_api_does_not_serve_is_not_cached_either(client, method, address, status):
    response = client.open(address, method=method)
    assert response.status_code == status and response.get_json()["error"]["status"] == status
    assert response.headers["Cache-Control"] == "no-store"
    if status == 405:
        assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(("content_type", "body", "status"), [
    ("text/plain;charset=UTF-8", b'{"bank_id": 1}', 415),  # fetch() with a string body and no Content-Type
    ("application/x-www-form-urlencoded", b"bank_id=1", 415),
    (None, b'{"bank_id": 1}', 415),
    ("application/json", b'{"bank_id": 1', 400),
    ("application/json", b"[1]", 400),
    (None, b"", 400),
])
def test_a_body_that_is_not_json_is_415_and_unreadable_json_400(client, token, content_type, body, status):  # noqa: F811
    headers = bearer(token) | ({"Content-Type": content_type} if content_type else {})
    response = client.post(f"{API}/quizzes", data=body, headers=headers)
    assert not Document(client.get(f"{API}/openapi.json").get_json()).problems("/quizzes", "POST", response)
    assert response.status_code == status and response.get_json()["error"]["status"] == status
    assert ("application/json" if status == 415 or not body else "JSON") in response.get_json()["error"]["message"]


@pytest.mark.parametrize(("body", "said"), [
    (b'{"bank_id": 1', "The body is not valid JSON: Expecting ',' delimiter at line 1, column 14."),
    (b'{"bank_id": \xff}', "The body is not valid JSON: it is not UTF-8 text."),
    (b'{"bank_id": ' + b"9" * 5000 + b"}", "a number in it has too many digits"),
    (b"[1]", "Send a JSON object ({...}), not an array."),
    (b'"bank_id"', "not a string"),
    (b"null", "not null"),
    (b"", "the body was empty"),
])
def test_a_body_sent_as_json_that_is_not_an_object_says_what_is_wrong_with_it(client, token, body, said):  # noqa: F811
    # The script did send Content-Type: application/json; telling it to do so again would not help it.
    response = client.post(f"{API}/quizzes", data=body, content_type="application/json", headers=bearer(token))
    assert response.status_code == 400
    assert said in response.get_json()["error"]["message"]
