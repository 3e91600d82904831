"""How a time's zone is written: a name people know, or an offset from UTC, never the tz database's bare "+05"."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from quizapp.timezones import clock_time, zone_label

JUNE = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("zone", "label"), [
    ("Asia/Almaty", "UTC+5"),  # the tz database says "+05"
    ("Asia/Kolkata", "IST"),
    ("Asia/Kathmandu", "UTC+5:45"),
    ("America/Sao_Paulo", "UTC-3"),
    ("America/St_Johns", "NDT"),
    ("Europe/Berlin", "CEST"),
    ("UTC", "UTC"),
    ("Atlantic/Azores", "UTC"),  # "+00" in summer
])
def test_a_zone_is_named_as_people_read_it(zone, label):
    assert zone_label(JUNE.astimezone(ZoneInfo(zone))) == label


def test_a_clock_time_carries_its_zone():
    assert clock_time(JUNE.astimezone(ZoneInfo("Asia/Almaty"))) == "17:00 UTC+5"
    assert clock_time(JUNE.astimezone(ZoneInfo("Asia/Tehran"))) == "15:30 UTC+3:30"
