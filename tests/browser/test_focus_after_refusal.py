"""A refused form, upload or answer in the browser takes the focus to its problems, which show in view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from quizapp.models import Role
from tests.browser.accessibility_site import _start_practice, published_bank  # noqa: F401 - fixture
from tests.browser.shared import kind_of, log_in, module_browser, module_server  # noqa: F401 - fixtures
from tests.test_uploads import BROKEN_BANK

pytestmark = pytest.mark.browser


def test_a_refused_form_takes_the_focus_to_its_problems(module_browser, module_server):  # noqa: F811 - fixtures
    page = module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    page.goto(module_server.url + "/auth/register")
    with page.expect_navigation():
        page.get_by_role("button", name="Create account").click()
    summary = page.get_by_role("alert")
    # The browser applies autofocus at its next rendering update, which may come after the load event.
    page.wait_for_function("document.activeElement.className === 'error-summary'", timeout=5000)
    first = summary.get_by_role("link").first
    target = first.get_attribute("href").lstrip("#")
    first.click()
    assert page.evaluate("document.activeElement.id") == target
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    border = page.evaluate("getComputedStyle(document.activeElement).borderTopWidth")
    assert border == "2px", "a refused field shows its red border"
    page.context.close()


def test_a_refused_upload_takes_the_focus_to_its_problems(module_browser, module_server):  # noqa: F811 - fixtures
    page = module_browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True).new_page()
    log_in(page, module_server.url, module_server.add_user("uploader@example.org", "Uploader", Role.INSTRUCTOR))
    page.goto(module_server.url + "/banks/upload")
    page.get_by_label("Bank file").set_input_files(
        files=[{"name": "civics.yaml", "mimeType": "application/yaml", "buffer": BROKEN_BANK.encode()}])
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("alert")).to_be_focused()
    box = page.get_by_role("alert").bounding_box()
    assert 0 <= box["y"] < 740, "the problems are in view"
    page.context.close()


def test_a_refused_answer_puts_the_focus_on_the_answer(module_browser, module_server,  # noqa: F811 - fixtures
                                                       published_bank):  # noqa: F811
    page = module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    log_in(page, module_server.url, module_server.add_user("empty@example.org", "Empty Answer"))
    _start_practice(page, module_server.url, 8)
    first_question = page.url
    refused = []
    for position in range(1, 9):
        page.goto(first_question.removesuffix("/q/1") + f"/q/{position}")
        kind = kind_of(page)
        if kind == "flashcard":
            continue
        with page.expect_navigation():
            page.get_by_role("button", name="Check answer").click()  # nothing chosen or typed
        assert page.get_by_role("alert").is_visible(), kind
        page.wait_for_function("document.activeElement.tagName === 'INPUT' && "
                               "document.activeElement.getAttribute('aria-invalid') === 'true'", timeout=5000)
        refused.append(kind)
    assert len(refused) == 7
    page.context.close()
