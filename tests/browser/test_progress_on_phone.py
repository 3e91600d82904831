"""The progress page's charts on a phone, where each is wider than the screen and scrolls sideways in its own box."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures

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
    log_in(page, module_server.url, module_server.add_user("charts@example.org", "Chart Reader"))
    page.goto(module_server.url + "/progress/")
    seen = page.evaluate(_IN_VIEW)
    screenshot(page, "progress-charts-360")
    assert page.evaluate("document.querySelector('.chart-canvas').scrollWidth") > 360, "the charts fit: nothing to test"
    # (first label in view, last label in view)
    assert seen["Reviews per day, last 30 days"] == [False, True]
    assert seen["Retention on review cards, by week"] == [False, True]
    assert seen["Cards due, next 30 days"] == [True, False]
    context.close()
