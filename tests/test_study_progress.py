"""Study statistics in the user's own days, the charts drawn from them, and fitting personal parameters."""

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Question
from quizapp.progress.charts import Point, column_chart, nice_ceiling, row_chart
from quizapp.srs import optimize
from quizapp.srs.scheduling import AGAIN, EASY, GOOD
from quizapp.srs.stats import (
    accuracy_by_topic,
    current_streak,
    due_forecast,
    overall_retention,
    reviews_per_day,
)
from tests.test_srs import review

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


def questions() -> list[Question]:
    return list(db.session.scalars(select(Question).order_by(Question.id)))


@pytest.mark.parametrize("hour, counts", [
    (0, {date(2026, 5, 18): 1, date(2026, 5, 19): 1}),
    (4, {date(2026, 5, 18): 2}),  # 1:30 on the 19th is still the study day of the 18th
])
def test_reviews_are_counted_on_the_users_study_day(student, fixture_bank, hour, counts):
    student.timezone, student.day_starts_at = "Asia/Almaty", hour  # UTC+5: 20:30 UTC is 1:30 the next day there
    db.session.commit()
    first, second = questions()[:2]
    review(student, first, GOOD, datetime(2026, 5, 18, 20, 30, tzinfo=UTC))
    review(student, second, GOOD, datetime(2026, 5, 18, 18, 30, tzinfo=UTC))
    days = reviews_per_day(db.session, student, NOW)
    assert len(days) == 30 and days[-1].day == date(2026, 5, 20)
    assert {d.day: d.count for d in days if d.count} == counts


def test_due_forecast_puts_overdue_cards_on_today(student, fixture_bank):
    first, second, third = questions()[:3]
    review(student, first, AGAIN, NOW - timedelta(days=3))     # overdue for days
    review(student, second, EASY, NOW - timedelta(hours=1))    # due in days
    review(student, third, EASY, NOW - timedelta(days=400))    # long overdue
    forecast = due_forecast(db.session, student, NOW)
    assert forecast[0].day == NOW.date() and forecast[0].count == 2
    assert sum(d.count for d in forecast[1:]) == 1


def test_retention_counts_only_cards_already_in_review(student, fixture_bank):
    first, second = questions()[:2]
    review(student, first, EASY, NOW - timedelta(days=20))   # a new card: not counted
    review(student, second, EASY, NOW - timedelta(days=20))
    review(student, first, GOOD, NOW - timedelta(days=5))    # in review: recalled
    review(student, second, AGAIN, NOW - timedelta(days=5))  # in review: forgotten
    retention = overall_retention(db.session, student, NOW)
    assert (retention.total, retention.passed, retention.percent) == (2, 1, 50.0)


def test_accuracy_by_topic_joins_quizzes_and_reviews(student, fixture_bank):
    parliament = [q for q in questions() if q.topic == "Parliament"]
    review(student, parliament[0], AGAIN, NOW)
    review(student, parliament[1], GOOD, NOW)
    rates = {r.label: (r.total, r.passed) for r in accuracy_by_topic(db.session, student)}
    assert rates == {"Parliament": (2, 1)}


def test_streak_counts_consecutive_local_days_and_survives_an_open_today(student, fixture_bank):
    first = questions()[0]
    assert current_streak(db.session, student, NOW) == 0
    for days_ago in (1, 2, 3, 5):
        review(student, first, GOOD, NOW - timedelta(days=days_ago))
    assert current_streak(db.session, student, NOW) == 3
    review(student, first, GOOD, NOW)
    assert current_streak(db.session, student, NOW) == 4


def test_charts_scale_to_round_numbers_and_keep_every_value():
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 12, 99, 101)] == [1, 1, 5, 10, 20, 100, 200]
    points = [Point(f"d{i}", i, f"{i} reviews") for i in range(30)]
    chart = column_chart("c", "Title", "Summary", points)
    assert [t.value for t in chart.ticks] == ["0", "25", "50"] and len(chart.bars) == 30
    for most, shown in ((1, ["0", "1"]), (4, ["0", "5"]), (12, ["0", "10", "20"])):  # counts have no halves
        few = column_chart("f", "Title", "Summary", [Point("d0", most, f"{most} reviews")])
        assert [t.value for t in few.ticks] == shown
    assert [b.axis_label for b in chart.bars if b.axis_label] == ["d0", "d5", "d10", "d15", "d20", "d25", "d29"]
    tallest = max(chart.bars, key=lambda b: b.height)
    assert tallest.point.value == 29 and tallest.y + tallest.height == pytest.approx(200 - 28)
    rows = row_chart("r", "Topics", "Summary", [Point("Parliament", 80, "80%"),
                                                 Point("Purges and the Nazarbayev family", 50, "50%"),
                                                 Point("A topic named at such length that two lines cannot ever "
                                                       "hold all of it", 20, "20%")])
    assert rows.bars[1].width == pytest.approx((640 - 220 - 56) / 2)
    # A label too long for its column takes two lines, broken between words, and its row is as much taller.
    assert [b.label_lines for b in rows.bars] == [
        ("Parliament",), ("Purges and the", "Nazarbayev family"),
        ("A topic named at such length", "that two lines cannot ever ho…")]
    assert rows.bars[1].y - rows.bars[0].y == pytest.approx(26 + 7)
    assert rows.height == 12 + 26 + 2 * (26 + 14) + 28
    # The share of the scale, which a phone draws at its own width, stays within the scale.
    shares = row_chart("s", "Topics", "Summary", [Point("a", 50, "50%"), Point("b", 120, "120%"), Point("c", -5, "")])
    assert [b.share for b in shares.bars] == [0.5, 1, 0]


