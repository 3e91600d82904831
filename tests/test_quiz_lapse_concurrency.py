"""A quiz miss and a study rating of the same card at once (two tabs): both count, in the order they were made.

Each side works the card out from what it read: the lapse is written only over the version it read, and a rating
locks the card, so neither overwrites the other. Run on PostgreSQL too, where each statement sees what was
committed before it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.extensions import db
from quizapp.models import Question, User
from quizapp.quiz.service import enqueue_released_misses
from quizapp.srs.missed import enqueue_missed
from quizapp.srs.queue import record_review, review_count
from quizapp.srs.scheduling import AGAIN, GOOD
from tests.test_quiz_lapse import (
    assignment_miss,
    card_of,
    expected,
    hand_in_later,
    learned_card,
    logs,
    practice_item,
)

DUE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def holding(write: Callable[[Session], object]) -> Callable[[], None]:
    """Run the write in a session of its own, held uncommitted for a moment, then committed; a function that waits
    for it to end and raises what it raised."""
    engine, failed = db.engine, []

    def run() -> None:
        try:
            with Session(engine) as session:
                write(session)
                time.sleep(0.5)
                session.commit()
        except Exception as error:  # handed to the test's own thread
            failed.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.2)

    def done() -> None:
        thread.join(timeout=30)
        assert not thread.is_alive()
        if failed:
            raise failed[0]

    return done


@pytest.fixture
def learned(app, fixture_bank, student) -> int:
    question_id = db.session.scalar(select(Question.id).order_by(Question.id).limit(1))
    learned_card(student, question_id, DUE)
    return question_id


def test_a_miss_while_a_rating_is_saved_lapses_the_card_the_rating_left(student, learned):
    rated_at, missed_at = DUE + timedelta(minutes=1), DUE + timedelta(minutes=2)
    student_id, shown = student.id, review_count(db.session, student, learned)
    rater = holding(lambda session: record_review(session, session.get(User, student_id),
                                                  session.get(Question, learned), GOOD, shown, rated_at, fuzz=False))
    with Session(db.engine) as session:
        enqueue_missed(session, student_id, learned, missed_at)
        session.commit()
    rater()
    card, after = card_of(student, learned), expected(DUE, (GOOD, rated_at), (AGAIN, missed_at))
    assert card.stability == pytest.approx(after.stability) and card.last_review == missed_at
    assert [(rating, source) for rating, source, _, _ in logs(student)] == [
        (GOOD, "study"), (GOOD, "study"), (AGAIN, "quiz")]


def test_a_rating_while_a_miss_is_saved_applies_to_the_lapsed_card(student, learned):
    missed_at, rated_at = DUE + timedelta(minutes=1), DUE + timedelta(minutes=2)
    student_id = student.id
    shown = review_count(db.session, student, learned)  # the study tab had the card open before the miss
    quiz = holding(lambda session: enqueue_missed(session, student_id, learned, missed_at))
    with Session(db.engine) as session:
        rated = record_review(session, session.get(User, student_id), session.get(Question, learned), GOOD, shown,
                              rated_at, fuzz=False)
        assert rated is not None  # not taken for a second rating of the card shown
        session.commit()
    quiz()
    card, after = card_of(student, learned), expected(DUE, (AGAIN, missed_at), (GOOD, rated_at))
    assert card.stability == pytest.approx(after.stability) and card.due == after.due
    assert [(rating, source) for rating, source, _, _ in logs(student)] == [
        (GOOD, "study"), (AGAIN, "quiz"), (GOOD, "study")]


def test_a_released_miss_queued_by_two_pages_at_once_lapses_once(app, fixture_bank, student, instructor):
    question_id = practice_item(student).question_id
    learned_card(student, question_id, DUE)
    item = assignment_miss(student, instructor)
    hand_in_later(item, DUE + timedelta(hours=1))
    student_id = student.id
    first = holding(lambda session: enqueue_released_misses(session, student_id, DUE + timedelta(days=1)))
    with Session(db.engine) as session:
        enqueue_released_misses(session, student_id, DUE + timedelta(days=1))
        session.commit()
    first()
    assert [(rating, source) for rating, source, _, _ in logs(student)] == [(GOOD, "study"), (AGAIN, "quiz")]
    assert card_of(student, question_id).version == 2
