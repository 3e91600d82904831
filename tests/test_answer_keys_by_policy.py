"""Assignments: for every graded type and feedback policy, nothing sent before feedback is due gives the key away."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.api.tokens import create_token
from quizapp.classroom.assignments import GRADED_TYPES, start_attempt
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Question, QuizItem
from quizapp.models.types import utcnow
from tests.conftest import csrf_from, login, without_varying_values

POLICIES = ("each", "submit", "due")
# Words that only feedback uses.
VERDICTS = (">Right<", ">Wrong<", "Correct answer", "Read this passage")


def secrets_of(item: QuizItem) -> list[str]:
    """Text only the key or the feedback holds."""
    data = item.revision.data
    found = [data.get("explanation", "")] + [c.get("feedback", "") for c in data.get("choices", [])]
    found += data.get("answers", []) + [b[0] for b in data.get("blanks", [])]
    if item.question.type == "numeric":
        found.append(f"{data['answer']:g}")
    for source in data.get("sources", []):
        found.append(source["quote"][:40])
    return [s for s in found if len(s) > 1]


def assert_hidden(sent: str, item: QuizItem, where: str, verdicts: tuple[str, ...] = VERDICTS) -> None:
    sent = without_varying_values(sent)
    for secret in secrets_of(item):
        assert secret not in sent, f"{where}: {secret!r} was sent before feedback was due"
    for word in verdicts:
        assert word not in sent, f"{where}: {word!r} was sent before feedback was due"
    if item.question.type in ("single_choice", "multiple_response"):
        assert not re.search(r'class="[^"]*\b(right|correct)\b', sent), f"{where}: a choice is marked"


def wrong_answer_form(item: QuizItem) -> dict[str, str]:
    """A wrong answer: what is typed back into the form then cannot be mistaken for the key."""
    data, qtype, order = item.revision.data, item.question.type, item.choice_order
    if qtype in ("single_choice", "multiple_response"):
        return {"answer": str(order.index(next(i for i in order if i not in data["correct"])))}
    if qtype == "true_false":
        return {"answer": "false" if data["answer"] else "true"}
    if qtype == "cloze":
        return {f"blanks-{i}": "nothing" for i in range(len(data["blanks"]))}
    return {"answer": "12345" if qtype == "numeric" else "nothing like it"}


@pytest.fixture
def setting(app, instructor, student, fixture_bank):
    classroom = create_class(db.session, instructor, "Keys")
    join_class(db.session, student, classroom.join_code)
    db.session.commit()
    client = app.test_client()
    login(client, student.email)
    _token, secret = create_token(db.session, student, "keys")
    db.session.commit()
    return classroom, client, {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("qtype", GRADED_TYPES)
def test_keys_stay_hidden_until_the_policy_allows(setting, student, qtype, policy):
    classroom, client, bearer = setting
    bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    question = db.session.scalar(select(Question).where(Question.type == qtype).order_by(Question.id))
    assignment = Assignment(classroom=classroom, bank_id=bank.id, title=qtype, selection="questions",
                            question_ids=[question.id], feedback_policy=policy, late_policy="mark",
                            due_at=utcnow() + timedelta(days=1) if policy == "due" else None)
    db.session.add(assignment)
    db.session.commit()
    attempt = start_attempt(db.session, assignment, student, utcnow())
    db.session.commit()
    item = attempt.items[0]
    url = f"/quiz/{attempt.id}/q/1"

    page = client.get(url).get_data(as_text=True)
    assert_hidden(page, item, "question page")
    assert_hidden(json.dumps(client.get(f"/api/v1/quizzes/{attempt.id}", headers=bearer).get_json()), item,
                  "API quiz")
    if policy == "each":
        return  # feedback follows the answer at once, by design
    after = client.post(url, data={"csrf_token": csrf_from(page), **wrong_answer_form(item)}, follow_redirects=True)
    assert_hidden(after.get_data(as_text=True), item, "page after answering")
    assert_hidden(client.get(url).get_data(as_text=True), item, "question page, answered")
    assert_hidden(client.get(f"/quiz/{attempt.id}/results", follow_redirects=True).get_data(as_text=True), item,
                  "results before hand-in")
    progress = client.get("/progress/").get_data(as_text=True)
    assert_hidden(progress, item, "progress page before hand-in", verdicts=())  # its table has a "Right" column
    waits_for = "after the due date" if policy == "due" else "after hand-in"
    assert waits_for in progress and "0 / 1" not in progress  # the score waits too, and says until when
    assert client.get("/api/v1/me/progress", headers=bearer).get_json()["quizzes"]["answered"] == 0
    hand_in = client.get(f"/quiz/{attempt.id}/hand-in").get_data(as_text=True)
    handed = client.post(f"/quiz/{attempt.id}/hand-in", data={"csrf_token": csrf_from(hand_in)},
                         follow_redirects=True).get_data(as_text=True)
    if policy == "due":
        assert_hidden(handed, item, "results after hand-in, before the due date")
        assert_hidden(json.dumps(client.get(f"/api/v1/quizzes/{attempt.id}", headers=bearer).get_json()), item,
                      "API quiz after hand-in, before the due date")
    else:
        assert "<strong>0 / 1</strong>" in handed and ">Wrong<" in handed.replace("\n", "").replace("  ", "")
