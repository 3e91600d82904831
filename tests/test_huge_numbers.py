"""Numbers no database column holds, or digits int() cannot read, in an address, a query, a form or a JSON body:
a 4xx, never a 500."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.http import digits_up_to
from quizapp.models.types import INTEGER_MAX, parse_id
from tests.conftest import csrf_from, login
from tests.test_bad_requests import every_route

HUGE = 2**70  # past SQLite's 64-bit integers and PostgreSQL's bigint
_NUMBER_FIELDS = ("reviews", "revision", "shown_at", "rating", "length", "bank", "draw_count", "attempt_limit",
                  "time_limit_minutes", "new_cards_per_day", "questions", "answer", "start", "end", "limit")


def _client_of(client: FlaskClient, email: str) -> None:
    assert login(client, email).status_code == 302
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_from(client.get("/auth/tokens").get_data(as_text=True))


@pytest.mark.parametrize("number", [INTEGER_MAX + 1, HUGE], ids=["past INTEGER", "past 64 bits"])
@pytest.mark.parametrize("role", ["student", "instructor"])
def test_huge_numbers_never_make_a_server_error(request, app: Flask, client: FlaskClient, fixture_bank,
                                                role: str, number: int) -> None:
    user = request.getfixturevalue(role)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 as a server would, so that every failure is listed
    failed = {}
    for method, address in every_route(app):
        if client.get("/auth/tokens").status_code != 200:  # a route before this one logged out
            _client_of(client, user.email)
        token = client.environ_base["HTTP_X_CSRFTOKEN"]
        huge_address = "/".join(str(number) if part == "1" else part for part in address.split("/"))
        fields = {name: str(number) for name in _NUMBER_FIELDS}
        attempts = {"address": client.open(huge_address, method=method),
                    "query": client.open(address, method=method, query_string=fields)}
        if method != "GET":
            for kind, where in (("form", address), ("form, huge address", huge_address)):
                attempts[kind] = client.open(where, method=method, data={"csrf_token": token, **fields})
            for kind, where in (("json", address), ("json, huge address", huge_address)):
                attempts[kind] = client.open(where, method=method, json={
                    "bank_id": number, "length": number, "answer": number, "limit": number})
        errors = {kind: response.status_code for kind, response in attempts.items() if response.status_code >= 500}
        if errors:
            failed[f"{method} {address}"] = errors
    assert not failed, "\n".join(f"{route}: {errors}" for route, errors in failed.items())


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("42", 42), (str(INTEGER_MAX), INTEGER_MAX),
                                              (str(INTEGER_MAX + 1), None), (str(HUGE), None), ("", None),
                                              ("-1", None), ("+1", None), (" 1", None), ("1.0", None),
                                              ("\u00b2", None), ("\u0663", None)])
def test_parse_id_takes_only_ascii_digits_an_integer_column_holds(text, number):
    assert parse_id(text) == number


@pytest.mark.parametrize("bank", ["\u00b2", "\u0663", str(HUGE)])
def test_a_study_filter_that_is_no_bank_id_is_not_found(logged_in, bank):
    assert logged_in.get("/study/", query_string={"bank": bank}).status_code == 404


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_id_too_long_for_an_address_is_not_found_whatever_the_method(app, logged_in, method):
    longest, too_long = str(INTEGER_MAX), str(INTEGER_MAX + 1)
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/quiz/{longest}/q/1", method=method)[1] == {"attempt_id": int(longest), "position": 1}
    form = {"csrf_token": csrf_from(logged_in.get("/auth/tokens").get_data(as_text=True))} if method == "POST" else {}
    for address in (f"/quiz/{longest}/q/1",  # the view finds no such quiz
                    f"/quiz/{too_long}/q/1", "/quiz/\u0663/q/1"):  # no route: an Arabic-Indic 3 is no id either
        assert logged_in.open(address, method=method, data=form).status_code == 404, address


@pytest.mark.parametrize("limit", [0, 7, 10, 99, 100, 305, 1000, 2024])
def test_digits_up_to_matches_exactly_the_numbers_up_to_its_limit(limit):
    pattern = re.compile(digits_up_to(limit))
    wrong = [n for n in range(3 * limit + 20) if bool(pattern.fullmatch(str(n))) != (n <= limit)]
    assert not wrong
    assert pattern.fullmatch(str(limit).zfill(len(str(limit))))
    assert not pattern.fullmatch("0" + str(limit)) and not pattern.fullmatch("-1") and not pattern.fullmatch("")


def test_digits_up_to_the_largest_integer():
    pattern = re.compile(digits_up_to(INTEGER_MAX))
    for number in (0, 9, 10**9 - 1, 10**9, 1_999_999_999, 2_099_999_999, 2_147_483_639, INTEGER_MAX):
        assert pattern.fullmatch(str(number)), number
    for number in (INTEGER_MAX + 1, 2_147_483_650, 2_148_000_000, 2_200_000_000, 9_999_999_999, 10**10, HUGE):
        assert not pattern.fullmatch(str(number)), number
