"""The study day starts at the hour each student chooses (4:00 unless they change it), not at midnight: new cards,
cards due "today", the days between reviews, streaks and charts all turn over then, clock changes included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Rating, Scheduler
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import User
from quizapp.srs.days import day_start, study_day, study_day_start
from quizapp.srs.queue import due_count, new_allowance, next_card, next_due_at
from quizapp.srs.scheduling import AGAIN, EASY, GOOD, to_fsrs
from quizapp.srs.stats import current_streak, due_forecast, reviews_per_day
from tests.conftest import csrf_from, login
from tests.test_api import API, bearer, token  # noqa: F401 - fixtures
from tests.test_srs import card_of, questions, review


def local(zone: str, *fields: int) -> datetime:
    """A wall-clock time in a zone, as an aware UTC time (the first of two, where the clocks show it twice)."""
    return datetime(*fields, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def settle(student: User, zone: str, hour: int, new_cards: int = 20) -> None:
    student.timezone, student.day_starts_at, student.new_cards_per_day = zone, hour, new_cards
    db.session.commit()


def test_a_new_account_starts_its_day_at_four(student):
    assert student.day_starts_at == 4


@pytest.mark.parametrize("hour", [0, 23])
def test_the_database_takes_every_hour_of_the_day(student, hour):
    db.session.execute(update(User).where(User.id == student.id).values(day_starts_at=hour))
    db.session.commit()
    db.session.refresh(student)
    assert student.day_starts_at == hour


@pytest.mark.parametrize("hour", [24, -1])
def test_the_database_refuses_an_hour_that_is_not_of_the_day(student, hour):
    # The form offers 0 to 23 only; a script or a later change that forgot to check still cannot store another.
    with pytest.raises(IntegrityError):
        db.session.execute(update(User).where(User.id == student.id).values(day_starts_at=hour))
        db.session.flush()
    db.session.rollback()
    db.session.refresh(student)
    assert student.day_starts_at == 4


@pytest.mark.parametrize("zone", ["UTC", "Asia/Almaty", "America/New_York"])
def test_the_new_card_limit_starts_again_when_the_study_day_starts_not_at_midnight(student, fixture_bank, zone):
    settle(student, zone, 4, new_cards=2)
    first, second = questions()[:2]
    review(student, first, EASY, local(zone, 2026, 3, 2, 23, 35))
    review(student, second, EASY, local(zone, 2026, 3, 2, 23, 40))
    for still_monday in (local(zone, 2026, 3, 3, 0, 0), local(zone, 2026, 3, 3, 0, 5), local(zone, 2026, 3, 3, 3, 59)):
        assert new_allowance(db.session, student, still_monday) == 0
        assert next_card(db.session, student, still_monday) is None
    tuesday = local(zone, 2026, 3, 3, 4, 0)
    assert new_allowance(db.session, student, tuesday) == 2
    assert next_card(db.session, student, tuesday).card is None


@pytest.mark.parametrize("hour, comes_back", [
    (4, datetime(2026, 3, 3, 4, 0)),  # the next morning's study day
    (0, datetime(2026, 3, 3, 0, 0)),  # a student who chose midnight has it back at midnight
])
def test_a_card_reviewed_late_in_the_evening_comes_back_when_the_next_study_day_starts(
        student, fixture_bank, hour, comes_back):
    settle(student, "Asia/Almaty", hour)
    question = questions()[0]
    evening = local("Asia/Almaty", 2026, 3, 2, 23, 35)
    review(student, question, AGAIN, evening - timedelta(minutes=1))
    review(student, question, EASY, evening)  # out of learning: one day ahead
    due = card_of(student, question).due.astimezone(ZoneInfo("Asia/Almaty"))
    assert due.replace(tzinfo=None) == datetime(2026, 3, 3, 23, 35)
    back = comes_back.replace(tzinfo=ZoneInfo("Asia/Almaty"))
    assert next_due_at(db.session, student) == back
    assert due_count(db.session, student, back - timedelta(minutes=1)) == 0
    assert due_count(db.session, student, back) == 1


@pytest.mark.parametrize("hour, days", [(4, 0), (0, 1)])
def test_reviews_at_23_and_at_1_are_days_apart_only_if_the_day_turned_between(student, fixture_bank, hour, days):
    """Rated at 23:00 and again at 1:00, a card has waited a day when the day starts at midnight, and none when it
    starts at 4:00: its second rating is then a second look the same day, as FSRS takes one."""
    settle(student, "Europe/Berlin", hour)
    question = questions()[0]
    monday = local("Europe/Berlin", 2026, 3, 2, 23, 0)
    review(student, question, AGAIN, monday - timedelta(minutes=1))
    review(student, question, EASY, monday)  # in review, last reviewed at 23:00
    night = local("Europe/Berlin", 2026, 3, 3, 1, 0)
    shown = to_fsrs(card_of(student, question))
    if days:
        shown.last_review = night - timedelta(days=days)
    expected, _ = Scheduler(enable_fuzzing=False).review_card(shown, Rating.Good, review_datetime=night)
    review(student, question, GOOD, night)
    card = card_of(student, question)
    assert card.stability == pytest.approx(expected.stability, rel=1e-12)
    assert card.last_review == night


@pytest.mark.parametrize("zone, hour, day, starts", [
    # Kyiv's clocks go forward from 3:00 to 4:00: the day starts as they do.
    ("Europe/Kyiv", 3, date(2026, 3, 29), datetime(2026, 3, 29, 1, 0)),
    # ... and back from 4:00 to 3:00: the day starts at the first 3:00, not the second.
    ("Europe/Kyiv", 3, date(2026, 10, 25), datetime(2026, 10, 25, 0, 0)),
    ("America/New_York", 2, date(2026, 3, 8), datetime(2026, 3, 8, 7, 0)),  # 2:00 skipped: 3:00 EDT
    ("America/New_York", 1, date(2026, 11, 1), datetime(2026, 11, 1, 5, 0)),  # 1:00 twice: 1:00 EDT
    ("America/Havana", 0, date(2026, 11, 1), datetime(2026, 11, 1, 4, 0)),  # midnight twice: the first
    ("America/Havana", 0, date(2026, 3, 8), datetime(2026, 3, 8, 5, 0)),  # midnight skipped: 1:00 CDT
    ("Australia/Lord_Howe", 2, date(2026, 10, 4), datetime(2026, 10, 3, 15, 30)),  # 2:00 to 2:30: at 2:30
    ("America/New_York", 4, date(2026, 3, 8), datetime(2026, 3, 8, 8, 0)),  # a 23-hour day, 4:00 EDT
    ("America/New_York", 4, date(2026, 11, 1), datetime(2026, 11, 1, 9, 0)),  # after a 25-hour day: 4:00 EST
])
def test_a_day_whose_start_the_clocks_skip_or_show_twice_starts_once_at_the_first_moment_after_it(
        student, zone, hour, day, starts):
    settle(student, zone, hour)
    start = starts.replace(tzinfo=UTC)
    assert day_start(student, day) == start
    assert study_day(student, start) == day and study_day_start(student, start) == start
    assert study_day(student, start - timedelta(seconds=1)) == day - timedelta(days=1)
    # Every moment up to the next day's start is the same day, the hour the clocks show twice included.
    assert study_day(student, day_start(student, day + timedelta(days=1)) - timedelta(seconds=1)) == day
    for minutes in range(0, 25 * 60, 15):
        moment = start + timedelta(minutes=minutes)
        assert study_day_start(student, moment) == (start if moment < day_start(student, day + timedelta(days=1))
                                                    else day_start(student, day + timedelta(days=1)))


def test_the_second_time_round_the_hour_the_clocks_show_twice_is_the_same_study_day(student, fixture_bank):
    # Kyiv's clocks go back from 4:00 to 3:00 on 25 October 2026; the day starts at 3:00, the first time.
    settle(student, "Europe/Kyiv", 3, new_cards=1)
    review(student, questions()[0], EASY, datetime(2026, 10, 25, 0, 10, tzinfo=UTC))  # 3:10 EEST
    assert new_allowance(db.session, student, datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == 0  # 3:30 EET
    assert new_allowance(db.session, student, datetime(2026, 10, 26, 1, 0, tzinfo=UTC)) == 1  # 3:00 the next day


def test_reviews_past_midnight_count_on_the_evenings_day_in_charts_and_streaks(student, fixture_bank):
    settle(student, "Asia/Almaty", 4)
    first, second = questions()[:2]
    review(student, first, GOOD, local("Asia/Almaty", 2026, 5, 17, 23, 30))
    review(student, second, GOOD, local("Asia/Almaty", 2026, 5, 19, 1, 30))  # still the 18th's study day
    now = local("Asia/Almaty", 2026, 5, 19, 3, 0)
    days = reviews_per_day(db.session, student, now)
    assert days[-1].day == date(2026, 5, 18)
    assert {d.day: d.count for d in days if d.count} == {date(2026, 5, 17): 1, date(2026, 5, 18): 1}
    assert current_streak(db.session, student, now) == 2
    student.day_starts_at = 0
    db.session.commit()
    assert current_streak(db.session, student, now) == 1  # at midnight, the 18th had no review


def test_the_forecast_puts_a_card_due_before_the_day_starts_on_the_day_before(student, fixture_bank):
    settle(student, "Asia/Almaty", 4)
    question = questions()[0]
    night = local("Asia/Almaty", 2026, 5, 18, 2, 0)  # the 17th's study day
    review(student, question, AGAIN, night - timedelta(minutes=1))
    review(student, question, EASY, night)
    assert card_of(student, question).due == local("Asia/Almaty", 2026, 5, 19, 2, 0)
    forecast = due_forecast(db.session, student, local("Asia/Almaty", 2026, 5, 18, 12, 0))
    assert [(d.day, d.count) for d in forecast if d.count] == [(date(2026, 5, 18), 1)]


def test_the_api_says_when_the_next_study_day_starts(client, student, token):  # noqa: F811
    settle(student, "Asia/Almaty", 4)
    study = client.get(f"{API}/me/progress", headers=bearer(token)).get_json()["study"]
    next_day = datetime.fromisoformat(study["next_day_at"])
    assert next_day.tzinfo is not None and next_day.utcoffset() == timedelta(0)
    in_almaty = next_day.astimezone(ZoneInfo("Asia/Almaty"))
    assert (in_almaty.hour, in_almaty.minute) == (4, 0)
    assert timedelta(0) < next_day - datetime.now(UTC) <= timedelta(days=1)


def test_the_settings_page_offers_every_hour_and_saves_the_chosen_one(client, student):
    login(client, student.email)
    page = client.get("/study/settings").get_data(as_text=True)
    assert page.count("<option") >= 24 and '<option value="0">0:00 (midnight)</option>' in page
    assert '<option value="23">23:00</option>' in page
    saved = client.post("/study/settings", data={
        "csrf_token": csrf_from(page), "timezone": "UTC", "day_starts_at": "23", "new_cards_per_day": "20",
        "desired_retention": "0.90"})
    assert saved.status_code == 302
    db.session.refresh(student)
    assert student.day_starts_at == 23
