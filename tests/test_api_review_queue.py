"""Questions missed in an assignment join the review queue once their feedback can be seen, through the API as
through the pages, and a review given since keeps its schedule however often the attempt is read again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Card, Question
from quizapp.models.types import utcnow
from quizapp.srs.queue import record_review
from tests.conftest import login
from tests.test_api import API, bank_id, bearer, json_answer, started_assignment, token  # noqa: F401 - fixtures


def _missed_attempt(client, student, instructor, token: str, bank_id: int, policy: str, due_in: timedelta):  # noqa: F811
    """An attempt at an assignment whose first item was answered wrongly through the API."""
    attempt = started_assignment(student, instructor, bank_id, policy, due_in)
    item = attempt.items[0]
    saved = client.post(f"{API}/quizzes/{attempt.id}/items/1/answer", json={"answer": json_answer(item, False)},
                        headers=bearer(token))
    assert saved.status_code == 202
    return attempt, item.question_id


def _card(student, question_id: int) -> Card | None:
    db.session.expire_all()
    return db.session.scalar(select(Card).where(Card.user_id == student.id, Card.question_id == question_id))


def test_a_card_reviewed_after_the_miss_keeps_its_schedule_when_the_attempt_is_handed_in_or_read_again(
        app, client, student, instructor, token, bank_id):  # noqa: F811
    attempt, question_id = _missed_attempt(client, student, instructor, token, bank_id, "submit", timedelta(days=1))
    assert client.post(f"{API}/quizzes/{attempt.id}/hand-in", headers=bearer(token)).status_code == 200
    assert _card(student, question_id).due <= utcnow()  # the miss joined the queue, due now
    record_review(db.session, student, db.session.get(Question, question_id), rating=3, reviews=0, fuzz=False)
    db.session.commit()
    scheduled = _card(student, question_id).due
    assert scheduled > utcnow()
    # A script sends its hand-in again; the student opens the results page again.
    assert client.post(f"{API}/quizzes/{attempt.id}/hand-in", headers=bearer(token)).status_code == 200
    browser = app.test_client()
    login(browser, student.email)
    assert browser.get(f"/quiz/{attempt.id}/results").status_code == 200
    assert _card(student, question_id).due == scheduled


def test_misses_shown_after_the_due_date_join_the_queue_when_a_script_reads_the_attempt(
        client, student, instructor, token, bank_id):  # noqa: F811
    attempt, question_id = _missed_attempt(client, student, instructor, token, bank_id, "due", timedelta(days=1))
    handed = client.post(f"{API}/quizzes/{attempt.id}/hand-in", headers=bearer(token)).get_json()
    assert "feedback" not in handed["items"][0] and _card(student, question_id) is None
    attempt.assignment.due_at = utcnow() - timedelta(hours=1)  # the due date has passed
    db.session.commit()
    shown = client.get(f"{API}/quizzes/{attempt.id}", headers=bearer(token)).get_json()
    assert shown["items"][0]["feedback"]["correct"] is False
    assert _card(student, question_id).due <= utcnow()
