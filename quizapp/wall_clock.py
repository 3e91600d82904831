"""Times typed on a wall clock, read in a time zone: the ones its clocks skip, and the ones they show twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def skipped(local: datetime, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The wall-clock gap (from, to) a naive time falls in on a day the zone's clocks go forward; None for a
    time its clocks do show."""
    aware = local.replace(tzinfo=zone, fold=0)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local:
        return None
    before, after = aware.utcoffset(), local.replace(tzinfo=zone, fold=1).utcoffset()
    # The change happens between these two moments; find its minute (tz rules change clocks on whole minutes).
    low, high = local - after, local - before
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.replace(tzinfo=UTC).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    change = high.replace(second=0, microsecond=0)
    return change + before, change + after


def shown_twice(local: datetime, zone: ZoneInfo) -> bool:
    """Whether the zone's clocks show this naive time twice, in the hour they are turned back."""
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    return first.utcoffset() != second.utcoffset() and skipped(local, zone) is None


def wall_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """A stored moment as the zone's clocks show it, without its zone (in UTC at the very edge of the calendar,
    which no zone ahead of UTC can show)."""
    try:
        return moment.astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        return moment.astimezone(UTC).replace(tzinfo=None)


def typed_moment(local: datetime | None, zone: ZoneInfo, stored: datetime | None = None) -> datetime | None:
    """The UTC moment of a wall-clock time typed in the zone (the first of two, in the hour its clocks go back).
    A time left as the form showed it keeps its stored moment: the wall time alone could mean either one."""
    if local is None:
        return None
    if stored is not None and local == wall_time(stored, zone):
        return stored
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)
