"""A student takes a quiz on a phone and on a laptop: what was typed, echoed back, and the pages around it."""

from __future__ import annotations

import re

import pytest

from quizapp.models import Role
from tests.browser.conftest import screenshot
from tests.browser.shared import (  # noqa: F401 - fixtures
    WORD_TOO_LONG,
    answer_anything,
    broken_words,
    log_in,
    logged_in_page,
    module_browser,
    module_server,
    start_practice,
)

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
# One run of letters without a space, as a pasted link or a held-down key gives: within the 200 characters taken.
LONG_RUN = "Ulttyq" + "x" * 190
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def start_quiz(page, base: str, topic: str, length: int) -> None:
    start_practice(page, "Kazakhstan's 2022 constitutional referendum", length, topic)


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


@pytest.mark.parametrize("device", [{**PHONE, "viewport": {"width": 390, "height": 844}}, LAPTOP],
                         ids=["phone", "laptop"])
def test_the_results_show_each_correct_answer_whole_and_wrapped(module_browser, module_server, device):  # noqa: F811
    """A student studies from the results: a card's back there was cut at 120 characters and "..."."""
    email = module_server.add_user(f"whole-{device['viewport']['width']}@example.org", "Whole")
    context, page = logged_in_page(module_browser, module_server, email, device)
    # Most of these cards' backs are longer than 120 characters: of six drawn, one at least.
    start_practice(page, "Key terms, people and places", 6)
    backs = []
    while "/results" not in page.url:
        page.locator("article.question form input[type=submit]").click()
        page.wait_for_load_state()
        backs.append(" ".join(page.locator(".flashcard-back").inner_text().split()))
        page.get_by_role("button", name="I knew it").click()  # which goes on to the next card
        page.wait_for_load_state()
    assert max(map(len, backs)) > 120, backs
    screenshot(page, f"results-whole-answers-{device['viewport']['width']}")
    shown = [" ".join(cell.split()) for cell in page.locator("td[data-label='Correct answer']").all_inner_texts()]
    assert shown == backs
    assert page.evaluate(SIDEWAYS) == 0, "the results page scrolls sideways"
    context.close()


# Where a finger lands, a little inside each corner of a box: what is there must be the box's own control.
_CORNERS = """box => {
    const r = box.getBoundingClientRect();
    return [[r.left + 3, r.top + 3], [r.right - 3, r.top + 3], [r.left + 3, r.bottom - 3], [r.right - 3, r.bottom - 3]];
}"""


def _heights(page, selector: str) -> list[float]:
    return [box.bounding_box()["height"] for box in page.locator(selector).all()]


def test_every_answer_control_is_a_44px_tap_target_on_a_phone(module_browser, module_server):  # noqa: F811
    email = module_server.add_user("taps@example.org", "Taps")
    context = module_browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, module_server.url, email)
    home_fields = _heights(page, ".start-form select, .start-form input:not([type=hidden])")
    assert home_fields and min(home_fields) >= 44, home_fields
    seen = set()
    # Between them these topics ask every type of question but flashcards (whose buttons are .button already).
    for topic, length in (("Parliament", 5), ("Presidency", 4)):
        page.goto(module_server.url + "/")
        start_quiz(page, module_server.url, topic, length)
        while "/results" not in page.url:
            form = page.locator("article.question form")
            boxes = form.locator(".choices li").all()
            if boxes:
                seen.add("checkbox" if form.locator("input[type=checkbox]").count() else "radio")
            for box in boxes:
                assert box.bounding_box()["height"] >= 44
                control = box.locator("input")
                box.scroll_into_view_if_needed()
                for x, y in box.evaluate(_CORNERS):
                    if control.get_attribute("type") == "checkbox" and control.is_checked():
                        control.uncheck()
                    page.mouse.click(x, y)  # a plain click: no touch adjustment to snap it onto the control
                    assert control.is_checked(), f"a tap at ({x:.0f}, {y:.0f}) in the box of a choice missed it"
            fields = _heights(page, "article.question input[name=answer]:not([type=radio]):not([type=checkbox]), "
                                    ".blank-input")
            if fields:
                seen.add("typed")
                assert min(fields) >= 44, fields
                form.locator("input[name=answer], .blank-input").first.fill("1")
            assert min(_heights(page, "article.question input[type=submit]")) >= 44
            form.locator("input[type=submit]").click()
            page.wait_for_load_state()
            assert min(_heights(page, "p.next a")) >= 44
            page.locator("p.next a").click()
            page.wait_for_load_state()
    assert seen == {"checkbox", "radio", "typed"}
    context.close()


# Where the first letter of an element's text stands, and where the element's own box starts.
_TEXT_LEFT = """element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return range.getBoundingClientRect().left;
}"""


