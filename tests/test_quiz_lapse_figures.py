"""Which figures a quiz lapse counts in: the optimizer learns from it; the study figures count only study."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Card, Question, Response
from quizapp.models.types import utcnow
from quizapp.srs import optimize
from quizapp.srs.scheduling import AGAIN, GOOD
from quizapp.srs.stats import accuracy_by_topic, current_streak, overall_retention, retention_by_week, reviews_per_day
from tests.test_quiz_lapse import TOPIC, learned_card, miss, practice_item


def test_a_quiz_lapse_is_no_study_review_but_the_optimizer_learns_from_it(app, fixture_bank, student):
    item = practice_item(student)
    now = utcnow()
    card = learned_card(student, item.question_id, now - timedelta(days=1))  # one Good, 163 days ago
    miss(app, student, item, "full")
    missed_at = db.session.scalar(select(Response.answered_at))
    assert db.session.scalar(select(Card.version).where(Card.id == card.id)) == 2  # the lapse was applied

    assert sum(day.count for day in reviews_per_day(db.session, student, now)) == 0
    assert overall_retention(db.session, student, now).total == 0
    assert sum(week.total for week in retention_by_week(db.session, student, now)) == 0
    # The quiz answer counts once, as an answer; the study review of 163 days ago as a review.
    topic = db.session.scalar(select(Question.topic).where(Question.id == item.question_id))
    assert topic == TOPIC
    assert {r.label: (r.total, r.passed) for r in accuracy_by_topic(db.session, student)} == {TOPIC: (2, 1)}
    assert current_streak(db.session, student, now) == 1  # the day of the quiz answer

    history = optimize.review_history(db.session, student)
    assert [(card_id, rating) for card_id, rating, _, _ in history] == [(card.id, GOOD), (card.id, AGAIN)]
    assert history[-1][2] == missed_at and optimize.review_count(db.session, student) == 2
