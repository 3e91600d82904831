"""Spaced repetition without HTTP: stored state, due order, daily limits in the user's study day, missed questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler
from sqlalchemy import func, select

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.extensions import db
from quizapp.models import Bank, Card, Question, ReviewLog
from quizapp.srs.days import study_day_start
from quizapp.srs.missed import enqueue_missed
from quizapp.srs.queue import (
    due_cards,
    due_count,
    new_allowance,
    next_card,
    next_due_at,
    record_review,
    review_count,
    unseen_questions,
)
from quizapp.srs.scheduling import AGAIN, EASY, GOOD, HARD, to_fsrs
from tests.conftest import QUESTIONS

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def questions() -> list[Question]:
    return list(db.session.scalars(select(Question).order_by(Question.id)))


def card_of(user, question) -> Card:
    return db.session.scalar(select(Card).where(Card.user_id == user.id, Card.question_id == question.id))


def review(user, question, rating, now, reviews=None):
    """Rate a card as the study page would, shown with the ratings it has had so far unless told otherwise."""
    if reviews is None:
        reviews = review_count(db.session, user, question.id)
    result = record_review(db.session, user, question, rating, reviews, now=now, fuzz=False)
    db.session.commit()
    return result


def test_card_state_survives_store_and_load_unchanged(student, fixture_bank):
    question = questions()[0]
    scheduler = Scheduler(enable_fuzzing=False)
    expected = FsrsCard(due=T0)
    now = T0
    for rating in (GOOD, AGAIN, HARD, GOOD, EASY):
        expected, _ = scheduler.review_card(expected, Rating(rating), review_datetime=now)
        review(student, question, rating, now)
        db.session.expire_all()
        stored = to_fsrs(card_of(student, question))
        assert (stored.state, stored.step, stored.due, stored.last_review) == (
            expected.state, expected.step, expected.due, expected.last_review)
        assert stored.stability == pytest.approx(expected.stability, rel=1e-12)
        assert stored.difficulty == pytest.approx(expected.difficulty, rel=1e-12)
        assert stored.due.tzinfo is not None
        now = expected.due + timedelta(minutes=1)
    logs = db.session.scalars(select(ReviewLog).order_by(ReviewLog.id)).all()
    assert [log.rating for log in logs] == [GOOD, AGAIN, HARD, GOOD, EASY]
    assert logs[0].state_before is None and logs[1].state_before is not None
    assert all(log.reviewed_at.tzinfo is not None for log in logs)


def test_starting_a_new_card_does_not_wait_on_the_clock(student, fixture_bank, monkeypatch):
    import fsrs.card

    waits = []
    monkeypatch.setattr(fsrs.card.time, "sleep", waits.append)
    review(student, questions()[0], GOOD, T0)
    enqueue_missed(db.session, student.id, questions()[1].id, now=T0)
    review(student, questions()[1], AGAIN, T0)
    assert waits == [] and db.session.scalar(select(func.count()).select_from(ReviewLog)) == 2


def test_due_cards_come_most_overdue_first_and_before_new_ones(student, fixture_bank):
    first, second, third, fourth = questions()[:4]
    review(student, first, AGAIN, T0)                    # due again in minutes
    review(student, second, AGAIN, T0 - timedelta(hours=2))
    review(student, third, EASY, T0)                     # due in days
    now = T0 + timedelta(hours=1)
    assert [c.question_id for c in due_cards(db.session, student, now)] == [second.id, first.id]
    upcoming = next_card(db.session, student, now)
    assert upcoming.question.id == second.id and upcoming.card is not None
    review(student, second, EASY, now)
    review(student, first, EASY, now)
    upcoming = next_card(db.session, student, now)
    assert upcoming.card is None and upcoming.question.id == fourth.id  # nothing due: a new card


@pytest.mark.parametrize("zone, hour, local_evening", [
    ("Asia/Almaty", 0, datetime(2026, 3, 2, 23, 30)),
    ("America/New_York", 0, datetime(2026, 3, 7, 23, 30)),  # the night before the clocks go forward
    ("Asia/Almaty", 4, datetime(2026, 3, 3, 3, 30)),
    ("America/New_York", 4, datetime(2026, 3, 8, 3, 30)),  # an hour after the clocks went forward
])
def test_daily_new_card_limit_turns_over_when_the_study_day_starts(student, fixture_bank, zone, hour, local_evening):
    from zoneinfo import ZoneInfo

    student.timezone, student.day_starts_at, student.new_cards_per_day = zone, hour, 2
    db.session.commit()
    evening = local_evening.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    first, second = questions()[:2]
    assert new_allowance(db.session, student, evening) == 2
    review(student, first, EASY, evening)  # Easy: out of learning, not due again for days
    review(student, second, EASY, evening + timedelta(minutes=5))
    before_the_turn = evening + timedelta(minutes=29)
    assert new_allowance(db.session, student, before_the_turn) == 0
    assert next_card(db.session, student, before_the_turn) is None
    after_the_turn = evening + timedelta(minutes=31)
    assert after_the_turn.astimezone(ZoneInfo(zone)).hour == hour
    assert new_allowance(db.session, student, after_the_turn) == 2
    assert next_card(db.session, student, after_the_turn).card is None


def test_a_midnight_the_clocks_show_twice_starts_the_day_at_the_first(student, fixture_bank):
    # Havana's clocks go back from 01:00 to 00:00 on 1 November 2026: the day's first hour comes twice.
    student.timezone, student.day_starts_at, student.new_cards_per_day = "America/Havana", 0, 1
    db.session.commit()
    first_hour = datetime(2026, 11, 1, 4, 10, tzinfo=UTC)  # 00:10 CDT
    review(student, questions()[0], EASY, first_hour)
    again = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 00:30 CST, the second time round, the same day
    assert new_allowance(db.session, student, again) == 0
    assert study_day_start(student, again).astimezone(UTC) == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)


def test_reviews_and_missed_cards_do_not_count_against_the_new_card_limit(student, fixture_bank):
    student.new_cards_per_day = 1
    db.session.commit()
    first, second, third = questions()[:3]
    enqueue_missed(db.session, student.id, second.id, now=T0)
    enqueue_missed(db.session, student.id, third.id, now=T0)
    review(student, first, GOOD, T0)
    review(student, second, AGAIN, T0)
    assert new_allowance(db.session, student, T0) == 0
    assert card_of(student, third).origin == "missed"


def test_a_missed_question_is_due_at_once_and_an_early_due_date_is_kept(student, fixture_bank):
    question = questions()[0]
    enqueue_missed(db.session, student.id, question.id, now=T0)
    enqueue_missed(db.session, student.id, question.id, now=T0 + timedelta(minutes=1))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Card)) == 1
    assert card_of(student, question).due == T0
    review(student, question, EASY, T0)
    later_due = card_of(student, question).due
    assert later_due > T0 + timedelta(days=1)
    enqueue_missed(db.session, student.id, question.id, now=T0 + timedelta(hours=3))
    db.session.commit()
    db.session.expire_all()
    assert card_of(student, question).due == T0 + timedelta(hours=3)
    assert [c.question_id for c in due_cards(db.session, student, T0 + timedelta(hours=3))] == [question.id]


def test_a_rating_for_a_card_rated_since_changes_nothing(student, fixture_bank):
    question = questions()[0]
    assert review(student, question, GOOD, T0, reviews=0) is not None
    assert review(student, question, AGAIN, T0, reviews=0) is None  # the same new card, rated twice
    assert review(student, question, AGAIN, T0, reviews=6) is None
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


def test_unseen_questions_skip_retired_ones(student, fixture_bank):
    question = questions()[0]
    question.retired_at = T0
    db.session.commit()
    unseen = db.session.scalars(unseen_questions(student, None)).all()
    assert question not in unseen and len(unseen) == len(questions()) - 1


def test_the_next_due_time_keeps_to_the_bank_being_studied(student):
    load_banks(db.session, check_paths([QUESTIONS], QUESTIONS))
    db.session.commit()
    referendum, terms = (db.session.scalar(select(Bank).where(Bank.slug == slug))
                         for slug in ("referendum-2022", "key-terms"))
    overdue = db.session.scalar(select(Question).where(Question.bank_id == referendum.id).limit(1))
    later = db.session.scalar(select(Question).where(Question.bank_id == terms.id).limit(1))
    review(student, overdue, AGAIN, T0 - timedelta(days=2))
    review(student, later, EASY, T0)
    assert next_due_at(db.session, student) == whole_minute_after(card_of(student, overdue).due)
    # A review card (Easy takes it out of learning) is due from the start of its day.
    assert next_due_at(db.session, student, terms.id) == study_day_start(student, card_of(student, later).due)
    assert next_due_at(db.session, student, terms.id) > T0


def whole_minute_after(moment):
    """The moment itself if on the minute, else the next minute: the time shown, which must not come too early."""
    return moment if moment == moment.replace(second=0, microsecond=0) else (
        moment.replace(second=0, microsecond=0) + timedelta(minutes=1))


def test_the_next_due_time_is_never_shown_before_the_card_is_due(student, fixture_bank):
    question = questions()[0]
    review(student, question, AGAIN, T0 + timedelta(seconds=38))
    due = card_of(student, question).due
    shown = next_due_at(db.session, student)
    assert shown >= due and shown - due < timedelta(minutes=1) and shown.second == 0 and shown.microsecond == 0


@pytest.mark.parametrize("hour", [0, 4])
def test_a_review_card_is_due_all_day_on_the_study_day_it_falls_due(student, fixture_bank, hour):
    """Scheduled in whole days, a review card is "due today" from the start of the user's study day, as the
    forecast counts it, not from the hour of the day it was last reviewed; a learning step's minutes count to the
    minute."""
    from zoneinfo import ZoneInfo

    almaty = ZoneInfo("Asia/Almaty")
    student.timezone, student.day_starts_at = "Asia/Almaty", hour
    db.session.commit()
    evening = datetime(2026, 3, 2, 21, 5, tzinfo=almaty).astimezone(UTC)
    reviewed, stepping = questions()[:2]
    review(student, reviewed, EASY, evening)
    due = card_of(student, reviewed).due.astimezone(almaty)
    assert due.hour == 21 and due.date() > evening.date()
    morning_before = (due.replace(hour=hour, minute=30) - timedelta(days=1)).astimezone(UTC)
    just_before = (due.replace(hour=hour, minute=0) - timedelta(minutes=1)).astimezone(UTC)
    morning = due.replace(hour=hour, minute=30).astimezone(UTC)
    assert due_cards(db.session, student, morning_before) == []
    assert due_count(db.session, student, just_before) == 0
    assert next_due_at(db.session, student) == due.replace(hour=hour, minute=0)
    assert [c.question_id for c in due_cards(db.session, student, morning)] == [reviewed.id]
    assert due_count(db.session, student, morning) == 1

    review(student, stepping, AGAIN, morning)  # a learning step: due in minutes, not all day
    step_due = card_of(student, stepping).due
    assert step_due > morning
    assert [c.question_id for c in due_cards(db.session, student, morning)] == [reviewed.id]
    # Most overdue first: the step fell due a few minutes ago, the review card falls due this evening.
    assert [c.question_id for c in due_cards(db.session, student, step_due)] == [stepping.id, reviewed.id]


@pytest.mark.parametrize("local_review, due_day", [
    # New York's clocks go back at 02:00 on 1 November 2026: a day 25 hours long.
    (datetime(2026, 11, 1, 0, 30), 2),
    # ... and forward at 02:00 on 8 March 2026: a day of 23 hours.
    (datetime(2026, 3, 7, 23, 30), 8),
])
def test_a_review_card_a_day_ahead_falls_due_on_the_next_local_day_across_a_clock_change(
        student, fixture_bank, local_review, due_day):
    """An interval of whole days is counted in the student's calendar days: 24 hours after 00:30 on the night the
    clocks go back is still that same day, and after 23:30 on the night they go forward it is the day after next."""
    from zoneinfo import ZoneInfo

    new_york = ZoneInfo("America/New_York")
    student.timezone, student.day_starts_at = "America/New_York", 0
    db.session.commit()
    question = questions()[0]
    rated = local_review.replace(tzinfo=new_york).astimezone(UTC)
    review(student, question, AGAIN, rated - timedelta(minutes=1))
    review(student, question, EASY, rated)  # out of learning: one day ahead
    card = card_of(student, question)
    assert card.last_review == rated
    due = card.due.astimezone(new_york)
    assert (due.day, due.hour, due.minute) == (due_day, local_review.hour, local_review.minute)
    assert due_count(db.session, student, rated + timedelta(minutes=1)) == 0
    next_midnight = datetime(2026, local_review.month, due_day, 0, 0, tzinfo=new_york)
    assert next_due_at(db.session, student) == next_midnight
    assert due_count(db.session, student, next_midnight.astimezone(UTC)) == 1


def test_a_review_card_met_on_the_next_study_day_counts_a_day_since_its_last_review(student, fixture_bank):
    """A card a day ahead is due from the start of the student's study day: met the next evening a little earlier
    than the last, it has waited a day, not the few hours FSRS would count (its update for a second look the same
    day barely moves the card, so it would come back day after day)."""
    question = questions()[0]
    monday = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    review(student, question, AGAIN, monday - timedelta(minutes=1))
    review(student, question, EASY, monday)  # out of learning: one day ahead
    assert card_of(student, question).due == monday + timedelta(days=1)
    tuesday = monday + timedelta(days=1) - timedelta(minutes=2)  # the next day, two minutes earlier in the evening
    assert due_count(db.session, student, tuesday) == 1
    scheduler = Scheduler(enable_fuzzing=False)
    a_day_on, _ = scheduler.review_card(to_fsrs(card_of(student, question)), Rating.Good,
                                        review_datetime=monday + timedelta(days=1))
    review(student, question, GOOD, tuesday)
    card = card_of(student, question)
    assert card.stability == pytest.approx(a_day_on.stability, rel=1e-12)
    assert card.due - tuesday == a_day_on.due - (monday + timedelta(days=1)) > timedelta(days=1)
    assert card.last_review == tuesday