def test_progress_page_draws_each_chart_with_a_text_alternative(logged_in, student, fixture_bank):
    now, first = datetime.now(UTC), questions()[0]
    review(student, first, GOOD, now - timedelta(days=20))
    review(student, first, GOOD, now - timedelta(days=15))  # now in the review state: the retention chart has data
    review(student, first, AGAIN, now)  # forgotten: due again today
    html = logged_in.get("/progress/").get_data(as_text=True)
    for title in ("Reviews per day, last 30 days", "Cards due, next 30 days",
                  "Retention on review cards, by week", "Accuracy by topic"):
        assert "<title id=" in html and title in html
    assert len(re.findall(r'<svg[^>]*role="img"[^>]*aria-describedby="[\w-]+-summary"', html)) == 4
    assert "3 reviews over the last 30 days" in html
    # Each share says what it is a share of.
    assert re.search(r"per week: week from [^:]+: [\d.]+% of \d+ reviews?[;.]", html)
    assert re.search(r"per topic, weakest first: [^:]+: [\d.]+% of \d+ answers?[;.]", html)
    assert "<strong>1</strong> day in a row" in html
    assert html.count("<details>") >= 4


def test_a_new_student_is_told_what_fills_the_charts_instead_of_empty_axes(logged_in):
    html = logged_in.get("/progress/").get_data(as_text=True)
    assert "No study history yet" in html and 'href="/study/">Study your first cards</a>' in html
    assert "<svg" not in html and "Data table" not in html and ">none<" not in html


def test_a_chart_without_data_says_so_in_words_beside_those_drawn(logged_in, student, fixture_bank):
    review(student, questions()[0], GOOD, datetime.now(UTC))  # a new card: no review of a learned card yet
    html = logged_in.get("/progress/").get_data(as_text=True)
    assert "No study history yet" not in html
    assert 'id="reviews-svg-title"' in html and 'id="accuracy-svg-title"' in html
    assert "No reviews of cards in the review state yet." in html
    assert 'id="retention-svg-title"' not in html and ">none<" not in html


def test_only_a_chart_with_nothing_in_it_is_empty():
    assert column_chart("c", "Title", "Summary", [Point("d0", 0, "0 reviews")]).empty
    assert not column_chart("c", "Title", "Summary", [Point("d0", 0, "0 reviews"), Point("d1", 2, "2 reviews")]).empty
    assert not column_chart("w", "Title", "Summary", [Point("w0", 0, "0% of 3", "0%")], empty=False).empty
    assert row_chart("r", "Topics", "Summary", []).empty
    assert not row_chart("r", "Topics", "Summary", [Point("Parliament", 0, "0% of 4")]).empty  # every answer wrong


def test_retention_chart_tells_a_week_of_all_again_from_a_week_without_reviews(logged_in, student, fixture_bank):
    now = datetime.now(UTC)  # the page reads the clock
    first = questions()[0]
    review(student, first, GOOD, now - timedelta(days=20))
    review(student, first, GOOD, now - timedelta(days=15))  # now in the review state
    review(student, first, AGAIN, now - timedelta(hours=1))  # this week's one review of a learned card: forgotten
    html = logged_in.get("/progress/").get_data(as_text=True)
    start = html.index('id="retention-svg-title"')
    retention = html[start:html.index("</svg>", start)]
    marks = re.findall(r'<text class="value-label"[^>]*>([^<]*)</text>', retention)
    assert marks == ["none"] * 7 + ["0.0%"]


def test_optimizer_needs_enough_reviews(runner, student):
    result = runner.invoke(args=["study", "optimize", student.email])
    assert result.exit_code != 0 and "at least 1000" in result.output


def test_optimizer_help_names_the_email_argument_it_takes(runner):
    result = runner.invoke(args=["study", "optimize", "--help"])
    assert result.exit_code == 0
    assert "optimize [OPTIONS] EMAIL" in result.output
    assert "account with EMAIL" in " ".join(result.output.split())


def test_optimizer_counts_one_review_in_the_singular(runner, student, fixture_bank):
    review(student, questions()[0], GOOD, NOW)
    result = runner.invoke(args=["study", "optimize", student.email])
    assert result.exit_code != 0 and f"{student.email} has 1 review; at least 1000" in result.output


