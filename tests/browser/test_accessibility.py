"""axe-core finds no serious or critical problem on any page type; the main actions work by keyboard alone."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility_site import published_bank, site  # noqa: F401 - fixtures
from tests.browser.conftest import screenshot
from tests.browser.page_types import PAGE_TYPES, QUESTION_TYPES, describe, show
from tests.browser.shared import kind_of, log_in, module_browser, module_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe():
    """axe-core, which comes inside the axe-playwright-python wheel (axe.min.js): Playwright injects it into each page,
    so nothing is fetched at run time."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_serious_accessibility_violations(site, axe, name):  # noqa: F811
    page = show(site, name)
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{name} ({page.url}):\n{describe(blocking)}"
    repeated = page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
        return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]; }""")
    assert repeated == [], f"{name}: ids used more than once: {repeated}"


def _focus_state(page) -> dict | None:
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el), box = el.getBoundingClientRect();
        return {
            what: el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' ' +
                  (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
            outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
            shadowed: style.boxShadow !== 'none',
            onscreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0 &&
                      box.left < innerWidth && box.top < innerHeight,
        };
    }""")


def tab_to(page, wanted: Callable[[dict], bool], limit: int = 60) -> dict:
    """Press Tab until the focused element is the one wanted; every element on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = _focus_state(page)
        assert state is not None, "the focus left the page"
        assert state["outlined"] or state["shadowed"], f"no visible focus on {state['what']}"
        assert state["onscreen"], f"{state['what']} has the focus but is off screen"
        if wanted(state):
            return state
    raise AssertionError("never reached by Tab")


def test_a_quiz_is_taken_with_the_keyboard_alone(module_browser, module_server, site):  # noqa: F811 - fixtures
    base = module_server.url
    page = module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    log_in(page, base, module_server.add_user("keys@example.org", "Keyboard User"))
    page.goto(base + "/")
    first = tab_to(page, lambda s: True)
    assert "Skip to content" in first["what"]
    # The fixture bank comes first: its length field, then its start button.
    tab_to(page, lambda s: s["what"].startswith("input[number]"))
    page.keyboard.press("Control+A")
    page.keyboard.type("8")
    tab_to(page, lambda s: s["what"] == "input[submit] Start quiz")
    assert page.evaluate("document.activeElement.closest('section.bank').innerText").find("Fixture bank") >= 0
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/q/1$"))
    for position in range(1, 9):
        kind = kind_of(page)
        # Each question opens with the focus on it: one Tab reaches its first answer, not the site's links.
        expect(page.locator("#question-heading")).to_be_focused()
        if kind in ("single_choice", "true_false", "multiple_response"):
            tab_to(page, lambda s: s["what"].startswith(("input[radio]", "input[checkbox]")), limit=1)
            page.keyboard.press("Space")
        elif kind == "cloze":
            for _ in page.locator(".blank-input").all():
                tab_to(page, lambda s: s["what"].startswith("input[text]"), limit=1)
                page.keyboard.type("98")
        elif kind != "flashcard":
            tab_to(page, lambda s: s["what"].startswith("input[text]"), limit=1)
            page.keyboard.type("98")
        tab_to(page, lambda s: s["what"].startswith("input[submit]"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # The verdict has the focus: a screen reader says it first.
        expect(page.locator("#verdict")).to_be_focused()
        tab_to(page, lambda s: s["what"].endswith(("I knew it", "Next question", "See your results")))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if position == 8:
            break
    page.wait_for_url(re.compile(r"/results$"))
    assert page.get_by_role("heading", name="Results").is_visible()
    page.context.close()


def test_a_verdict_is_named_by_its_word_alone(site):  # noqa: F811
    """The check mark and cross before a verdict are drawn for the eye: a screen reader says "Wrong", not
    "ballot x Wrong", in the heading and in the suggested rating it describes."""
    marked = 0
    for kind in QUESTION_TYPES[:-1]:
        page = show(site, f"feedback: {kind}")
        verdict = page.locator("#verdict")
        marked += page.evaluate("getComputedStyle(document.getElementById('verdict'), '::before').content") != "none"
        expect(verdict).to_have_accessible_name(verdict.inner_text().strip())
    assert marked, "no feedback page showed a right or wrong verdict"


def test_focus_is_visible_everywhere_on_the_class_pages(site):  # noqa: F811
    """Tab through a whole page or two: every stop is outlined and on screen."""
    for page, url in ((site.pages["instructor"], site.urls["assignment form"]),
                      (site.pages["instructor"], site.urls["gradebook"]),
                      (site.pages["student"], site.urls["feedback: cloze"])):
        page.goto(url)
        # From the top: a feedback page opens with the focus on its verdict, halfway down.
        page.locator(".skip-link").focus()
        seen = 0
        for _ in range(150):
            page.keyboard.press("Tab")
            state = _focus_state(page)
            if state is None:
                break
            assert state["outlined"] or state["shadowed"], f"no visible focus on {state['what']} at {url}"
            seen += 1
        assert seen >= 5


# Words (runs of anything but spaces and dashes, where lines may break) laid out on more than one line.
_BROKEN_WORDS = """() => {
    const broken = [];
    for (const cell of document.querySelectorAll('main table :is(td, th)')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const word of node.data.matchAll(/[^\\s\\-\\u2010-\\u2015]{2,}/gu)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) broken.push(word[0]);
            }
        }
    }
    return broken;
}"""


@pytest.mark.parametrize("width", [320, 375, 768, 1920])
def test_pages_fit_phones_and_projectors(module_browser, site, axe, width):  # noqa: F811 - fixtures
    """Screenshots of the main page types at a laptop's width zoomed to 400% (WCAG reflow), a phone's, a tablet's
    and a projector's width; nothing runs off the side, and no word in a table is broken across lines."""
    states = {role: site.pages[role].context.storage_state() for role in ("student", "instructor", "admin")}
    overflowing, broken = [], []
    for role_state, names in ((states["student"], ["home", "question: cloze", "feedback: single_choice", "results",
                                                   "assignment results", "progress", "classes, student",
                                                   "student's class", "account and API tokens"]),
                              (states["instructor"], ["gradebook", "student work", "attempt", "item statistics",
                                                      "item", "my banks", "upload with problems", "preview",
                                                      "assignment form", "class", "join code shown large",
                                                      "remove a student"]),
                              (states["admin"], ["users", "add accounts with problems", "accounts made",
                                                 "temporary password shown"])):
        context = module_browser.new_context(viewport={"width": width, "height": 900}, storage_state=role_state)
        page = context.new_page()
        for name in names:
            _role, how = PAGE_TYPES[name]
            if callable(how):
                how(page, site)
            else:
                page.goto(site.base + how if how.startswith("/") else site.urls[how])
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            screenshot(page, f"a11y-{width}-{re.sub(r'[^a-z]+', '-', name)}")
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(el => !el.closest('.table-scroll, .chart-canvas') && el.getBoundingClientRect().right >
                              document.documentElement.clientWidth + 1)
                .map(el => el.tagName + '.' + el.className)""")
            if wide:
                overflowing.append(f"{name}: {wide[:5]}")
            # Anything positioned out of a scroll box (a hidden label, say) widens the page without showing.
            scroll = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if scroll > 0:
                overflowing.append(f"{name}: the page scrolls sideways by {scroll}px")
            if words := page.evaluate(_BROKEN_WORDS):
                broken.append(f"{name}: {words[:5]}")
            if width < 600:  # the phone layout is a page type of its own for axe (target sizes, reflow)
                blocking = [v for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING]
                assert not blocking, f"{name} at {width}px:\n{describe(blocking)}"
        context.close()
    assert overflowing == [], f"wider than {width}px: {overflowing}"
    assert broken == [], f"words broken across lines at {width}px: {broken}"
