"""The time zones an account can be in, the one a new account starts in, and where their rules are read."""

from __future__ import annotations

import os
import zoneinfo
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

from flask import current_app


def use_newest_zone_rules() -> None:
    """Read time zone rules from the tzdata package installed with the app when the system's tz database is
    older (or says no version), so that an old server reads changes such as Kazakhstan's move to UTC+5 in
    March 2024 right; PYTHONTZPATH, when set, is the operator's choice and is kept."""
    if "PYTHONTZPATH" in os.environ or not zoneinfo.TZPATH:
        return  # the operator's choice, or the package's rules already
    try:
        import tzdata
    except ImportError:
        return
    # Versions such as 2024a and 2025b sort by their text.
    system = _system_version()
    if system is not None and system >= tzdata.IANA_VERSION:
        return
    # zoneinfo looks in the system's folders first and falls back on the tzdata package when they are gone.
    zoneinfo.reset_tzpath(to=())
    zoneinfo.ZoneInfo.clear_cache()
    timezone_choices.cache_clear()
    _known.cache_clear()


def _system_version() -> str | None:
    """The version of the tz database in the first folder zoneinfo reads, from its tzdata.zi; None if it has none."""
    for folder in zoneinfo.TZPATH:
        if Path(folder).is_dir():
            try:
                with open(Path(folder) / "tzdata.zi", encoding="ascii") as file:
                    first = file.readline().split()
            except (OSError, UnicodeDecodeError):
                return None
            return first[2] if first[:2] == ["#", "version"] and len(first) > 2 else None
    return None


@cache
def timezone_choices() -> list[str]:
    """Every IANA time zone name, sorted, UTC first."""
    return ["UTC", *sorted(zone for zone in available_timezones() if zone != "UTC" and "/" in zone)]


@cache
def _known() -> frozenset[str]:
    return frozenset(timezone_choices())


def is_known_zone(name: object) -> bool:
    """Whether the name is one of the zones an account may choose."""
    return isinstance(name, str) and name in _known()


def starting_zone(device_zone: str | None = None) -> str:
    """The zone a new account starts in: its device's, when the browser reported a known one, else the
    deployment's DEFAULT_TIMEZONE."""
    return device_zone if is_known_zone(device_zone) else current_app.config["DEFAULT_TIMEZONE"]


def zone_label(moment: datetime) -> str:
    """The zone of a local time as a reader knows it: its abbreviation (UTC, CET, EST), else its offset from UTC
    ("UTC+5", "UTC+5:30"), since for many zones the tz database has only a number such as "+05"."""
    name = moment.tzname() or ""
    offset = moment.utcoffset()
    if name[:1] not in ("+", "-", "") or offset is None:
        return name
    minutes = round(offset.total_seconds() / 60)
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "") if minutes else "UTC"


def clock_time(moment: datetime) -> str:
    """A local time of day with its zone, as "14:00 UTC+5"."""
    return f"{moment:%H:%M} {zone_label(moment)}"
