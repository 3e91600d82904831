"""The time zones an account can be in, and the one a new account starts in."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask import current_app


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
