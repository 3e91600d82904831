"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# The largest value of PostgreSQL's INTEGER, the type of every id and counter stored here. A larger number names
# nothing, and sent as a parameter it fails: PostgreSQL cannot cast it to INTEGER, SQLite's driver cannot send
# one past 2**63.
INTEGER_MAX = 2**31 - 1


def parse_id(text: str) -> int | None:
    """The number a string of ASCII digits gives, if an INTEGER column can hold it; None for anything else."""
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= INTEGER_MAX else None


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store times as naive UTC everywhere and hand them back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        """An aware time, stored as naive UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        """A stored naive UTC time, handed back aware."""
        return None if value is None else value.replace(tzinfo=UTC)
