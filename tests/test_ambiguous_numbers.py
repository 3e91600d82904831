"""A numeric answer that reads two ways ("29.400": 29400 or 29.4) is handed back ungraded on every answer path."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from quizapp.extensions import db
from quizapp.models import Card, QuizItem, Response
from quizapp.quiz.quick import NOT_PARSED, parse_answer
from tests.conftest import csrf_from
from tests.test_api import answer as api_answer
from tests.test_api import bank_id, bearer, token  # noqa: F401 - fixtures
from tests.test_api import start as api_start
from tests.test_quiz_flow import item_at, start
from tests.test_study_pages import answer as study_answer
from tests.test_study_pages import front_of

# The fixture bank's numeric question: 29.4 %.
TWO_WAYS = [("29.400", "29400", "29.4"), ("29,400 %", "29400", "29,4"), ("29.400 <b>%</b>", "29400", "29.4")]


def refusal_shown(page: str, typed: str, whole: str, decimal: str) -> bool:
    return str(escape(f"Did you mean {whole} or {decimal}?")) in page and str(escape(f"“{typed}”")) in page


def responses() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


@pytest.mark.parametrize(("typed", "whole", "decimal"), TWO_WAYS)
def test_the_quiz_page_hands_it_back_and_takes_it_retyped(logged_in, fixture_bank, typed, whole, decimal):
    start(logged_in, topic="Economy and trade", length=1)
    item = item_at(1)
    url = f"/quiz/{item.attempt_id}/q/1"
    page = logged_in.get(url).get_data(as_text=True)
    refused = logged_in.post(url, data={"csrf_token": csrf_from(page), "answer": typed})
    assert refused.status_code == 422 and responses() == 0
    assert refusal_shown(refused.get_data(as_text=True), typed, whole, decimal)
    assert "<b>" not in refused.get_data(as_text=True)
    retyped = logged_in.post(url, data={"csrf_token": csrf_from(page), "answer": decimal})
    assert retyped.status_code == 302
    assert db.session.scalar(select(Response.is_correct)) is True


@pytest.mark.parametrize(("typed", "readable"), [(typed, False) for typed, _, _ in TWO_WAYS]
                         + [("29.4", True), ("29,4 %", True), ("29\u2009400", True), ("1,000.5", True)])
def test_the_quick_path_leaves_it_to_the_form(typed, readable):
    data = {"answer": 29.4, "tolerance": 0, "unit": "%", "unit_aliases": []}
    assert (parse_answer("numeric", data, None, MultiDict([("answer", typed)])) is not NOT_PARSED) is readable


@pytest.mark.parametrize(("typed", "whole", "decimal"), TWO_WAYS)
def test_the_study_page_hands_it_back(logged_in, fixture_bank, typed, whole, decimal):
    question_id, front = front_of(logged_in, "numeric")
    refused = study_answer(logged_in, question_id, front, {"answer": typed})
    assert refused.status_code == 422
    assert refusal_shown(refused.get_data(as_text=True), typed, whole, decimal)
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0


@pytest.mark.parametrize(("typed", "whole", "decimal"), TWO_WAYS)
def test_the_api_refuses_it_with_422_naming_both_readings(client, token, bank_id, typed, whole, decimal):  # noqa: F811 - fixtures
    quiz = api_start(client, bank_id, bearer(token)).get_json()
    entry = next(i for i in quiz["items"] if i["question"]["type"] == "numeric")
    refused = api_answer(client, token, quiz["id"], entry["position"], typed)
    assert refused.status_code == 422 and responses() == 0
    assert f"Did you mean {whole} or {decimal}?" in refused.get_json()["error"]["fields"]["answer"]
    retyped = api_answer(client, token, quiz["id"], entry["position"], decimal)
    assert retyped.status_code == 200 and retyped.get_json()["feedback"]["correct"] is True
    item = db.session.scalar(select(QuizItem).where(QuizItem.attempt_id == quiz["id"],
                                                    QuizItem.position == entry["position"]))
    assert item.response.given == decimal
