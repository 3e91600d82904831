"""Pages run the same queries however much they show: the progress page whatever a student got wrong, a quiz's
results and an instructor's view of an attempt whatever its length; the study front one more at most for a quiz's
misses asked for first."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import exists, func, insert, select

from quizapp.extensions import db
from quizapp.models import Bank, Card, Question, Response, ReviewLog, Role, User
from quizapp.progress.stats import most_missed, recent_attempts
from quizapp.quiz.service import record_self_grade, start_quiz, submit_answer
from quizapp.srs.days import day_bounds, study_day, user_zone
from quizapp.srs.stats import current_streak
from tests.test_classroom_reports import counted_statements
from tests.test_classroom_rules import given_for
from tests.test_missed_in_study import practice
from tests.test_study_quiz_misses import quiz_missing

WRONG = {"single_choice": 99, "multiple_response": [], "true_false": None, "numeric": "-1", "short_text": "no idea",
         "cloze": None}


def miss(student: User, questions: int) -> None:
    """A quiz in which the student gets the first `questions` gradable items wrong."""
    bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    attempt = start_quiz(db.session, student, bank, None, 8, random.Random(0))  # the same questions each time
    gradable = [item for item in attempt.items if item.question.type != "flashcard"]
    for item in gradable[:questions]:
        data, qtype = item.revision.data, item.question.type
        given = WRONG[qtype]
        if qtype == "true_false":
            given = not data["answer"]
        elif qtype == "cloze":
            given = ["nothing"] * len(data["blanks"])
        submit_answer(db.session, item, given)
    db.session.commit()


def the_student() -> User:
    return db.session.scalar(select(User).where(User.role == Role.STUDENT))


def test_the_progress_page_runs_as_many_queries_for_many_misses_as_for_one(logged_in, fixture_bank):
    miss(the_student(), 1)
    db.session.expunge_all()
    with counted_statements() as one:
        assert logged_in.get("/progress/").status_code == 200
    miss(the_student(), 6)
    db.session.expunge_all()
    with counted_statements() as many:
        page = logged_in.get("/progress/").get_data(as_text=True)
    assert len(many) == len(one)
    assert page.count("missed 2 of 2") == 1 and page.count("missed 1 of 1") == 5


def test_most_missed_names_each_question_with_its_last_item(student, fixture_bank):
    miss(student, 3)
    miss(student, 2)
    missed = most_missed(db.session, student.id)
    assert [m.misses for m in missed] == sorted((m.misses for m in missed), reverse=True)
    assert {m.misses for m in missed} == {1, 2}
    for entry in missed:
        last = db.session.scalar(select(func.max(Response.item_id)).where(
            Response.user_id == student.id, Response.question_id == entry.question.id))
        assert entry.last_item.id == last and entry.last_item.question_id == entry.question.id and entry.prompt


def finished_quiz(student: User, length: int) -> int:
    """A practice quiz of `length` questions, every one answered; returns its id."""
    bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    attempt = start_quiz(db.session, student, bank, None, length)
    for item in attempt.items:
        if item.question.type == "flashcard":
            submit_answer(db.session, item, None)  # "Show answer", then "I knew it"
            record_self_grade(db.session, item, True)
        else:
            submit_answer(db.session, item, given_for(item, True))
    db.session.commit()
    return attempt.id


def test_results_run_as_many_queries_for_a_long_quiz_as_for_a_short_one(logged_in, fixture_bank):
    counts = []
    for length in (2, 8):
        attempt_id = finished_quiz(the_student(), length)
        db.session.expunge_all()
        with counted_statements() as statements:
            page = logged_in.get(f"/quiz/{attempt_id}/results")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and html.count('<td class="right">') == length
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_api_reads_a_quiz_with_its_items_at_once(client, student, fixture_bank):
    from quizapp.api.tokens import create_token

    _token, secret = create_token(db.session, student, "tests")
    db.session.commit()
    # The token's first use records when it was used, which later requests skip for a while.
    assert client.get("/api/v1/banks", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    counts = []
    for length in (2, 8):
        attempt = start_quiz(db.session, the_student(), db.session.scalar(
            select(Bank).where(Bank.slug == "fixture-bank")), None, length)
        db.session.commit()
        attempt_id = attempt.id
        db.session.expunge_all()
        with counted_statements() as statements:
            response = client.get(f"/api/v1/quizzes/{attempt_id}", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200 and len(response.get_json()["items"]) == length
        counts.append(len(statements))
    assert counts[0] == counts[1]


def active_on(student: User, days_ago: list[int], now: datetime, answers: bool = False) -> None:
    """Rows of activity at noon local time on each of those study days: review logs, or quiz answers if `answers`."""
    zone = user_zone(student)
    card = db.session.scalar(select(Card).where(Card.user_id == student.id))
    if card is None:
        question = db.session.scalar(select(Question).order_by(Question.id))
        card = Card(user_id=student.id, question_id=question.id, state=2, due=now)
        db.session.add(card)
        db.session.flush()
    today = study_day(student, now)
    moments = [datetime.combine(today - timedelta(days=back), time(12), tzinfo=zone).astimezone(UTC)
               for back in days_ago]
    if answers:
        attempt = start_quiz(db.session, student, db.session.scalar(select(Bank)), None, len(moments),
                             random.Random(0))
        db.session.execute(insert(Response), [
            {"item_id": item.id, "user_id": student.id, "question_id": item.question_id,
             "revision_id": item.revision_id, "given": None, "is_correct": False, "score": 0.0, "answered_at": moment}
            for item, moment in zip(attempt.items, moments, strict=True)])
    else:
        db.session.execute(insert(ReviewLog), [
            {"card_id": card.id, "user_id": student.id, "question_id": card.question_id, "rating": 3,
             "reviewed_at": moment} for moment in moments])
    db.session.commit()


def streak_day_by_day(student: User, now: datetime, longest: int = 3650) -> int:
    """The streak as found by asking about each day in turn."""
    def active(back: int) -> bool:
        start, end = day_bounds(student, now, back), day_bounds(student, now, back - 1)
        return bool(db.session.scalar(select(
            exists().where(ReviewLog.user_id == student.id, ReviewLog.reviewed_at >= start, ReviewLog.reviewed_at < end)
            | exists().where(Response.user_id == student.id, Response.answered_at >= start,
                             Response.answered_at < end))))
    streak, back = 0, 0 if active(0) else 1
    while streak < longest and active(back):
        streak, back = streak + 1, back + 1
    return streak


@pytest.mark.parametrize("zone, hour", [("UTC", 0), ("UTC", 4), ("Asia/Almaty", 4), ("America/Havana", 0),
                                        ("America/Havana", 4), ("America/New_York", 1)])
def test_the_streak_is_the_same_as_counted_day_by_day(student, fixture_bank, zone, hour):
    # Havana's clocks change at midnight and New York's at 1:00 (shown twice), so their days are not all 24 hours.
    student.timezone, student.day_starts_at = zone, hour
    db.session.commit()
    now = datetime(2026, 11, 3, 3, 30, tzinfo=UTC)
    seen = []
    # Streaks ending at either side of a window of days asked about at once, today open or not.
    for days in ([1, 2], [0, 1, 2, 3, 4, 5, 6, 7], [8], [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
                 [24], [26], list(range(27, 70))):
        active_on(student, days, now)
        seen.append(current_streak(db.session, student, now))
        assert seen[-1] == streak_day_by_day(student, now)
    active_on(student, [25], now, answers=True)  # a quiz answer fills the gap left in the reviews
    assert current_streak(db.session, student, now) == streak_day_by_day(student, now) == 70
    assert current_streak(db.session, student, now, longest=10) == streak_day_by_day(student, now, 10) == 10
    assert seen == [2, 8, 9, 24, 25, 25, 25]


def test_a_long_streak_takes_a_few_statements_not_one_per_day(logged_in, fixture_bank):
    now = datetime.now(UTC)
    active_on(the_student(), [1, 2], now)
    db.session.expunge_all()
    with counted_statements() as short:
        assert "<strong>2</strong> days in a row" in logged_in.get("/progress/").get_data(as_text=True)
    active_on(the_student(), list(range(3, 401)), now)
    db.session.expunge_all()
    with counted_statements() as long:
        assert "<strong>400</strong> days in a row" in logged_in.get("/progress/").get_data(as_text=True)
    assert len(long) - len(short) <= 6  # one statement for 8 days, 16, 32 and so on up to 256 at a time


@contextmanager
def sqlite_steps() -> Iterator[list[int]]:
    """How many virtual machine instructions SQLite ran inside the block, in steps of 100 (SQLite only)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("counts SQLite's own work")
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    connection = db.session.connection().connection.driver_connection
    connection.set_progress_handler(step, 100)
    try:
        yield steps
    finally:
        connection.set_progress_handler(None, 100)


def test_the_latest_quizzes_are_counted_without_reading_other_students_quizzes(student, make_user, fixture_bank):
    finished_quiz(student, 3)
    others = [make_user() for _ in range(4)]
    with sqlite_steps() as alone:
        shown = recent_attempts(db.session, student.id)
    for other in others:
        for _ in range(5):
            finished_quiz(other, 8)
    with sqlite_steps() as among_many:
        assert recent_attempts(db.session, student.id) == shown
    assert among_many[0] <= alone[0] + 5


def test_the_study_front_runs_one_more_query_at_most_for_a_quizs_misses(logged_in, student, make_user,
                                                                         fixture_bank):
    own, _missed, _older = quiz_missing(student)
    other = practice(make_user())
    db.session.commit()
    counts = []
    for quiz in ("", f"&quiz={own.id}", f"&quiz={other.id}"):
        db.session.expunge_all()
        with counted_statements() as statements:
            assert logged_in.get(f"/study/?bank={own.bank_id}{quiz}").status_code == 200
        counts.append(len(statements))
    # A miss served takes the place of the usual look for the most overdue card; none to serve, one look more.
    assert counts[1] == counts[0] and counts[2] == counts[0] + 1
