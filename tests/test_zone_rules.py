"""Where time zone rules come from: an old system tz database must not put Almaty's deadlines an hour off."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from importlib.resources import files
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.models import User
from quizapp.srs.days import user_time
from quizapp.timezones import _known, timezone_choices


@pytest.fixture
def system_zones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A system tz database of a chosen version in which Asia/Almaty still keeps UTC+6, as before 2024a."""
    monkeypatch.delenv("PYTHONTZPATH", raising=False)

    def install(version: str) -> None:
        (tmp_path / "Asia").mkdir()
        # Omsk has kept UTC+6 all year since 2016: the rules old databases give Almaty.
        (tmp_path / "Asia" / "Almaty").write_bytes((files("tzdata.zoneinfo.Asia") / "Omsk").read_bytes())
        (tmp_path / "tzdata.zi").write_text(f"# version {version}\n", encoding="ascii")
        zoneinfo.reset_tzpath(to=[str(tmp_path)])
        zoneinfo.ZoneInfo.clear_cache()

    yield install
    zoneinfo.reset_tzpath()
    zoneinfo.ZoneInfo.clear_cache()
    timezone_choices.cache_clear()
    _known.cache_clear()


@pytest.mark.parametrize("version, hour", [("2023c", 17), ("2999z", 18)])
def test_the_newer_of_the_system_and_shipped_zone_rules_is_read(system_zones, tmp_path, version, hour):
    system_zones(version)
    create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db'}",
                "INSTANCE_PATH": str(tmp_path / "instance")})
    almaty = User(email="a@example.org", display_name="a", password_hash="-", timezone="Asia/Almaty")
    # Noon UTC: 17:00 in Almaty since March 2024; a system database newer than the app's tzdata is kept.
    assert user_time(datetime(2026, 3, 2, 12, 0, tzinfo=zoneinfo.ZoneInfo("UTC")), almaty).hour == hour
