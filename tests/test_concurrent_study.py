"""A flashcard rated while its bank is being deleted: the rating and the deletion take turns.

Run on PostgreSQL too, where each statement sees what was committed before it: without the bank's lock the
deletion, having counted no use, would take the student's new card and its review with the bank."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.authoring.deletion import delete_unused_bank
from quizapp.extensions import db
from quizapp.models import Bank, Card, Question, ReviewLog, User
from quizapp.srs.queue import QuestionGone, record_review
from quizapp.srs.scheduling import GOOD
from tests.concurrent_clients import Browser, serve
from tests.conftest import PASSWORD
from tests.test_concurrent_writes import deleting_slowly, publish_an_upload


@pytest.fixture
def uploaded_bank(app, fixture_bank) -> tuple[int, int]:
    """An instructor's published bank, nobody's work on it yet, and a student who may practise it: their ids."""
    return publish_an_upload()


def count(model, *where) -> int:
    """Rows of the model matching where, read in a session of their own."""
    with Session(db.engine) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def a_question(bank_id: int) -> int:
    """The id of one question of the bank."""
    return db.session.scalar(select(Question.id).where(Question.bank_id == bank_id).order_by(Question.id).limit(1))


def test_a_first_rating_of_a_card_whose_bank_was_deleted_a_moment_ago_is_refused(app, uploaded_bank):
    bank_id, student_id = uploaded_bank
    question_id = a_question(bank_id)
    with Session(db.engine) as session:
        question = session.get(Question, question_id)
        with Session(db.engine) as other:
            assert delete_unused_bank(other, other.get(Bank, bank_id)) is None
        with pytest.raises(QuestionGone):
            record_review(session, session.get(User, student_id), question, GOOD, 0)
    assert count(Card, Card.user_id == student_id) == 0


def test_a_bank_deleted_while_a_first_rating_is_saved_is_kept_with_the_card(app, uploaded_bank):
    """The rating has made the card but not committed: the deletion waits, then finds the bank used."""
    bank_id, student_id = uploaded_bank
    question_id = a_question(bank_id)
    engine = db.engine

    def rate_and_hold() -> None:
        with Session(engine) as session:
            record_review(session, session.get(User, student_id), session.get(Question, question_id), GOOD, 0)
            time.sleep(0.5)
            session.commit()

    rater = threading.Thread(target=rate_and_hold)
    rater.start()
    time.sleep(0.2)
    with Session(db.engine) as session:
        use = delete_unused_bank(session, session.get(Bank, bank_id))
    rater.join(timeout=30)
    assert use is not None and use.others == 1
    assert count(Bank, Bank.id == bank_id) == 1
    assert count(ReviewLog, ReviewLog.user_id == student_id, ReviewLog.question_id == question_id) == 1


def test_a_card_rated_while_its_bank_is_being_deleted_says_the_card_left_study(app, uploaded_bank, monkeypatch):
    """The deletion has counted no use and is about to delete: the rating waits, then says the card is gone."""
    bank_id, student_id = uploaded_bank
    question_id = a_question(bank_id)
    with serve(app) as address:
        browser = Browser(address)
        browser.log_in("student@example.org", PASSWORD)
        with deleting_slowly(monkeypatch, bank_id) as outcome:
            status, _ = browser.request("POST", f"/study/{question_id}/rate",
                                        {"rating": GOOD, "reviews": 0, "bank": ""})
        _status, page = browser.request("GET", "/study/")
    assert outcome == {"use": None}  # deleted
    assert status == 302 and "That card is no longer in study." in page
    assert count(Card, Card.user_id == student_id) == 0


def test_a_rating_and_a_quiz_start_leave_the_time_their_bank_was_changed_alone(app, uploaded_bank):
    from datetime import timedelta

    from quizapp.quiz.service import start_quiz

    bank_id, student_id = uploaded_bank
    bank = db.session.get(Bank, bank_id)
    changed = bank.updated_at = bank.updated_at - timedelta(days=3)
    db.session.commit()
    student = db.session.get(User, student_id)
    record_review(db.session, student, db.session.get(Question, a_question(bank_id)), GOOD, 0)
    db.session.commit()
    start_quiz(db.session, student, db.session.get(Bank, bank_id), None, 1)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Bank, bank_id).updated_at == changed
