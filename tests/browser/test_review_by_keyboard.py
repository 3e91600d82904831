"""A student reviews cards with the keyboard alone: Space or Enter shows the answer, 1-4 rate it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_study_in_browser import register

pytestmark = pytest.mark.browser


def bank_value(page, title: str) -> str:
    return page.locator("#study-bank option", has_text=title).get_attribute("value")


def test_flashcards_reviewed_with_the_keyboard_only(page, live_server):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    register(page, live_server, "kb@example.org")
    page.goto(f"{live_server}/study/")
    page.goto(f"{live_server}/study/?bank={bank_value(page, 'Key terms')}")
    new_left = int(page.locator(".count-new strong").inner_text())
    assert new_left == 20
    front = page.locator(".flashcard-front").inner_text()
    assert page.locator(".flashcard-back").count() == 0
    screenshot(page, "study-front")

    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/study/\d+/answer$"))
    assert page.locator(".flashcard-front").inner_text() == front
    assert page.locator(".flashcard-back").is_visible()
    assert page.locator(".sources mark").first.is_visible()
    assert page.get_by_role("button", name=re.compile("Good")).is_visible()
    screenshot(page, "study-back")

    page.keyboard.press("3")  # Good
    page.wait_for_url(re.compile(r"/study/\?bank=\d+$"))
    assert page.locator(".flashcard-front").inner_text() != front
    second = page.locator(".flashcard-front").inner_text()

    # The new card has the focus: Tab goes to its button, not to the site's links.
    assert page.evaluate("document.activeElement.id") == "card-heading"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#study-front [data-reveal]')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/study/\d+/answer$"))
    page.keyboard.press("1")  # Again: the card comes back within minutes
    page.wait_for_url(re.compile(r"/study/\?bank=\d+$"))
    assert int(page.locator(".count-new strong").inner_text()) == new_left - 2
    assert page.locator(".flashcard-front").inner_text() not in (front, second)
    assert not errors, errors


def test_a_typed_answer_is_graded_and_enter_takes_the_suggested_rating(page, live_server):
    register(page, live_server, "typist@example.org")
    page.goto(f"{live_server}/study/")
    page.goto(f"{live_server}/study/?bank={bank_value(page, 'referendum')}")
    text_inputs = page.locator("#study-front input[type=text]")
    radios = page.locator("#study-front input[type=radio], #study-front input[type=checkbox]")
    page.keyboard.press("Tab")  # from the card's heading, which has the focus, to its first answer field
    assert page.evaluate("document.activeElement.matches('#study-front input:not([type=hidden])')")
    if text_inputs.count():
        text_inputs.first.focus()
        page.keyboard.type("a wrong answer")
        page.keyboard.press("Enter")
    else:
        radios.first.focus()
        page.keyboard.press("Space")
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/study/\d+/answer$"))
    verdict = page.locator("#verdict").inner_text()
    assert verdict in ("Right", "Wrong") or verdict.startswith("Partly")
    focused = page.evaluate("document.activeElement.textContent").strip()
    assert focused.endswith("Good" if verdict == "Right" else "Again")
    assert page.get_by_text("Correct answer").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/study/\?bank=\d+$"))
    page.goto(f"{live_server}/progress/")
    assert page.get_by_text("1 review over the last 30 days").is_visible()
    page.get_by_text("Data table: Reviews per day").click()
    assert page.get_by_role("row", name=re.compile("Today 1 review")).is_visible()
    screenshot(page, "progress")


def test_the_back_opens_at_its_verdict_with_the_suggestion_focused(browser, live_server):
    # On a phone the back of a referendum card (answers, why, sources) runs to several screens.
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    register(page, live_server, "scroll@example.org")
    page.goto(f"{live_server}/study/")
    page.goto(f"{live_server}/study/?bank={bank_value(page, 'referendum')}")
    # A touch screen without a keyboard is not told to press keys.
    assert page.locator("#study-front .key-hint").count() == 1
    assert not page.locator("#study-front .key-hint").is_visible()
    choices = page.locator("#study-front input[type=radio], #study-front input[type=checkbox]")
    if choices.count():
        choices.first.check()
    else:
        for blank in page.locator("#study-front input[type=text]").all():
            blank.fill("a wrong answer")
    with page.expect_navigation():
        page.locator("[data-reveal]").click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * 740
    assert page.evaluate("scrollY") == 0
    assert page.locator("#verdict").is_visible()
    assert page.evaluate("document.getElementById('verdict').getBoundingClientRect().top") >= 0
    assert page.evaluate("document.activeElement.matches('#study-rate .suggested')")
    assert not page.locator("#study-rate .key-hint").is_visible()
    assert not page.locator("#study-rate kbd").first.is_visible()
    screenshot(page, "study-back-phone", full_page=False)
    context.close()


def test_space_scrolls_a_card_to_answer_instead_of_sending_it_blank(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 500}, is_mobile=True)
    page = context.new_page()
    register(page, live_server, "space@example.org")
    page.goto(f"{live_server}/study/")
    page.goto(f"{live_server}/study/?bank={bank_value(page, 'referendum')}")
    front = page.url
    assert page.locator("#study-front .flashcard-front").count() == 0
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    page.keyboard.press("Space")
    page.wait_for_timeout(500)
    assert sent == [] and page.url == front
    assert page.locator("#answer-error").count() == 0
    assert page.evaluate("scrollY") > 0
    context.close()


def test_enter_held_down_on_the_front_does_not_rate_the_card_unseen(page, live_server):
    register(page, live_server, "holder@example.org")
    page.goto(f"{live_server}/study/")
    page.goto(f"{live_server}/study/?bank={bank_value(page, 'referendum')}")
    blanks = page.locator("#study-front input[type=text]")
    assert blanks.count(), "the referendum bank opens on a card with a typed answer"
    blanks.first.focus()
    page.keyboard.type("a wrong answer")
    page.keyboard.down("Enter")
    page.wait_for_url(re.compile(r"/study/\d+/answer$"))
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.matches('#study-rate .suggested')")
    page.keyboard.down("Enter")  # the key still held: the keyboard repeats it
    page.wait_for_timeout(500)
    page.keyboard.up("Enter")
    assert re.search(r"/study/\d+/answer$", page.url)
    assert page.locator("#verdict").is_visible()
    page.keyboard.press("Enter")  # pressed again: the suggestion is taken
    page.wait_for_url(re.compile(r"/study/\?bank=\d+$"))


def test_key_hints_show_only_where_the_keys_work(browser, live_server):
    with_script = browser.new_context(viewport={"width": 1000, "height": 900})
    page = with_script.new_page()
    register(page, live_server, "hints@example.org")
    page.goto(f"{live_server}/study/")
    page.goto(f"{live_server}/study/?bank={bank_value(page, 'Key terms')}")
    study = page.url
    assert page.get_by_text("Press Space or Enter to show the answer.").is_visible()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/study/\d+/answer$"))
    assert page.get_by_text(re.compile(r"^Press 1, 2, 3 or 4 to rate")).is_visible()
    cookies = with_script.cookies()

    # Without JavaScript the keys do nothing, so nothing tells the student to press them; the buttons still work.
    without_script = browser.new_context(viewport={"width": 1000, "height": 900}, java_script_enabled=False)
    without_script.add_cookies(cookies)
    plain = without_script.new_page()
    plain.goto(study)
    assert plain.locator(".key-hint").count() == 1 and not plain.locator(".key-hint").is_visible()
    assert "Space" not in plain.locator("main").inner_text()
    plain.get_by_role("button", name="Show answer").click()
    plain.wait_for_url(re.compile(r"/study/\d+/answer$"))
    assert not plain.locator(".key-hint").is_visible()
    assert plain.get_by_role("button", name=re.compile("Good")).is_visible()
    with_script.close()
    without_script.close()


def test_u_undoes_the_last_rating_and_shows_that_card_again(page, live_server):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    register(page, live_server, "undo@example.org")
    page.goto(f"{live_server}/study/")
    page.goto(f"{live_server}/study/?bank={bank_value(page, 'Key terms')}")
    assert page.locator("#study-undo").count() == 0
    front = page.locator(".flashcard-front").inner_text()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/study/\d+/answer$"))
    page.keyboard.press("4")  # Easy, meant as Again
    page.wait_for_url(re.compile(r"/study/\?bank=\d+$"))
    assert page.locator(".flashcard-front").inner_text() != front
    assert page.get_by_role("button", name="Undo last rating (Easy)").is_visible()

    page.keyboard.press("u")
    page.wait_for_url(re.compile(r"/study/\?card=\d+&bank=\d+$"))
    assert page.locator(".flashcard-front").inner_text() == front
    assert page.get_by_text("Your last rating was undone.").is_visible()
    assert int(page.locator(".count-new strong").inner_text()) == 20
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/study/\d+/answer$"))
    page.keyboard.press("1")
    page.wait_for_url(re.compile(r"/study/\?bank=\d+$"))
    assert page.get_by_role("button", name="Undo last rating (Again)").is_visible()
    assert not errors, errors
