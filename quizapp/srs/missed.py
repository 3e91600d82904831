"""Questions missed in quizzes: back in the review queue at once, and for a learned card, a lapse FSRS learns from.

A quiz answer that misses a card in the review state is as much a failure to recall as an Again in study: it is
applied as one, at the moment of the answer, and logged with source "quiz". Without it, a card failed in a quiz and
rated Good in study minutes later was taken for a success after its whole interval, and its interval grew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Executable, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from quizapp.driver_sql import DriverConnection, DriverStatement
from quizapp.models import Card, ReviewLog, User
from quizapp.models.types import utcnow
from quizapp.srs.scheduling import AGAIN, QUIZ, REVIEW_STATE, fresh_state, review, scheduler_for

# Each turn after the first means the card changed between the look and the write (a study rating in another
# tab): a few are plenty. Should they run out, the card is at least put back in the queue.
TRIES = 5


@dataclass(frozen=True)
class _Seen:
    """A card as the look found it, with what its owner's scheduler needs."""

    id: int
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    version: int
    desired_retention: float
    parameters: list[float] | None
    timezone: str | None
    day_starts_at: int


def enqueue_missed(session: Session | DriverConnection, user_id: int, question_id: int, now: datetime | None = None,
                   *, missed_at: datetime | None = None, revision_id: int | None = None) -> None:
    """Put a question answered wrongly into the user's review queue, due now; a miss of a card in the review
    state is also a lapse: the card rated Again at the moment of the miss (`missed_at`, now unless the verdict was
    held back until later), logged as coming from a quiz with the revision answered.

    A card still in its learning steps only has its due date moved earlier (study will see how it goes); one never
    studied is added, due now. A miss no later than the card's last review changes nothing: that review came
    after it, or the miss has counted already. Every write is a single statement, and the lapse is written only
    over the version of the card it was worked out from, so concurrent answers and ratings cannot undo each other.
    On a driver connection (the quick answer path's) the statements run on the driver's cursor."""
    now = now or utcnow()
    missed_at = missed_at or now
    moved = {"b_user_id": user_id, "b_question_id": question_id, "b_due": now}
    state = fresh_state(now)
    new = {"user_id": user_id, "question_id": question_id, "state": int(state.state), "step": state.step,
           "due": now, "version": 1, "origin": "missed", "created_at": now}
    # Most misses are of questions the student has never studied (a class meeting new material): the insert alone
    # queues those, in one statement; only where a card is there already is it looked at.
    if _rows(session, "insert", new):
        return
    for _turn in range(TRIES):
        found = _rows(session, "look", {"b_user_id": user_id, "b_question_id": question_id})
        if not found:
            if _rows(session, "insert", new):
                return
            continue  # deleted after the first insert, then made again by another answer: look at it
        seen = _Seen(*found[0])
        if seen.last_review is not None and seen.last_review >= missed_at:
            return
        if seen.state != REVIEW_STATE:
            _rows(session, "move_earlier", moved)
            return
        if _lapse(session, seen, user_id, question_id, now, missed_at, revision_id):
            return
    _rows(session, "move_earlier", moved)


def _lapse(session: Session | DriverConnection, seen: _Seen, user_id: int, question_id: int, now: datetime,
           missed_at: datetime, revision_id: int | None) -> bool:
    """Rate the card Again at the miss and log it, unless it has changed since it was seen; whether it was."""
    card = Card(id=seen.id, state=seen.state, step=seen.step, stability=seen.stability, difficulty=seen.difficulty,
                due=seen.due, last_review=seen.last_review)
    # The owner as far as scheduling reads them: retention, parameters, time zone and the hour their day starts.
    owner = User(desired_retention=seen.desired_retention, fsrs_parameters=seen.parameters, timezone=seen.timezone,
                 day_starts_at=seen.day_starts_at)
    review(scheduler_for(owner), card, AGAIN, missed_at, owner)
    # Due now rather than after the first relearning step: the student meets it again in study at once.
    written = _rows(session, "lapse", {
        "b_id": seen.id, "b_version": seen.version, "b_state": card.state, "b_step": card.step,
        "b_stability": card.stability, "b_difficulty": card.difficulty, "b_due": now, "b_last_review": missed_at})
    if not written:
        return False
    _rows(session, "log", {"card_id": seen.id, "user_id": user_id, "question_id": question_id,
                           "revision_id": revision_id, "rating": AGAIN, "state_before": REVIEW_STATE,
                           "reviewed_at": missed_at, "source": QUIZ})
    return True


def _rows(session: Session | DriverConnection, name: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run one of the statements by name; the rows it returns."""
    if isinstance(session, DriverConnection):
        return _on_driver(session.dialect.name)[name].rows(session, params)
    statement = _statements(session.get_bind().dialect.name)[name]
    return [tuple(row) for row in session.execute(statement, params)]


@cache
def _on_driver(dialect: str) -> dict[str, DriverStatement]:
    return {name: DriverStatement(statement) for name, statement in _statements(dialect).items()}


@cache
def _statements(dialect: str) -> dict[str, Executable]:
    """The statements of enqueue_missed, built once per dialect on the tables (no ORM bookkeeping). Each returns
    rows: RETURNING tells whether a row was written (rowcount is not reliable for this on every driver)."""
    cards, users, logs = Card.__table__, User.__table__, ReviewLog.__table__

    def bound(name: str, column: Any) -> Any:
        return bindparam(f"b_{name}", type_=column.type)

    look = (
        select(cards.c.id, cards.c.state, cards.c.step, cards.c.stability, cards.c.difficulty, cards.c.due,
               cards.c.last_review, cards.c.version, users.c.desired_retention, users.c.fsrs_parameters,
               users.c.timezone, users.c.day_starts_at)
        .join_from(cards, users, users.c.id == cards.c.user_id)
        .where(cards.c.user_id == bindparam("b_user_id"), cards.c.question_id == bindparam("b_question_id"))
    )
    insert_card = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(cards).on_conflict_do_nothing(
        index_elements=["user_id", "question_id"]).returning(cards.c.id)
    due = bound("due", cards.c.due)
    move_earlier = (
        update(cards)
        .where(cards.c.user_id == bindparam("b_user_id"), cards.c.question_id == bindparam("b_question_id"),
               cards.c.due > due)
        .values(due=due, version=cards.c.version + 1)
        .returning(cards.c.id)
    )
    lapse = (
        update(cards)
        .where(cards.c.id == bindparam("b_id"), cards.c.version == bindparam("b_version"))
        .values(state=bound("state", cards.c.state), step=bound("step", cards.c.step),
                stability=bound("stability", cards.c.stability), difficulty=bound("difficulty", cards.c.difficulty),
                due=due, last_review=bound("last_review", cards.c.last_review), version=cards.c.version + 1)
        .returning(cards.c.id)
    )
    log = insert(logs).returning(logs.c.id)
    return {"look": look, "insert": insert_card, "move_earlier": move_earlier, "lapse": lapse, "log": log}
