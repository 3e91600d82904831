"""Row locks that work alike on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, update
from sqlalchemy.orm import Session


def write_lock(session: Session, model: Any, *where: ColumnElement[bool]) -> None:
    """Write-lock the model's rows that match until the transaction ends, by an UPDATE that changes nothing.

    SELECT … FOR UPDATE does nothing on SQLite; a write takes its one write lock there and the row lock on
    PostgreSQL, so two transactions that both begin with it run one after the other."""
    table = model.__table__
    key = next(iter(table.primary_key.columns))
    session.execute(update(table).where(*where).values({key.name: key}))
