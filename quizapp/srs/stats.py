"""Study statistics in the user's own study days: reviews, due forecast, retention, accuracy, streak."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Integer, Select, bindparam, case, exists, func, select
from sqlalchemy.orm import Session

from quizapp.figures import percent_of
from quizapp.models import Card, Question, Response, ReviewLog, User
from quizapp.quiz.deadlines import graded_answers
from quizapp.srs.days import StudyDays, day_bounds
from quizapp.srs.queue import in_study
from quizapp.srs.scheduling import AGAIN, REVIEW_STATE, STUDY


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class Rate:
    label: str
    total: int
    passed: int

    @property
    def percent(self) -> float | None:
        """The share passed, as a percentage with one decimal; None without reviews."""
        return percent_of(self.passed, self.total) if self.total else None


def reviews_per_day(session: Session, user: User, now: datetime, days: int = 30) -> list[DayCount]:
    """Reviews done in study on each of the user's last `days` study days, oldest first, today last."""
    since = day_bounds(user, now, days - 1)
    # A lapse a quiz miss counted is no review the student did: the quiz answer shows on the quiz side.
    moments = session.scalars(select(ReviewLog.reviewed_at).where(
        ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= since, ReviewLog.source == STUDY))
    study_day = StudyDays(user)
    counts = Counter(study_day(m) for m in moments)
    today = study_day(now)
    return [DayCount(d, counts[d]) for d in (today - timedelta(days=n) for n in range(days - 1, -1, -1))]


def due_forecast(session: Session, user: User, now: datetime, days: int = 30) -> list[DayCount]:
    """Cards in study falling due on each of the next `days` study days; today includes everything overdue."""
    until = day_bounds(user, now, -days)
    # The same cards as due_count's: none of a bank the user may no longer practise with.
    moments = session.scalars(
        in_study(select(Card.due).join(Question, Question.id == Card.question_id).where(Card.due < until), user))
    study_day = StudyDays(user)
    today = study_day(now)
    counts = Counter(max(study_day(m), today) for m in moments)
    return [DayCount(d, counts[d]) for d in (today + timedelta(days=n) for n in range(days))]


def retention_by_week(session: Session, user: User, now: datetime, weeks: int = 8) -> list[Rate]:
    """Share of study reviews of cards in the review state not rated Again, per week, oldest first."""
    since = day_bounds(user, now, weeks * 7 - 1)
    # Study reviews alone: a quiz logs its misses of learned cards as lapses but not the answers it got right, so
    # counting its lapses would only ever lower the figure.
    rows = session.execute(
        select(ReviewLog.reviewed_at, ReviewLog.rating)
        .where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= since, ReviewLog.state_before == REVIEW_STATE,
               ReviewLog.source == STUDY)
    ).all()
    study_day = StudyDays(user)
    today = study_day(now)
    totals: Counter[int] = Counter()
    passed: Counter[int] = Counter()
    for moment, rating in rows:
        week = (today - study_day(moment)).days // 7
        totals[week] += 1
        passed[week] += rating != AGAIN
    starts = [today - timedelta(days=7 * w + 6) for w in range(weeks)]
    return [Rate(starts[w].strftime("%d %b"), totals[w], passed[w]) for w in range(weeks - 1, -1, -1)]


def overall_retention(session: Session, user: User, now: datetime, days: int = 30) -> Rate:
    """Retention on review cards in study over the last `days` days (as retention_by_week counts it)."""
    total, passed = session.execute(
        select(func.count(), func.coalesce(func.sum(case((ReviewLog.rating != AGAIN, 1), else_=0)), 0))
        .where(ReviewLog.user_id == user.id, ReviewLog.state_before == REVIEW_STATE,
               ReviewLog.reviewed_at >= day_bounds(user, now, days - 1), ReviewLog.source == STUDY)
    ).one()
    return Rate(f"Last {days} days", total, int(passed))


def accuracy_by_topic(session: Session, user: User) -> list[Rate]:
    """Right answers per topic over quizzes and study reviews (a review is right unless rated Again), weakest
    first. Quiz answers count only once their feedback may be seen: a chart must not tell what a key still hides."""
    quiz = session.execute(
        select(Question.topic, func.count(), func.sum(case((Response.is_correct, 1), else_=0)).cast(Integer))
        .join(Question, Question.id == Response.question_id)
        .where(Response.user_id == user.id, graded_answers())
        .group_by(Question.topic)
    ).all()
    # Reviews are counted per question first, in the order of the (user, question, rating) index, and only those
    # few rows are joined to their questions: a long study history makes tens of thousands of reviews.
    per_question = (
        select(ReviewLog.question_id, func.count().label("total"),
               func.sum(case((ReviewLog.rating != AGAIN, 1), else_=0)).label("passed"))
        .where(ReviewLog.user_id == user.id, ReviewLog.source == STUDY)  # a quiz's lapse is its answer, counted above
        .group_by(ReviewLog.question_id)
        .subquery()
    )
    reviews = session.execute(
        select(Question.topic, func.sum(per_question.c.total).cast(Integer),
               func.sum(per_question.c.passed).cast(Integer))
        .join(per_question, per_question.c.question_id == Question.id)
        .group_by(Question.topic)
    ).all()
    totals: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for topic, total, right in [*quiz, *reviews]:
        totals[topic] += total
        passed[topic] += right or 0
    rates = [Rate(topic, totals[topic], passed[topic]) for topic in totals]
    return sorted(rates, key=lambda r: (r.percent, r.label))


def current_streak(session: Session, user: User, now: datetime, longest: int = 3650) -> int:
    """Consecutive study days with a study review or a quiz answer, up to today (or yesterday, if today is still
    open)."""
    days = _active_days(session, user, now)
    streak = int(next(days))
    for active in days:
        if not active or streak >= longest:
            break
        streak += 1
    return min(streak, longest)


# Days asked about per statement, going back from today: most streaks end within the first window, and a
# streak of years takes a dozen statements rather than one per day.
_FIRST_WINDOW, _LARGEST_WINDOW = 8, 256


def _active_days(session: Session, user: User, now: datetime) -> Iterator[bool]:
    """Whether the user reviewed or answered anything on each study day, today first, then back in time."""
    days = StudyDays(user)
    today = days(now)
    back, size = 0, _FIRST_WINDOW
    while True:
        # Day back + i runs from edge i + 1 up to edge i.
        edges = {f"edge_{i}": days.start(today - timedelta(days=back + i - 1)) for i in range(size + 1)}
        yield from (bool(flag) for flag in session.execute(_window_statement(size), {"user": user.id, **edges}).one())
        back, size = back + size, min(size * 2, _LARGEST_WINDOW)


@cache
def _window_statement(size: int) -> Select:
    """One row of `size` flags: whether there was a review or an answer between consecutive edges."""
    user = bindparam("user", type_=Integer)
    edges = [bindparam(f"edge_{i}", type_=ReviewLog.reviewed_at.type) for i in range(size + 1)]
    flags = []
    for i in range(size):
        # A lapse a quiz miss counted is no study of its own: its day counts through the quiz answer.
        reviewed = select(ReviewLog.id).where(ReviewLog.user_id == user, ReviewLog.reviewed_at >= edges[i + 1],
                                              ReviewLog.reviewed_at < edges[i], ReviewLog.source == STUDY)
        answered = select(Response.id).where(Response.user_id == user, Response.answered_at >= edges[i + 1],
                                             Response.answered_at < edges[i])
        flags.append((exists(reviewed) | exists(answered)).label(f"day_{i}"))
    return select(*flags)
