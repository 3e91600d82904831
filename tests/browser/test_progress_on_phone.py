"""The progress page on a phone: a series over days scrolls sideways in its own box, bars per topic fit, and each
past quiz shows its score and the link to go on with it; on wider screens too, a score stays on one line."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Question, Response, User
from quizapp.srs.queue import record_review
from quizapp.srs.scheduling import AGAIN, GOOD
from tests.browser.conftest import screenshot
from tests.browser.shared import (  # noqa: F401 - fixtures
    answer_anything,
    log_in,
    module_browser,
    module_server,
    start_practice,
)

pytestmark = pytest.mark.browser

# Per chart: whether its first and its last axis labels lie within the part of the chart in view.
_IN_VIEW = """() => Object.fromEntries([...document.querySelectorAll('.chart-columns')].map(chart => {
    const box = chart.querySelector('.chart-canvas').getBoundingClientRect();
    const seen = el => { const r = el.getBoundingClientRect();
                         return r.left >= box.left - 1 && r.right <= box.right + 1; };
    const labels = [...chart.querySelectorAll('text.axis-label')];
    return [chart.querySelector('figcaption').innerText, [seen(labels[0]), seen(labels[labels.length - 1])]];
}))"""


def test_a_chart_of_the_past_opens_at_today_and_one_of_the_days_ahead_at_today(module_browser,  # noqa: F811
                                                                              module_server):  # noqa: F811
    context = module_browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    email = module_server.add_user("charts@example.org", "Chart Reader")
    # A card learned, then forgotten today: each series has data to draw (an empty one is only described).
    now = datetime.now(UTC)
    with module_server.app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        question = db.session.scalars(select(Question).order_by(Question.id)).first()
        for count, (rating, days_ago) in enumerate(((GOOD, 20), (GOOD, 15), (AGAIN, 0))):
            record_review(db.session, user, question, rating, count, now=now - timedelta(days=days_ago), fuzz=False)
        db.session.commit()
        db.session.remove()
    log_in(page, module_server.url, email)
    page.goto(module_server.url + "/progress/")
    seen = page.evaluate(_IN_VIEW)
    screenshot(page, "progress-charts-360")
    assert page.evaluate("document.querySelector('.chart-canvas').scrollWidth") > 360, "the charts fit: nothing to test"
    # (first label in view, last label in view)
    assert seen["Reviews per day, last 30 days"] == [False, True]
    assert seen["Retention on review cards, by week"] == [False, True]
    assert seen["Cards due, next 30 days"] == [True, False]
    context.close()


# Per bar of the topics chart in view: its label, and where the bar, its percentage and the chart's box lie.
_TOPIC_BARS = """() => {
    const shown = el => el.getClientRects().length > 0;
    const chart = document.querySelector('.chart-rows');
    const box = chart.getBoundingClientRect();
    const bars = [...chart.querySelectorAll('.bar')].filter(shown);
    const values = [...chart.querySelectorAll('.value-label')].filter(shown);
    return bars.map((bar, i) => { const b = bar.getBoundingClientRect(), v = values[i].getBoundingClientRect();
        return {value: values[i].textContent.trim(), left: b.left, right: b.right, width: b.width,
                valueLeft: v.left, valueRight: v.right, boxLeft: box.left, boxRight: box.right}; });
}"""


def test_bars_per_topic_fit_a_phone_with_their_percentages_in_view(module_browser, module_server):  # noqa: F811
    email = module_server.add_user("topics@example.org", "Topic Reader")
    # A third of one topic right, half of another, all of a third whose name is longer than a phone's line.
    plan = {"Security sector": (GOOD, AGAIN, AGAIN), "Parliament": (GOOD, AGAIN),
            "Purges and the Nazarbayev family": (GOOD,)}
    with module_server.app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        for topic, ratings in plan.items():
            questions = db.session.scalars(select(Question).where(Question.topic == topic).order_by(Question.id))
            for question, rating in zip(questions, ratings, strict=False):
                record_review(db.session, user, question, rating, 0, fuzz=False)
        db.session.commit()
        db.session.remove()
    context = module_browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    log_in(page, module_server.url, email)
    page.goto(module_server.url + "/progress/")
    bars = {bar["value"]: bar for bar in page.evaluate(_TOPIC_BARS)}
    page.locator(".chart-rows").scroll_into_view_if_needed()
    screenshot(page, "progress-topics-360", full_page=False)
    assert list(bars) == ["33.3%", "50.0%", "100.0%"]
    for value, bar in bars.items():
        assert bar["boxLeft"] <= bar["left"] and bar["right"] <= bar["boxRight"], f"the {value} bar is cut off"
        assert bar["boxLeft"] <= bar["valueLeft"] and bar["valueRight"] <= bar["boxRight"], f"{value} is out of view"
    # The lengths compare as the shares do: a third is two thirds of a half, and a half is half of all.
    assert bars["33.3%"]["width"] / bars["50.0%"]["width"] == pytest.approx(2 / 3, abs=0.03)
    assert bars["50.0%"]["width"] / bars["100.0%"]["width"] == pytest.approx(1 / 2, abs=0.03)
    assert page.get_by_text("Purges and the Nazarbayev family", exact=True).first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


# Per cell of the past quizzes table: its text, and whether it lies within the box around the table.
_ATTEMPT_CELLS = """() => {
    const box = document.querySelector('#attempts-caption').closest('.table-scroll').getBoundingClientRect();
    return [...document.querySelectorAll('#attempts-caption ~ tbody td')].map(td => {
        const r = td.getBoundingClientRect();
        return [td.innerText.trim(), r.left >= box.left - 1 && r.right <= box.right + 1]; });
}"""


def test_a_past_quiz_shows_its_score_and_the_link_to_go_on_with_it_on_a_phone(module_browser,  # noqa: F811
                                                                             module_server):  # noqa: F811
    email = module_server.add_user("goes-on@example.org", "Goes On")
    context = module_browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    log_in(page, module_server.url, email)
    start_practice(page, "Kazakhstan's 2022 constitutional referendum", 3)
    # Left at its first question: the progress page is where the student finds the quiz again.
    page.goto(module_server.url + "/progress/")
    page.locator("#attempts-caption").locator("..").scroll_into_view_if_needed()
    screenshot(page, "progress-past-quizzes-360", full_page=False)
    cells = dict(page.evaluate(_ATTEMPT_CELLS))
    assert cells.get("0 / 3") and cells.get("Continue"), f"cut off at the edge of the phone: {cells}"
    assert all(cells.values()), f"cut off at the edge of the phone: {cells}"
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/q/1$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


# Per Answered and Score cell of the past quizzes: its text, and on how many lines it is set.
_FRACTION_LINES = """() => [...document.querySelectorAll('.attempts td:is([data-label=Answered], [data-label=Score])')]
    .map(td => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return [td.innerText.trim(), new Set([...range.getClientRects()].map(r => Math.round(r.top))).size];
    })"""


@pytest.mark.parametrize("width", [640, 1280])
def test_a_past_quizs_score_is_not_broken_over_two_lines(module_browser, module_server, width):  # noqa: F811
    email = module_server.add_user(f"fraction-{width}@example.org", "Fraction")
    context = module_browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    log_in(page, module_server.url, email)
    start_practice(page, "Kazakhstan's 2022 constitutional referendum", 3)
    answer_anything(page)
    # A question partly right, as a multiple response or a cloze can be: a score with decimals, the widest there is.
    with module_server.app.app_context():
        response = db.session.scalars(select(Response).join(User).where(User.email == email)).one()
        response.score, response.is_correct = 1 / 3, False
        db.session.commit()
        db.session.remove()
    page.goto(module_server.url + "/progress/")
    screenshot(page, f"progress-fraction-{width}", full_page=False)
    lines = page.evaluate(_FRACTION_LINES)
    assert ["0.33 / 3", 1] in lines and all(count == 1 for _, count in lines), lines
    context.close()
