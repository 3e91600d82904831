"""The question and feedback pages read the login, the item and the progress in one query."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from quizapp.extensions import db
from quizapp.models import Bank, User
from quizapp.quiz.item_page import load_item_page
from quizapp.quiz.service import attempt_progress, start_quiz, submit_answer
from tests.conftest import csrf_from, login


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*call) -> None:
        seen.append(call[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _attempt(student: User, length: int = 8):
    attempt = start_quiz(db.session, student, db.session.scalar(select(Bank)), None, length)
    db.session.commit()
    return attempt


@pytest.mark.parametrize("answered", [0, 1, 3])
def test_the_page_row_holds_what_the_separate_queries_give(app, fixture_bank, student, answered):
    attempt = _attempt(student)
    for item in attempt.items[:answered]:
        submit_answer(db.session, item, None if item.question.type == "flashcard" else "x")
    db.session.commit()
    login, email = (student.id, student.session_version), student.email
    expected = attempt_progress(db.session, attempt.id)
    wanted = {item.position: (item.attempt.bank.title, item.question.type, item.revision.data,
                              item.response.id if item.response else None) for item in attempt.items}
    db.session.expunge_all()
    for position in (1, 2, 8):
        with statements() as seen:
            page = load_item_page(db.session, login, attempt.id, position)
            item = page.item
            shown = (item.attempt.bank.title, item.question.type, item.revision.data,
                     item.response.id if item.response else None)
        assert len(seen) == 1
        assert (item.position, shown, page.progress, page.user.email) == (position, wanted[position], expected, email)


def test_a_flashcard_waiting_for_its_self_grade_is_next(app, fixture_bank, student):
    attempt = _attempt(student, 31)
    card = next(i for i in attempt.items if i.question.type == "flashcard")
    for item in attempt.items:
        submit_answer(db.session, item, None if item.question.type == "flashcard" else "x")
    db.session.commit()
    page = load_item_page(db.session, (student.id, student.session_version), attempt.id, 1)
    assert page.progress.next_position == card.position == attempt_progress(db.session, attempt.id).next_position


@pytest.mark.parametrize("case", ["old session", "someone else", "no such position"])
def test_no_page_for_a_stale_login_or_anothers_item(app, fixture_bank, student, make_user, case):
    attempt = _attempt(student)
    session_login, position = (student.id, student.session_version), 1
    if case == "old session":
        session_login = (student.id, student.session_version + 1)
    elif case == "someone else":
        other = make_user()
        session_login = (other.id, other.session_version)
    else:
        position = 99
    assert load_item_page(db.session, session_login, attempt.id, position) is None


def test_question_and_feedback_pages_query_once_and_twice(app, logged_in, fixture_bank, student):
    attempt = _attempt(student)
    item = next(i for i in attempt.items if i.question.type == "numeric")
    path = f"/quiz/{attempt.id}/q/{item.position}"
    db.session.expunge_all()
    with statements() as seen:
        page = logged_in.get(path)
    assert page.status_code == 200 and len(seen) == 1
    logged_in.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), "answer": "1"})
    db.session.expunge_all()
    with statements() as seen:
        feedback = logged_in.get(path)
    assert feedback.status_code == 200 and "Correct answer" in feedback.get_data(as_text=True)
    assert len(seen) == 2  # the page, and the cited source texts


def test_another_students_item_is_not_found(app, client, fixture_bank, student, make_user):
    attempt = _attempt(student)
    other = make_user(email="other@example.org")
    login(client, other.email)
    assert client.get(f"/quiz/{attempt.id}/q/1").status_code == 404
