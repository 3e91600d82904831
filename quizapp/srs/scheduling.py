"""The bridge between our Card rows and the fsrs package's scheduler."""

from __future__ import annotations

from datetime import datetime

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quizapp.models import Card, User

AGAIN, HARD, GOOD, EASY = (int(r) for r in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy))
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
REVIEW_STATE = int(State.Review)


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


def fresh_state(now: datetime) -> FsrsCard:
    """The state of a card never reviewed, due now."""
    # card_id given: without one the fsrs package makes one from the clock and sleeps a millisecond.
    return FsrsCard(card_id=0, due=now)


def review(scheduler: Scheduler, card: Card, rating: int, now: datetime) -> None:
    """Apply one rating to a card at a moment, updating it in place."""
    updated, _log = scheduler.review_card(to_fsrs(card), Rating(rating), review_datetime=now)
    copy_state(updated, card)
