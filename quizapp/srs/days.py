"""The student's study day: from the hour they choose (4:00 unless they change it) in their time zone to that hour
the next day, so a session that runs past midnight stays in the evening's day, as in Anki."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quizapp.models import User
from quizapp.wall_clock import skipped


def user_zone(user: User) -> ZoneInfo:
    """The user's time zone, UTC if the stored name is unknown."""
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def user_time(moment: datetime, user: User) -> datetime:
    """A moment in the user's time zone; in UTC for one at the very edge of the calendar (stored before forms
    bounded the year), which no zone ahead of UTC can show."""
    return _in_zone(moment, user_zone(user))


def _in_zone(moment: datetime, zone: ZoneInfo) -> datetime:
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment.astimezone(UTC)


def day_start_label(hour: int) -> str:
    """The hour a study day starts at, as a person says it: "midnight", "4:00"."""
    return "midnight" if hour == 0 else f"{hour}:00"


def day_start(user: User, day: date) -> datetime:
    """The moment the user's study day of a date begins, in UTC: their hour on that date, in their time zone."""
    zone = user_zone(user)
    wall = datetime.combine(day, time(user.day_starts_at))
    gap = skipped(wall, zone)
    if gap is not None:
        # The clocks go forward across the hour (New York's 2:00 in March): the day begins as they pass it.
        return gap[1].replace(tzinfo=zone).astimezone(UTC)
    # fold=0: where the clocks go back across the hour (Havana's midnight in November, New York's 1:00), the day
    # began the first time the hour was shown, even while the second time round it is shown again. In UTC: a time
    # of the hour shown twice compares unequal to any time of another zone (PEP 495).
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def study_day(user: User, moment: datetime) -> date:
    """The date of the user's study day a moment falls in: before their hour, the day before the calendar's."""
    return StudyDays(user)(moment)


def study_day_start(user: User, now: datetime) -> datetime:
    """When the user's study day that a moment falls in began, in UTC."""
    return day_start(user, study_day(user, now))


def day_bounds(user: User, now: datetime, days_back: int) -> datetime:
    """The moment the user's study day `days_back` days before the present one began (negative: days ahead)."""
    return day_start(user, study_day(user, now) - timedelta(days=days_back))


class StudyDays:
    """study_day and day_start for many moments and days of one user, each date's start worked out once."""

    def __init__(self, user: User) -> None:
        self._user, self._zone = user, user_zone(user)
        self._starts: dict[date, datetime] = {}

    def start(self, day: date) -> datetime:
        """The moment the study day of a date begins, in UTC."""
        found = self._starts.get(day)
        if found is None:
            found = self._starts[day] = day_start(self._user, day)
        return found

    def __call__(self, moment: datetime) -> date:
        """The date of the study day the moment falls in."""
        day = _in_zone(moment, self._zone).date()
        return day if moment >= self.start(day) else day - timedelta(days=1)
