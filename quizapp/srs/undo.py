"""Taking back the last rating given in study (a mis-tap): what is kept of it, and the undoing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from quizapp.models import Card, ReviewLog, User
from quizapp.srs.queue import Rated
from quizapp.srs.scheduling import STUDY

# How long a rating may be taken back: long enough to notice a mis-tap, not so long that a button met the next day
# takes back a rating nobody remembers giving.
UNDO_WINDOW = timedelta(minutes=10)


class UndoRefused(Exception):
    """An undo that would change nothing it should: the card was rated or changed since, or the rating is gone."""


def undo_entry(rated: Rated) -> dict[str, Any]:
    """What it takes to undo a rating, small enough for the session cookie: whose it is, the card, its version after
    the rating, the log row written and the card's scheduling fields before (None: the rating started the card)."""
    return {"user": rated.card.user_id, "card": rated.card.id, "version": rated.card.version, "log": rated.log.id,
            "question": rated.card.question_id, "rating": rated.log.rating, "before": rated.before,
            "at": int(rated.log.reviewed_at.timestamp())}


def undoable(entry: dict[str, Any] | None, user_id: int, now: datetime) -> bool:
    """Whether an entry is the user's own and recent enough to offer (UNDO_WINDOW): logging out keeps the session,
    so it may be the entry of whoever studied in this browser before."""
    if not isinstance(entry, dict) or entry.get("user") != user_id or not isinstance(entry.get("at"), int):
        return False
    return now.timestamp() - entry["at"] <= UNDO_WINDOW.total_seconds()


def undo_rating(session: Session, user: User, entry: dict[str, Any]) -> int:
    """Put the user's card back as it was before the rating `entry` describes (a card the rating started is deleted,
    new again) and delete that rating's log row, flushed in the session's transaction; the question's id.

    Raises UndoRefused, with the session rolled back, unless the card is the user's and still at the version the
    rating left it at: a rating since, a quiz's lapse or an undo already done (two tabs, a double submit) all moved
    it on. Statements on the tables: objects loaded before are not refreshed."""
    cards, logs = Card.__table__, ReviewLog.__table__
    try:
        card_id, version, log_id, before = int(entry["card"]), int(entry["version"]), int(entry["log"]), entry["before"]
        restored = None if before is None else _restored(before)
    except (KeyError, TypeError, ValueError) as error:  # signed, so only ever an entry an older release wrote
        raise UndoRefused() from error
    untouched = (cards.c.id == card_id, cards.c.user_id == user.id, cards.c.version == version)
    if restored is None:
        # Its first rating started the card: without the row the question is new again, and counts no more
        # against today's new cards (new_cards_today counts the rows).
        statement = delete(cards).where(*untouched, cards.c.origin == "new")
    else:
        # The version moves on rather than back: a version seen before could come round again and let an old
        # entry pass for a current one.
        statement = update(cards).where(*untouched).values(**restored, version=cards.c.version + 1)
    # The log row first: deleting a card takes its log rows with it. RETURNING tells whether a row was written
    # (rowcount is not reliable for this on every driver).
    removed = session.execute(delete(logs).where(
        logs.c.id == log_id, logs.c.card_id == card_id, logs.c.user_id == user.id, logs.c.source == STUDY,
    ).returning(logs.c.id)).first()
    changed = session.execute(statement.returning(cards.c.question_id)).first()
    if changed is None or removed is None:
        session.rollback()
        raise UndoRefused()
    return changed.question_id


def _restored(before: dict[str, Any]) -> dict[str, Any]:
    """Scheduling fields as scheduling_of kept them, ready to be written back."""
    last_review = before["last_review"]
    return {"state": int(before["state"]), "step": before["step"], "stability": before["stability"],
            "difficulty": before["difficulty"], "due": datetime.fromisoformat(before["due"]),
            "last_review": None if last_review is None else datetime.fromisoformat(last_review)}
