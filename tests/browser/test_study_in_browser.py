"""A student signs up (opening the link of the confirmation mail), takes a quiz, reads the feedback and opens the
source, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.shared import send_sign_up, start_practice

pytestmark = pytest.mark.browser


def register(page, base: str, email: str = "ada@example.org", shots: bool = False) -> None:
    """Sign up through the form, then open the link of the confirmation mail and confirm: logged in at home."""
    mails = send_sign_up(page, base, email)
    assert page.get_by_text(f"the mail to {email} was not sent").is_visible()
    if shots:
        screenshot(page, "check-your-email")
    page.goto(mails.link("/auth/confirm/"))
    assert page.get_by_text(f"Create the account for {email}?").is_visible()
    page.get_by_label("The password you chose when signing up").fill("a long enough password")
    if shots:
        screenshot(page, "confirm")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_text("Welcome! Your account is ready.").is_visible()


def test_register_quiz_feedback_and_source(page, live_server):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    register(page, live_server, shots=True)
    start_practice(page, "Kazakhstan's 2022 constitutional referendum", 3, "Parliament")
    assert page.get_by_text("Question 1 of 3").is_visible()
    screenshot(page, "question")

    # Answer whatever the question is, wrongly if need be: the feedback must explain it.
    for _ in range(3):
        if page.locator("input[type=radio]").count():
            page.locator("input[type=radio]").first.check()
        elif page.locator("input[type=checkbox]").count():
            page.locator("input[type=checkbox]").first.check()
        for field in page.locator("input[type=text], input:not([type])").all():
            field.fill("98")
        page.locator("form input[type=submit], form button[type=submit]").last.click()
        page.wait_for_load_state()
        if page.get_by_role("button", name="I knew it").count():
            page.get_by_role("button", name="I knew it").click()
            page.wait_for_load_state()
            page.go_back()
        assert page.get_by_role("heading", name="Why").is_visible()
        assert page.locator(".sources mark").first.is_visible()
        assert page.get_by_text("Correct answer").count() or page.locator(".flashcard-back").count()
        if _ == 0:
            screenshot(page, "feedback")
            with page.expect_navigation():
                page.get_by_role("link", name="Read this passage in the full text").first.click()
            assert "#passage" in page.url
            mark = page.locator("mark#passage")
            assert mark.is_visible()
            page.wait_for_function(
                "() => { const r = document.getElementById('passage').getBoundingClientRect();"
                " return r.top >= 0 && r.top < innerHeight; }", timeout=5000)
            screenshot(page, "source", full_page=False)
            page.go_back()
        next_link = page.get_by_role("link", name=re.compile("Next question|See your results"))
        next_link.click()
        page.wait_for_load_state()
    page.wait_for_url(re.compile(r"/results$"))
    assert page.get_by_role("heading", name="Results").is_visible()
    screenshot(page, "results")
    page.get_by_role("link", name="See your progress").click()
    assert page.get_by_role("heading", name="Your progress").is_visible()
    screenshot(page, "progress")
    assert errors == []


def test_pages_fit_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    register(page, live_server, "phone@example.org")
    screenshot(page, "home-phone")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))""")
    assert wide == []
    context.close()


def test_a_new_account_starts_in_the_time_zone_its_browser_reports(browser, live_server):
    context = browser.new_context(timezone_id="Asia/Almaty")
    page = context.new_page()
    register(page, live_server, email="almaty@example.org")
    page.goto(f"{live_server}/study/settings")
    assert page.get_by_label("Time zone").input_value() == "Asia/Almaty"
    context.close()


# How wide a select would be left to itself: as wide as its longest option.
_NATURAL_WIDTH = """select => {
    const copy = select.cloneNode(true);
    copy.style.maxWidth = 'none';
    copy.style.position = 'absolute';
    select.parentElement.append(copy);
    const width = copy.getBoundingClientRect().width;
    copy.remove();
    return width;
}"""


def test_the_bank_menu_shows_the_whole_title_of_the_bank_studied_where_there_is_room(browser, live_server):
    widths = {}
    for name, size in (("laptop", {"width": 1280, "height": 800}), ("phone", {"width": 375, "height": 740})):
        context = browser.new_context(viewport=size, is_mobile=name == "phone")
        page = context.new_page()
        register(page, live_server, f"menu-{name}@example.org")
        page.goto(f"{live_server}/study/")
        menu = page.locator("#study-bank")
        bank = menu.locator("option", has_text="constitutional referendum").get_attribute("value")
        page.goto(f"{live_server}/study/?bank={bank}")
        widths[name] = (menu.evaluate("select => select.getBoundingClientRect().width"), menu.evaluate(_NATURAL_WIDTH))
        screenshot(page, f"study-bank-menu-{name}", full_page=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], name
        context.close()
    shown, needed = widths["laptop"]
    assert shown >= needed - 1, widths
    # A phone cannot show it whole, but gives it the width of the screen rather than a fixed part of it.
    shown, needed = widths["phone"]
    assert shown >= 375 - 2 * 24, widths


def test_saved_settings_take_the_focus_to_the_message_that_says_so(browser, live_server):
    """After saving, the focus stood on the page itself: a screen reader did not read that the settings were kept."""
    context = browser.new_context()
    page = context.new_page()
    register(page, live_server, email="settings@example.org")
    page.goto(f"{live_server}/study/settings")
    with page.expect_navigation():
        page.get_by_role("button", name="Save settings").click()
    notice = page.get_by_role("status")
    expect(notice).to_be_focused()  # waits: the browser applies autofocus after the load event, at its own pace
    expect(notice).to_have_text("Study settings saved.")
    page.keyboard.press("Tab")  # on to the form, not back through the site's links
    assert page.evaluate("document.activeElement.id") == "timezone"
    context.close()
