"""The study half of the progress page: figures and charts from the review history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from quizapp.models import User
from quizapp.progress.charts import Chart, Point, column_chart, row_chart
from quizapp.srs.queue import due_count
from quizapp.srs.stats import (
    DayCount,
    Rate,
    accuracy_by_topic,
    current_streak,
    due_forecast,
    overall_retention,
    retention_by_week,
    reviews_per_day,
)


@dataclass(frozen=True)
class StudyProgress:
    streak: int
    due_now: int
    retention: Rate
    charts: list[Chart]


def study_progress(session: Session, user: User, now: datetime) -> StudyProgress:
    """The streak, what is due, retention and the four charts of the progress page."""
    return StudyProgress(
        streak=current_streak(session, user, now),
        due_now=due_count(session, user, now),
        retention=overall_retention(session, user, now),
        charts=[
            _reviews_chart(reviews_per_day(session, user, now)),
            _forecast_chart(due_forecast(session, user, now)),
            _retention_chart(retention_by_week(session, user, now)),
            _accuracy_chart(accuracy_by_topic(session, user)),
        ],
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _busiest(days: list[DayCount]) -> str:
    best = max(days, key=lambda d: d.count)
    return f" The busiest day was {best.day.isoformat()} with {best.count}." if best.count else ""


def _reviews_chart(days: list[DayCount]) -> Chart:
    total = sum(d.count for d in days)
    # Each day with reviews says how many above its column: a phone opens the chart at today, its scale out of view.
    points = [Point("Today" if i == len(days) - 1 else d.day.strftime("%d %b"), d.count, _plural(d.count, "review"),
                    str(d.count) if d.count else "")
              for i, d in enumerate(days)]
    summary = f"{_plural(total, 'review')} over the last {len(days)} days.{_busiest(days)}"
    return column_chart("reviews", "Reviews per day, last 30 days", summary, points, value_header="Reviews",
                        ends_now=True)


def _forecast_chart(days: list[DayCount]) -> Chart:
    total = sum(d.count for d in days)
    points = [Point("Today" if i == 0 else d.day.strftime("%d %b"), d.count, _plural(d.count, "card"))
              for i, d in enumerate(days)]
    summary = (f"{_plural(days[0].count, 'card')} due today (overdue included), "
               f"{_plural(total, 'card')} over the next {len(days)} days.")
    return column_chart("forecast", "Cards due, next 30 days", summary, points, value_header="Cards due")


def _retention_chart(weeks: list[Rate]) -> Chart:
    # Each column says its share, or "none": a week of reviews all rated Again has no bar either.
    points = [Point(w.label, w.percent or 0,
                    f"{w.percent}% of {_plural(w.total, 'review')}" if w.total else "no reviews",
                    f"{w.percent}%" if w.total else "none") for w in weeks]
    reviewed = [w for w in weeks if w.total]
    by_week = [f"week from {p.label}: {p.text}" for p, w in zip(points, weeks, strict=True) if w.total]
    summary = ("No reviews of cards in the review state yet." if not reviewed else
               "Share of reviews of learned cards you recalled (not rated Again), per week: "
               + "; ".join(by_week) + ".")
    return column_chart("retention", "Retention on review cards, by week", summary, points, label_every=1,
                        label_header="Week from", value_header="Retention", maximum=100, ends_now=True,
                        empty=not reviewed)


def _accuracy_chart(topics: list[Rate]) -> Chart:
    points = [Point(t.label, t.percent or 0, f"{t.percent}% of {_plural(t.total, 'answer')}") for t in topics]
    summary = ("No answers yet." if not topics else
               "Share of answers right, in quizzes and reviews, per topic, weakest first: "
               + "; ".join(f"{p.label}: {p.text}" for p in points) + ".")
    return row_chart("accuracy", "Accuracy by topic", summary, points, value_header="Accuracy")
