"""A student takes a quiz on a phone and on a laptop: what was typed, echoed back, and the pages around it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
# One run of letters without a space, as a pasted link or a held-down key gives: within the 200 characters taken.
LONG_RUN = "Ulttyq" + "x" * 190
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def start_quiz(page, base: str, topic: str, length: int) -> None:
    bank = page.get_by_role("region", name="Kazakhstan's 2022 constitutional referendum")
    bank.get_by_label("Topic").select_option(value=topic)
    bank.get_by_label("Number of questions").fill(str(length))
    bank.get_by_role("button", name="Start quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/q/1$"))


@pytest.mark.parametrize("device", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_long_typed_answer_does_not_widen_feedback_or_results(module_browser, module_server, device):  # noqa: F811
    email = module_server.add_user(f"long-{device['viewport']['width']}@example.org", "Long")
    context = module_browser.new_context(**device)
    page = context.new_page()
    log_in(page, module_server.url, email)
    # Media and civil society holds short text questions, and few questions in all.
    start_quiz(page, module_server.url, "Media and civil society", 5)
    typed = 0
    while "/results" not in page.url:
        form = page.locator("article.question form")
        if form.locator("input[name=answer][type=text], input[name=answer]:not([type])").count():
            form.locator("input[name=answer]").fill(LONG_RUN)
            typed += 1
        else:
            form.locator("input[name=answer]").first.check()
        form.locator("input[type=submit]").click()
        page.wait_for_load_state()
        if typed and LONG_RUN in page.locator(".answers").inner_text():
            screenshot(page, f"long-answer-feedback-{device['viewport']['width']}")
            assert page.evaluate(SIDEWAYS) == 0, "the feedback page scrolls sideways"
        page.locator("p.next a").click()
        page.wait_for_load_state()
    assert typed, "the quiz held no question to type an answer to"
    screenshot(page, f"long-answer-results-{device['viewport']['width']}")
    assert page.get_by_text(LONG_RUN[:20]).count() == typed
    assert page.evaluate(SIDEWAYS) == 0, "the results page scrolls sideways"
    context.close()