@pytest.mark.parametrize("device", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_flashcards_heading_lines_up_with_the_card(module_browser, module_server, device):  # noqa: F811
    """A flashcard's heading (Answer, then You knew it) has no verdict's tint, so none of the tint's padding."""
    email = module_server.add_user(f"cards-{device['viewport']['width']}@example.org", "Cards")
    context = module_browser.new_context(**device)
    page = context.new_page()
    log_in(page, module_server.url, email)
    start_practice(page, "Key terms, people and places", 1)
    question = page.url
    page.locator("article.question form input[type=submit]").click()
    page.wait_for_load_state()
    screenshot(page, f"flashcard-answer-{device['viewport']['width']}")
    for heading in ("Answer", "You knew it"):
        verdict = page.locator("#verdict")
        assert verdict.inner_text() == heading
        front = page.locator(".flashcard-front").bounding_box()["x"]
        assert verdict.evaluate(_TEXT_LEFT) == pytest.approx(front, abs=1), heading
        if heading == "Answer":
            page.get_by_role("button", name="I knew it").click()
            page.wait_for_load_state()
            page.goto(question)
    context.close()


# 360px: the narrowest common phone; 320px: a laptop's 1280px window zoomed to 400% (WCAG 2.1 reflow).
@pytest.mark.parametrize("width", [360, 320])
def test_progress_fits_a_narrow_screen(module_browser, module_server, width):  # noqa: F811 - fixtures
    """The accuracy table's topic, counts and meter fit a phone or a zoomed window without moving the page sideways."""
    email = module_server.add_user(f"narrow-{width}@example.org", "Narrow")
    context = module_browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 740}})
    page = context.new_page()
    log_in(page, module_server.url, email)
    # "amendments", the widest word of the shipped topics, sets the narrowest the topic column can be.
    start_quiz(page, module_server.url, "Referendum and amendments", 2)
    while "/results" not in page.url:
        answer_anything(page)
        page.locator("p.next a").click()
        page.wait_for_load_state()
    page.goto(module_server.url + "/progress/")
    assert page.get_by_role("row", name=re.compile(r"^Referendum and amendments \d")).is_visible()
    screenshot(page, f"progress-{width}")
    assert page.evaluate(SIDEWAYS) == 0, "the progress page scrolls sideways"
    context.close()


def test_the_buttons_under_the_results_stand_apart_on_a_phone(module_browser, module_server):  # noqa: F811
    """Wrapped onto two lines, the results page's two buttons keep a gap: touching, they read as one control."""
    email = module_server.add_user("apart@example.org", "Apart")
    context = module_browser.new_context(**{**PHONE, "viewport": {"width": 360, "height": 740}})
    page = context.new_page()
    log_in(page, module_server.url, email)
    start_quiz(page, module_server.url, "Presidency", 1)
    answer_anything(page)
    page.locator("p.next a").click()
    page.wait_for_url(re.compile(r"/results$"))
    first, second = (page.get_by_role("link", name=name).bounding_box()
                     for name in ("Start another quiz", "See your progress"))
    screenshot(page, "results-buttons-360")
    apart = max(second["y"] - (first["y"] + first["height"]), second["x"] - (first["x"] + first["width"]))
    assert apart >= 8, f"the buttons are {apart:.1f}px apart"
    context.close()


def test_a_long_name_in_the_header_wraps_and_log_out_stays_on_one_line(module_browser, module_server):  # noqa: F811
    email = module_server.add_user("longname@example.org", "Aigerim Nurlanovna Kassymzhomartovna-Abdrakhmanova")
    context = module_browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    log_in(page, module_server.url, email)
    assert page.evaluate(SIDEWAYS) == 0
    log_out = page.get_by_role("button", name="Log out")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.account .link-button')).lineHeight)")
    assert log_out.bounding_box()["height"] < 1.5 * line
    context.close()


# 800: a tablet, where the five columns ran past the screen and hid Deactivate… behind a sideways scroll.
@pytest.mark.parametrize("width", [360, 800, 1000, 1280])
def test_the_users_page_keeps_each_role_control_in_view(module_browser, module_server, width):  # noqa: F811
    admin = module_server.add_user(f"admin-{width}@example.org", "Admin Person", Role.ADMIN)
    for n in range(3):
        module_server.add_user(f"student.with.a.rather.long.address{n}.{width}@school-of-almaty.example.kz",
                               "Aigerim Nurlanovna Kassymzhomartovna-Abdrakhmanova")
    module_server.add_user(f"aliya.{width}@school-of-almaty.example.kz", "Aliya Kassymzhomartova")
    # A word wider than the column: it made the column as wide, and the table ran 62px past a 1000px screen.
    module_server.add_user(f"hubert.{width}@school-of-almaty.example.kz", f"Hubert {WORD_TOO_LONG}")
    context = module_browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, module_server.url, admin)
    page.goto(module_server.url + "/admin/users")
    assert page.evaluate(SIDEWAYS) == 0
    region = page.locator(".table-scroll")
    assert region.evaluate("element => element.scrollWidth - element.clientWidth") == 0
    for link in page.get_by_role("link", name=re.compile("^Deactivate")).all():
        box = link.bounding_box()
        assert box["x"] + box["width"] <= width, box
    # Held to 11rem, a name broke inside a word ("Kassymzhomartov / a") with room to spare in the table. Only a
    # word wider than the room there is breaks.
    for name in page.get_by_role("rowheader").all():
        assert broken_words(name, WORD_TOO_LONG) == [], name.inner_text()
    if width > 1000:  # side by side, the search's name field and role menu start and end on the same lines
        boxes = [page.locator(f".search-form {what}").all() for what in ("label", ":is(input, select)")]
        for row in boxes:
            tops = [box.bounding_box()["y"] for box in row]
            bottoms = [box.bounding_box()["y"] + box.bounding_box()["height"] for box in row]
            assert max(tops) - min(tops) < 1 and max(bottoms) - min(bottoms) < 1, (tops, bottoms)
    screenshot(page, f"users-{width}")
    context.close()