def test_optimizer_missing_names_the_extra_to_install(runner, student, monkeypatch):
    monkeypatch.setattr(optimize, "review_count", lambda session, user: 5000)
    monkeypatch.setitem(sys.modules, "torch", None)  # as on a default install, without the optional extra
    import fsrs

    class MissingOptimizer:
        def __init__(self, *args, **kwargs):
            raise ImportError("torch is not installed")

    monkeypatch.setattr(fsrs, "Optimizer", MissingOptimizer)
    result = runner.invoke(args=["study", "optimize", student.email])
    assert result.exit_code != 0 and 'pip install ".[optimizer]"' in result.output


def test_fitted_parameters_are_stored_and_used(runner, student, fixture_bank, monkeypatch):
    first = questions()[0]
    for day in range(3):
        review(student, first, GOOD, NOW + timedelta(days=day * 10))
    fitted = [0.3, 1.2, 2.5, 8.0, 6.4, 0.83, 3.0, 0.002, 1.87, 0.17, 0.8, 1.48, 0.06, 0.26, 1.65, 0.6, 1.87,
              0.54, 0.09, 0.07, 0.15]
    seen = {}

    class FakeOptimizer:
        def __init__(self, logs):
            seen["logs"] = logs

        def compute_optimal_parameters(self):
            return fitted

    import fsrs

    monkeypatch.setattr(fsrs, "Optimizer", FakeOptimizer)
    monkeypatch.setattr(optimize, "MIN_REVIEWS", 3)
    monkeypatch.setattr(optimize.fit_parameters, "__defaults__", (3,))
    monkeypatch.setattr(optimize, "MIN_SPACED_REVIEWS", 2)  # the second and third came 10 days after the one before
    result = runner.invoke(args=["study", "optimize", student.email.upper()])
    assert result.exit_code == 0, result.output
    assert [log.rating for log in seen["logs"]] == [GOOD] * 3
    assert seen["logs"][0].review_datetime == NOW
    db.session.refresh(student)
    assert student.fsrs_parameters == fitted
    from quizapp.srs.scheduling import scheduler_for

    assert list(scheduler_for(student).parameters) == fitted


def test_optimizer_refuses_a_history_of_same_day_reviews_it_would_only_answer_with_defaults(
        runner, student, fixture_bank, monkeypatch):
    # Enough reviews by count, but all on the day each card was met: fsrs has nothing spaced to learn from.
    for question in questions()[:3]:
        for minutes in (0, 1, 11):
            review(student, question, GOOD, NOW + timedelta(minutes=minutes))
    import fsrs

    class DefaultsOptimizer:  # what fsrs does with fewer than 512 spaced reviews
        def __init__(self, logs):
            pass

        def compute_optimal_parameters(self):
            return list(fsrs.scheduler.DEFAULT_PARAMETERS)

    monkeypatch.setattr(fsrs, "Optimizer", DefaultsOptimizer)
    monkeypatch.setattr(optimize.fit_parameters, "__defaults__", (9,))
    result = runner.invoke(args=["study", "optimize", student.email])
    assert result.exit_code != 0 and "Fitted" not in result.output
    assert "has 0 reviews made a day or more after the card's previous one; at least 512" in result.output
    db.session.refresh(student)
    assert student.fsrs_parameters is None


def test_spaced_reviews_are_counted_as_the_fsrs_optimizer_counts_them():
    day = timedelta(days=1)
    # Gaps of 10 minutes, 23 h 59 min, exactly 24 h and 47 h: the last two count, given in any order.
    first = [NOW, NOW + timedelta(minutes=10), NOW + timedelta(minutes=10) + day - timedelta(minutes=1)]
    first += [first[-1] + day, first[-1] + 2 * day + timedelta(hours=23)]
    long_history = [NOW + 2 * day * n for n in range(70)]  # only the first 64 reviews of a card are read
    reviews = [(1, moment) for moment in reversed(first)] + [(2, moment) for moment in long_history]
    assert optimize.spaced_review_count(reviews) == 2 + 63
    assert optimize.spaced_review_count([(3, NOW), (3, NOW + day - timedelta(seconds=1))]) == 0


def test_optimizer_reports_an_unknown_user(runner):
    result = runner.invoke(args=["study", "optimize", "nobody@example.org"])
    assert result.exit_code != 0 and "No user" in result.output


def test_reviews_chart_writes_the_count_over_each_day_with_reviews(logged_in, student, fixture_bank):
    """On a phone the chart opens at today with its scale out of view: a column says its own count."""
    first, second = questions()[:2]
    review(student, first, GOOD, datetime.now(UTC))
    review(student, second, GOOD, datetime.now(UTC))
    html = logged_in.get("/progress/").get_data(as_text=True)
    start = html.index('id="reviews-svg-title"')
    marks = re.findall(r'<text class="value-label"[^>]*>([^<]*)</text>', html[start:html.index("</svg>", start)])
    assert marks == ["2"]
