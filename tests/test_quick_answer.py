"""The quick answer path agrees with the full one: what it records, the form would have accepted the same."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Classroom, Question, QuizAttempt, QuizItem, Response, User
from quizapp.quiz.forms import answer_form, given_answer
from quizapp.quiz.quick import NOT_PARSED, parse_answer, quick_answer
from quizapp.quiz.service import start_quiz
from tests.conftest import csrf_from
from tests.test_answer_keys import TYPES

CHOICE_ORDER = [2, 0, 3, 1]
DATA = {
    "single_choice": {"choices": [{"text": t} for t in "abcd"], "correct": [1]},
    "multiple_response": {"choices": [{"text": t} for t in "abcd"], "correct": [0, 1]},
    "true_false": {"answer": True},
    "numeric": {"answer": 98.0, "tolerance": 0, "unit": "seats"},
    "short_text": {"answers": ["Kurultai"]},
    "cloze": {"text": "{{107}} to {{98}} in a {{mixed}}", "blanks": [["107"], ["98"], ["mixed"]]},
    "flashcard": {"front": "Mazhilis", "back": "lower house"},
}
_values = st.one_of(st.sampled_from(["", "0", "1", "3", "4", "01", "-1", " 2", "true", "false", "True", "1.5",
                                     "98 seats", " 98 ", "\u0661", "x" * 200, "x" * 201, "98.000", "1,500 seats",
                                     "20\u2009000"]),
                    st.text(max_size=12))
_keys = st.sampled_from(["answer", "blanks-0", "blanks-1", "blanks-2", "blanks-3", "blanks-x", "blanks-01", "other"])
_forms = st.lists(st.tuples(_keys, _values), max_size=6)


@pytest.mark.parametrize("qtype", TYPES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=_forms)
def test_what_the_quick_path_reads_the_form_reads_the_same(app, qtype, fields):
    formdata = MultiDict(fields)
    order = CHOICE_ORDER if qtype in ("single_choice", "multiple_response") else None
    quick = parse_answer(qtype, DATA[qtype], order, formdata)
    with app.test_request_context(method="POST"):
        form = answer_form(qtype, DATA[qtype], order, formdata=formdata)
        form.validate()
        valid = not {name: errors for name, errors in form.errors.items() if name != "csrf_token"}
        if quick is not NOT_PARSED:
            assert valid, (fields, form.errors)
            assert quick == given_answer(qtype, form, order)


@pytest.mark.parametrize("qtype", TYPES)
def test_what_a_browser_sends_takes_the_quick_path(app, fixture_bank, student, qtype):
    item = _item_of_type(student, qtype)
    with app.test_request_context(method="POST"):
        _log_in_session(student)
        assert quick_answer(db.engine, item.attempt_id, item.position, MultiDict(_typical_answer(item)))
    response = db.session.scalar(select(Response).where(Response.item_id == item.id))
    assert response is not None and response.user_id == student.id


@pytest.mark.parametrize("case", ["logged out", "old session", "someone else's", "answered", "assignment", "empty",
                                  "strong session protection", "closed to practice"])
def test_everything_else_is_left_to_the_full_path(app, fixture_bank, student, make_user, monkeypatch, case):
    item = _item_of_type(student, "numeric")
    fields = [("answer", "29.4")]
    login, old_version = student, student.session_version
    if case == "old session":
        db.session.get(User, student.id).end_sessions()
    elif case == "someone else's":
        login = make_user()
    elif case == "answered":
        db.session.add(Response(item_id=item.id, user_id=student.id, question_id=item.question_id,
                                revision_id=item.revision_id, given="1", is_correct=False, score=0.0))
    elif case == "assignment":
        classroom = Classroom(name="Civics", join_code="ABCDEF")
        assignment = Assignment(classroom=classroom, title="Week 1", bank_id=item.attempt.bank_id)
        db.session.add(assignment)
        db.session.flush()
        db.session.get(QuizAttempt, item.attempt_id).assignment_id = assignment.id
    elif case == "empty":
        fields = [("answer", "")]
    elif case == "closed to practice":
        db.session.get(Bank, item.attempt.bank_id).practice_open = False
    elif case == "strong session protection":
        monkeypatch.setattr(app.login_manager, "session_protection", "strong")  # the manager outlives the app
    db.session.commit()
    with app.test_request_context(method="POST"):
        if case != "logged out":
            _log_in_session(login, version=old_version)
        assert not quick_answer(db.engine, item.attempt_id, item.position, MultiDict(fields))
    recorded = db.session.scalar(select(Response).where(Response.item_id == item.id))
    assert recorded is None or recorded.given != "29.4"


def test_the_last_answer_finishes_the_practice_quiz_over_http(logged_in, fixture_bank):
    start = logged_in.get("/")
    bank_id = db.session.scalar(select(Question.bank_id))
    location = logged_in.post(f"/quiz/start/{bank_id}", data={
        "csrf_token": csrf_from(start.get_data(as_text=True)), f"bank{bank_id}-topic": "Economy and trade",
        f"bank{bank_id}-length": "1"}).headers["Location"]
    page = logged_in.get(location)
    answered = logged_in.post(location, data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                              "answer": "29.4%"})
    assert answered.status_code == 302 and answered.headers["Location"] == location
    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt.finished_at is not None and attempt.items[0].response.is_correct


def _item_of_type(student: User, qtype: str) -> QuizItem:
    attempt = start_quiz(db.session, student, db.session.scalar(select(Bank)), None, 8)
    db.session.commit()
    return next(i for i in attempt.items if i.question.type == qtype)


def _log_in_session(user: User, version: int | None = None) -> None:
    from flask import session

    session["_user_id"] = f"{user.id}.{user.session_version if version is None else version}"


def _typical_answer(item: QuizItem) -> list[tuple[str, str]]:
    from bench.classroom_db import answer_fields

    return answer_fields(item.question.type, item.revision.data, item.choice_order, True)
