"""Row locks that work alike on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session


def write_lock(session: Session, model: Any, *where: ColumnElement[bool]) -> None:
    """Write-lock the model's rows that match until the transaction ends, by an UPDATE that changes nothing.

    SELECT … FOR UPDATE does nothing on SQLite; a write takes its one write lock there and the row lock on
    PostgreSQL, so two transactions that both begin with it run one after the other."""
    _write_lock_count(session, model, *where)


def _write_lock_count(session: Session, model: Any, *where: ColumnElement[bool]) -> int:
    table = model.__table__
    key = next(iter(table.primary_key.columns))
    # Columns set on every update (a bank's updated_at) are set to themselves too: a lock is not a change.
    unchanged = {column.name: column for column in table.columns if column.onupdate is not None}
    return session.execute(update(table).where(*where).values({key.name: key, **unchanged})).rowcount


def share_lock(session: Session, model: Any, *where: ColumnElement[bool]) -> bool:
    """Share-lock the model's rows that match until the transaction ends; whether any still exists.

    On PostgreSQL, SELECT … FOR SHARE: many holders at once, yet a write_lock (or a delete) waits for them, and
    they for it, finding the row as it left it. SQLite has no row locks, and its one writer at a time is taken by
    write_lock: a transaction that writes anyway loses nothing by taking it first."""
    if session.get_bind().dialect.name == "sqlite":
        return bool(_write_lock_count(session, model, *where))
    table = model.__table__
    key = next(iter(table.primary_key.columns))
    return session.execute(select(key).where(*where).with_for_update(read=True)).first() is not None
