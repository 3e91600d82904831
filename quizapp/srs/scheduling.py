"""The bridge between our Card rows and the fsrs package's scheduler."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quizapp.models import Card, User
from quizapp.srs.days import study_day, user_zone

AGAIN, HARD, GOOD, EASY = (int(r) for r in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy))
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
REVIEW_STATE = int(State.Review)
# Where a review_log row comes from: a rating given in study, or a quiz answer that missed a card in review.
STUDY, QUIZ = "study", "quiz"


def scheduler_for(user: User, fuzz: bool = True) -> Scheduler:
    """An FSRS scheduler with the user's retention target and, once fitted, their own parameters."""
    options = {"desired_retention": user.desired_retention, "enable_fuzzing": fuzz}
    if user.fsrs_parameters:
        options["parameters"] = tuple(user.fsrs_parameters)
    return Scheduler(**options)


def to_fsrs(card: Card) -> FsrsCard:
    """The scheduler's view of a stored card."""
    # A card being started has no id until it is flushed; without one the fsrs package makes one from the clock
    # and sleeps a millisecond, while the rating holds the write lock.
    return FsrsCard(card_id=card.id or 0, state=State(card.state), step=card.step, stability=card.stability,
                    difficulty=card.difficulty, due=card.due, last_review=card.last_review)


def copy_state(source: FsrsCard, card: Card) -> None:
    """Store the scheduler's card state on our row."""
    card.state, card.step = int(source.state), source.step
    card.stability, card.difficulty = source.stability, source.difficulty
    card.due, card.last_review = source.due, source.last_review


def scheduling_of(card: Card) -> dict[str, Any]:
    """A card's scheduling fields, as the signed session cookie keeps them exactly (times in ISO 8601)."""
    return {"state": card.state, "step": card.step, "stability": card.stability, "difficulty": card.difficulty,
            "due": card.due.isoformat(), "last_review": card.last_review and card.last_review.isoformat()}


def fresh_state(now: datetime) -> FsrsCard:
    """The state of a card never reviewed, due now."""
    # card_id given: without one the fsrs package makes one from the clock and sleeps a millisecond.
    return FsrsCard(card_id=0, due=now)


def review(scheduler: Scheduler, card: Card, rating: int, now: datetime, user: User) -> None:
    """Apply one rating to a card at a moment, updating it in place; a review card's days are the user's: study days
    since its last review, calendar days of their time zone until it is due."""
    shown = to_fsrs(card)
    if card.state == REVIEW_STATE and card.last_review is not None:
        days = (study_day(user, now) - study_day(user, card.last_review)).days
        # A review card is due from the start of its study day, so it is often met a day on but less than 24 hours
        # after its last review, which FSRS would take for a second look the same day (a stability barely moved,
        # the card back day after day). Count the days as the student lives them, as Anki does: rated at 23:00
        # and again at 1:00, before their day turns at 4:00, it is the same day.
        if days > (now - card.last_review).days:
            shown.last_review = now - timedelta(days=days)
    updated, _log = scheduler.review_card(shown, Rating(rating), review_datetime=now)
    copy_state(updated, card)
    interval = card.due - now
    if card.state == REVIEW_STATE and not interval % timedelta(days=1):
        # FSRS counts a day as 24 hours: across a clock change that lands an hour off, and a card rated near
        # the start of a study day on another day than the interval says (at 00:30 the night the clocks go back, a
        # day ahead is that same calendar day). The same clock time, that many days on in the zone's calendar.
        with suppress(OverflowError):  # at the very edge of the calendar, 24-hour days stand
            card.due = (now.astimezone(user_zone(user)) + interval).astimezone(UTC)
