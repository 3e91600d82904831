"""A success message after a redirect takes the focus in the browser, and Tab goes on into the page from it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from quizapp.models import Role
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_new_class_takes_the_focus_to_the_message_that_says_so(module_browser, module_server):  # noqa: F811
    """The focus stood on the page itself: a screen reader did not read that the class was made."""
    email = module_server.add_user("notices@example.org", "Ms Teacher", Role.INSTRUCTOR)
    page = module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    log_in(page, module_server.url, email)
    page.goto(module_server.url + "/classes/")
    page.get_by_label("Class name").fill("Civics 9B")
    with page.expect_navigation():
        page.get_by_role("button", name="Create class").click()
    notice = page.get_by_role("status")
    expect(notice).to_be_focused()  # waits: the browser applies autofocus after the load event, at its own pace
    expect(notice).to_have_text("Class “Civics 9B” created. Give your students its join code.")
    page.keyboard.press("Tab")  # on into the class page, not back through the site's links
    assert page.evaluate("""() => document.querySelector('main').contains(document.activeElement) &&
        !!(document.getElementById('notices').compareDocumentPosition(document.activeElement) &
           Node.DOCUMENT_POSITION_FOLLOWING)""")
    page.context.close()
