"""The assignment form on a phone and on a laptop: each option takes a tap anywhere on its row."""

from __future__ import annotations

import re

import pytest

from quizapp.models import Role
from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures
from tests.browser.test_quiz_on_phone import _CORNERS, LAPTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("device", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_option_of_the_assignment_form_is_a_44px_row_that_takes_a_tap_anywhere(module_browser, module_server,  # noqa: F811
                                                                                       device):
    width = device["viewport"]["width"]
    context = module_browser.new_context(**device)
    page = context.new_page()
    log_in(page, module_server.url, module_server.add_user(f"rows-{width}@example.org", "Rows", Role.INSTRUCTOR))
    page.goto(module_server.url + "/classes/")
    page.get_by_label("Class name").fill("Civics 9B")
    page.get_by_role("button", name="Create class").click()
    page.wait_for_url(re.compile(r"/classes/\d+$"))
    page.get_by_role("link", name="Set an assignment").first.click()
    page.get_by_role("link", name="Kazakhstan's 2022 constitutional referendum").click()
    page.wait_for_url(re.compile(r"/assignments/new\?bank=\d+$"))
    screenshot(page, f"assignment-form-{width}")
    # A group's name (Grade by, Late work) stands out from its options as a field's label does.
    weight = "element => getComputedStyle(element).fontWeight"
    label = page.get_by_text("Questions per student", exact=True).evaluate(weight)
    for legend in page.locator(".assignment-form legend:not(.visually-hidden)").all():
        assert legend.evaluate(weight) == label, legend.inner_text()
    assert page.locator(".assignment-form ul.choices label").first.evaluate(weight) != label
    for summary in page.locator(".assignment-form summary").all():
        summary.click()
    # The first rows and the last of each list (the bank's questions alone make hundreds), and every lone checkbox.
    rows = [*page.locator(".assignment-form .checkbox-row").all()]
    for options in page.locator(".assignment-form ul.choices").all():
        listed = options.locator("li").all()
        rows += listed[:3] + listed[3:][-1:]
    kinds = set()
    for row in rows:
        control = row.locator("input")
        kinds.add(control.get_attribute("type"))
        row.scroll_into_view_if_needed()
        assert row.bounding_box()["height"] >= 44, row.inner_text()
        for x, y in row.evaluate(_CORNERS):
            if control.get_attribute("type") == "checkbox" and control.is_checked():
                control.uncheck()
            page.mouse.click(x, y)  # a plain click: no touch adjustment to snap it onto the control
            assert control.is_checked(), f"a tap at ({x:.0f}, {y:.0f}) on “{row.inner_text()}” missed it"
    assert kinds == {"checkbox", "radio"} and len(rows) > 20, len(rows)
    context.close()
