"""A quiz answer that misses a learned card counts as a lapse: FSRS hears of the failure, once, at the answer's time.

Without it, a card failed in a quiz and then rated Good in study minutes later was taken for a success after its
whole interval, and its interval grew (163 days to 359) instead of starting again short."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.membership import create_class, join_class
from quizapp.driver_sql import DriverConnection
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Card, Question, QuizItem, Response, ReviewLog, User
from quizapp.models.types import utcnow
from quizapp.quiz.quick import quick_answer
from quizapp.quiz.service import enqueue_released_misses, get_item, start_quiz, submit_answer
from quizapp.srs.missed import enqueue_missed
from quizapp.srs.queue import record_review, review_count
from quizapp.srs.scheduling import AGAIN, GOOD, REVIEW_STATE

TOPIC, WRONG = "Economy and trade", "1"  # the topic's one question is numeric, answered 29.4
INTERVAL, STABILITY, DIFFICULTY = timedelta(days=163), 163.0, 5.0


def practice_item(student: User) -> QuizItem:
    """A practice quiz of one question, its item not yet answered."""
    attempt = start_quiz(db.session, student, db.session.scalar(select(Bank)), TOPIC, 1)
    db.session.commit()
    return attempt.items[0]


def learned_card(student: User, question_id: int, due: datetime, state: int = REVIEW_STATE) -> Card:
    """A card the student has studied for months, due today after an interval of 163 days."""
    card = Card(user_id=student.id, question_id=question_id, state=state, step=None if state == REVIEW_STATE else 0,
                stability=STABILITY, difficulty=DIFFICULTY, due=due, last_review=due - INTERVAL, origin="new",
                created_at=due - 2 * INTERVAL)
    db.session.add(card)
    db.session.flush()
    db.session.add(ReviewLog(card_id=card.id, user_id=student.id, question_id=question_id, rating=GOOD,
                             state_before=REVIEW_STATE, reviewed_at=card.last_review))
    db.session.commit()
    return card


def card_of(student: User, question_id: int) -> Card:
    db.session.expire_all()
    return db.session.scalar(select(Card).where(Card.user_id == student.id, Card.question_id == question_id))


def logs(student: User) -> list[tuple[int, str, int | None, datetime]]:
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(
        select(ReviewLog.rating, ReviewLog.source, ReviewLog.state_before, ReviewLog.reviewed_at)
        .where(ReviewLog.user_id == student.id).order_by(ReviewLog.reviewed_at, ReviewLog.id))]


def expected(due: datetime, *ratings: tuple[int, datetime]) -> FsrsCard:
    """The learned card as FSRS itself leaves it after these ratings."""
    card = FsrsCard(card_id=1, state=State.Review, step=None, stability=STABILITY, difficulty=DIFFICULTY, due=due,
                    last_review=due - INTERVAL)
    for rating, moment in ratings:
        card, _ = Scheduler(enable_fuzzing=False).review_card(card, Rating(rating), review_datetime=moment)
    return card


def miss(app, student: User, item: QuizItem, path: str) -> None:
    """Answer the item wrongly, by the full answer path or the quick one."""
    if path == "full":
        assert submit_answer(db.session, get_item(db.session, student, item.attempt_id, item.position), WRONG)
        db.session.commit()
        return
    with app.test_request_context(method="POST"):
        from flask import session

        session["_user_id"] = f"{student.id}.{student.session_version}"
        assert quick_answer(db.engine, item.attempt_id, item.position, MultiDict([("answer", WRONG)]))


def answered_at(item: QuizItem) -> datetime:
    return db.session.scalar(select(Response.answered_at).where(Response.item_id == item.id))


@pytest.mark.parametrize("path", ["full", "quick"])
def test_a_learned_card_missed_in_a_quiz_then_rated_good_starts_again_short(app, fixture_bank, student, path):
    item = practice_item(student)
    question_id, due = item.question_id, utcnow().replace(microsecond=0)
    learned_card(student, question_id, due)
    shown_with = review_count(db.session, student, question_id)  # a study tab had the card open already
    miss(app, student, item, path)
    missed_at = answered_at(item)
    lapsed = card_of(student, question_id)
    assert lapsed.state != REVIEW_STATE and lapsed.due == missed_at  # relearning, and back in study at once
    assert logs(student)[1:] == [(AGAIN, "quiz", REVIEW_STATE, missed_at)]

    rated_at = missed_at + timedelta(minutes=5)
    question = db.session.get(Question, question_id)
    assert record_review(db.session, student, question, GOOD, shown_with, now=rated_at, fuzz=False) is not None
    db.session.commit()
    card = card_of(student, question_id)
    relearned = expected(due, (AGAIN, missed_at), (GOOD, rated_at))
    assert card.stability == pytest.approx(relearned.stability) and card.due == relearned.due
    assert card.due - rated_at < timedelta(days=30)  # not the 359 days a Good after the whole interval gives
    assert expected(due, (GOOD, rated_at)).due - rated_at > INTERVAL
    assert [(rating, source) for rating, source, _, _ in logs(student)] == [
        (GOOD, "study"), (AGAIN, "quiz"), (GOOD, "study")]


@pytest.mark.parametrize("path", ["full", "quick"])
def test_a_right_answer_leaves_a_learned_card_alone(app, fixture_bank, student, path):
    item = practice_item(student)
    due = utcnow().replace(microsecond=0) + timedelta(days=3)
    learned_card(student, item.question_id, due)
    if path == "full":
        submit_answer(db.session, get_item(db.session, student, item.attempt_id, 1), "29.4")
        db.session.commit()
    else:
        with app.test_request_context(method="POST"):
            from flask import session

            session["_user_id"] = f"{student.id}.{student.session_version}"
            assert quick_answer(db.engine, item.attempt_id, 1, MultiDict([("answer", "29.4")]))
    card = card_of(student, item.question_id)
    assert (card.state, card.due, card.version) == (REVIEW_STATE, due, 1) and len(logs(student)) == 1


@pytest.mark.parametrize("state", [int(State.Learning), int(State.Relearning)])
def test_a_card_still_in_its_learning_steps_is_only_put_back_in_the_queue(app, fixture_bank, student, state):
    item = practice_item(student)
    learned_card(student, item.question_id, utcnow() + timedelta(minutes=10), state=state)
    miss(app, student, item, "full")
    card = card_of(student, item.question_id)
    assert (card.state, card.stability, card.due) == (state, STABILITY, answered_at(item))
    assert len(logs(student)) == 1


def test_a_question_never_studied_joins_the_queue_as_a_missed_card_without_a_review(app, fixture_bank, student):
    item = practice_item(student)
    miss(app, student, item, "quick")
    card = card_of(student, item.question_id)
    assert (card.origin, card.last_review, card.due) == ("missed", None, answered_at(item))
    assert logs(student) == []


def test_a_lapse_on_a_driver_connection_stores_what_one_in_a_session_does(app, fixture_bank, student):
    first, second = (q.id for q in db.session.scalars(select(Question).order_by(Question.id).limit(2)))
    due = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for question_id in (first, second):
        learned_card(student, question_id, due)
    enqueue_missed(db.session, student.id, first, due + timedelta(hours=1))
    db.session.commit()
    with DriverConnection(db.engine) as connection:
        enqueue_missed(connection, student.id, second, due + timedelta(hours=1))
        connection.commit()

    def stored(question_id: int) -> tuple:
        card = card_of(student, question_id)
        return (card.state, card.step, card.stability, card.difficulty, card.due, card.last_review, card.version)

    assert stored(first) == stored(second)
    assert stored(first)[4:7] == (due + timedelta(hours=1), due + timedelta(hours=1), 2)


def test_a_miss_counts_once_however_often_it_is_queued(app, fixture_bank, student):
    question_id = db.session.scalar(select(Question.id).order_by(Question.id).limit(1))
    due = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    learned_card(student, question_id, due)
    missed_at = due + timedelta(hours=1)
    for queued_at in (missed_at, missed_at + timedelta(minutes=1), missed_at + timedelta(hours=1)):
        enqueue_missed(db.session, student.id, question_id, queued_at, missed_at=missed_at)
        db.session.commit()
    assert [(rating, source) for rating, source, _, _ in logs(student)] == [(GOOD, "study"), (AGAIN, "quiz")]
    assert card_of(student, question_id).due == missed_at


def assignment_miss(student: User, instructor: User, policy: str = "submit") -> QuizItem:
    """An assignment answered wrongly, its feedback held until the hand-in, which has just happened."""
    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=db.session.scalar(select(Bank.id)), title="Quiz",
                            feedback_policy=policy, late_policy="mark", due_at=utcnow() + timedelta(days=1),
                            selection="topics", topics=[TOPIC])
    db.session.add(assignment)
    db.session.commit()
    attempt = start_attempt(db.session, assignment, student, utcnow())
    db.session.commit()
    item = attempt.items[0]
    assert submit_answer(db.session, get_item(db.session, student, attempt.id, 1), WRONG)
    db.session.commit()
    assert card_of(student, item.question_id).version == 1  # nothing yet: the verdict is held back
    return item


def hand_in_later(item: QuizItem, answered: datetime) -> None:
    response = db.session.scalar(select(Response).where(Response.item_id == item.id))
    response.answered_at = answered
    item.attempt.finished_at = utcnow()
    db.session.commit()


def test_a_miss_released_at_the_hand_in_is_a_lapse_at_the_time_of_the_answer(app, fixture_bank, student,
                                                                              instructor):
    question_id = practice_item(student).question_id  # the topic's question, which the assignment draws too
    # Due at noon yesterday and missed two hours later, on one study day whatever the hour of the run: FSRS, which
    # the expected card comes from, counts days by the clock, and study counts them from 4:00 (README, Study).
    due = (utcnow() - timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
    learned_card(student, question_id, due)
    item = assignment_miss(student, instructor)
    missed_at = due + timedelta(hours=2)
    hand_in_later(item, missed_at)
    now = utcnow()
    assert enqueue_released_misses(db.session, student.id, now) == 1
    db.session.commit()
    card = card_of(student, question_id)
    lapsed = expected(due, (AGAIN, missed_at))
    assert (card.stability, card.last_review, card.due) == (pytest.approx(lapsed.stability), missed_at, now)
    assert logs(student)[1:] == [(AGAIN, "quiz", REVIEW_STATE, missed_at)]
    # The results page seen again: nothing more to do.
    assert enqueue_released_misses(db.session, student.id, utcnow()) == 0
    assert len(logs(student)) == 2


def test_a_card_studied_since_the_released_miss_keeps_its_schedule(app, fixture_bank, student, instructor):
    question_id = practice_item(student).question_id
    due = utcnow().replace(microsecond=0) - timedelta(days=1)
    learned_card(student, question_id, due)
    item = assignment_miss(student, instructor)
    hand_in_later(item, due - timedelta(hours=2))  # answered before the card's latest review
    card = card_of(student, question_id)
    card.last_review = due - timedelta(hours=1)
    db.session.commit()
    assert enqueue_released_misses(db.session, student.id, utcnow()) == 0
    assert card_of(student, question_id).version == 2 and len(logs(student)) == 1  # only the change above
