"""Edges a student meets doing assignments: time running out mid-answer, feedback after the due date, and
what the class pages say about each assignment."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Assignment, Card, QuizAttempt
from quizapp.models.types import utcnow
from tests.test_classroom_edges import enrolled_client, set_assignment, teaching  # noqa: F401
from tests.test_classroom_flow import answer_all, post_form, start


def handed_in_wrong(app, teaching, make_user, **settings):  # noqa: F811
    """A student's attempt at a new assignment, every answer wrong, handed in; the client and the attempt."""
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, draw_count="3", **settings).status_code == 302
    student_client, _ = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment)))
    attempt = db.session.scalar(select(QuizAttempt))
    answer_all(student_client, attempt, right=False)
    hand_in = f"/quiz/{attempt.id}/hand-in"
    assert post_form(student_client, hand_in, hand_in, {}).status_code == 302
    return student_client, attempt


def queued(attempt: QuizAttempt) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(select(Card.question_id).where(Card.user_id == attempt.user_id)))


def test_misses_join_the_review_queue_once_the_due_date_passes_without_opening_the_results(
        app, teaching, make_user):  # noqa: F811
    student_client, attempt = handed_in_wrong(app, teaching, make_user, due_at="2999-01-01T10:00",
                                              feedback_policy="due", late_policy="mark")
    missed = {item.question_id for item in attempt.items}
    student_client.get("/study/")
    assert student_client.get("/api/v1/me/due").get_json()["due_now"] == 0
    assert queued(attempt) == set(), "the queue gave the misses away before the due date"

    attempt.assignment.due_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert student_client.get("/api/v1/me/due").get_json()["due_now"] == len(missed)
    assert queued(attempt) == missed


def test_the_study_and_progress_pages_queue_released_misses_once(app, teaching, make_user):  # noqa: F811
    student_client, attempt = handed_in_wrong(app, teaching, make_user, due_at="2999-01-01T10:00",
                                              feedback_policy="due", late_policy="mark")
    attempt.assignment.due_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    page = student_client.get("/progress/").get_data(as_text=True)
    assert "<strong>3</strong> cards due now" in page
    assert queued(attempt) == {item.question_id for item in attempt.items}
    # A card reviewed since the miss keeps the schedule that review gave it.
    card = db.session.scalar(select(Card).where(Card.question_id == attempt.items[0].question_id))
    card.last_review, card.due = utcnow(), utcnow() + timedelta(days=3)
    db.session.commit()
    assert student_client.get("/study/").status_code == 200
    db.session.refresh(card)
    assert card.due > utcnow() + timedelta(days=2)
