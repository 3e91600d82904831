"""axe-core finds no serious or critical problem on any type of page, and the main actions work by keyboard alone
with a visible focus.

axe-core comes inside the axe-playwright-python wheel (axe.min.js) and is injected into each page by Playwright,
so nothing is fetched at run time. One live server and one Chromium serve the whole module: the fixture `site`
sets up a class, an assignment, attempts and study cards once, and each page type is then a test of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect

from quizapp.models import Role
from tests.browser.conftest import screenshot
from tests.browser.page_types import PAGE_TYPES, QUESTION_TYPES, Site, describe, show
from tests.browser.shared import kind_of, log_in, module_browser, module_server  # noqa: F401 - fixtures
from tests.conftest import FIXTURE_BANKS
from tests.test_uploads import BROKEN_BANK, zipped

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def fixture_bank_zip() -> bytes:
    folder = FIXTURE_BANKS / "bank"
    return zipped({f"bank/{path.name}": path.read_bytes() for path in sorted(folder.glob("*.yaml"))})


def _start_practice(page, base: str, length: int) -> None:
    page.goto(base + "/")
    bank = page.locator("section.bank", has=page.get_by_role("heading", name="Fixture bank"))
    bank.get_by_label("Number of questions").fill(str(length))
    bank.get_by_role("button", name="Start quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/q/1$"))


def _answer(page) -> None:
    form = page.locator("article.question form")
    radios, boxes = form.locator("input[type=radio]"), form.locator("input[type=checkbox]")
    if radios.count():
        radios.first.check()
    if boxes.count():
        boxes.first.check()
    for text_field in form.locator("input[type=text], input:not([type])").all():
        text_field.fill("98")
    with page.expect_navigation():
        form.locator("input[type=submit], button[type=submit]").first.click()


@pytest.fixture(scope="module")
def published_bank(module_browser, module_server) -> Iterator[tuple[object, str]]:  # noqa: F811 - fixtures
    """The instructor's page, logged in, once it has uploaded the fixture bank (one question of each type) and
    published it to everyone; with the address of the bank's preview."""
    base = module_server.url
    teacher = module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    log_in(teacher, base, module_server.add_user("teacher@example.org", "Ms Teacher", Role.INSTRUCTOR))
    teacher.goto(base + "/banks/upload")
    teacher.get_by_label("Bank file").set_input_files(
        files=[{"name": "fixture.zip", "mimeType": "application/zip", "buffer": fixture_bank_zip()}])
    teacher.get_by_role("button", name="Upload and check").click()
    teacher.wait_for_url(re.compile(r"/banks/\d+/preview$"))
    preview = teacher.url
    teacher.get_by_label("Everyone").check()
    with teacher.expect_navigation():
        teacher.get_by_role("button", name="Publish").click()
    yield teacher, preview
    teacher.context.close()


@pytest.fixture(scope="module")
def site(module_browser, module_server, published_bank) -> Iterator[Site]:  # noqa: F811 - fixtures
    server = module_server
    base = server.url
    accounts = {
        "student": server.add_user("ada@example.org", "Ada Lovelace"),
        "admin": server.add_user("admin@example.org", "Admin", Role.ADMIN),
        "newcomer": server.add_user("new@example.org", "New Student", new_cards_per_day=0),
    }
    pages = {"anonymous": module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()}
    for role, email in accounts.items():
        pages[role] = module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
        log_in(pages[role], base, email)
    own_pages = list(pages.values())
    teacher, preview = published_bank
    pages["instructor"] = teacher
    site = Site(base, pages)
    urls = site.urls
    urls["preview"] = preview
    student = pages["student"]

    # The instructor, who has published the fixture bank, sets an assignment from it.
    teacher.goto(base + "/classes/")
    teacher.get_by_label("Class name").fill("Civics 9B")
    teacher.get_by_role("button", name="Create class").click()
    teacher.wait_for_url(re.compile(r"/classes/\d+$"))
    urls["class"] = teacher.url
    code = teacher.locator(".join-code .code").inner_text()
    # The admin is invited to teach it and does not answer: the class page lists the invitation, and the admin's
    # pages offer to accept or decline it.
    teacher.get_by_label("Instructor's email").fill("admin@example.org")
    teacher.get_by_role("button", name="Invite instructor").click()
    teacher.get_by_role("button", name=re.compile("^Withdraw")).wait_for()
    teacher.get_by_role("link", name="Set an assignment").first.click()
    urls["choose bank"] = teacher.url
    teacher.get_by_role("link", name="Fixture bank").click()
    urls["assignment form"] = teacher.url
    teacher.get_by_label("Title", exact=True).fill("Parliament check")
    teacher.get_by_role("button", name="Create assignment").click()
    teacher.wait_for_url(re.compile(r"/assignments/\d+$"))
    urls["assignment"] = teacher.url

    # The student joins, does the assignment and hands it in, then starts a second attempt.
    student.goto(base + "/classes/")
    student.get_by_label("Join code").fill(code)
    student.get_by_role("button", name=re.compile("Join")).click()
    student.wait_for_url(re.compile(r"/classes/\d+/work$"))
    urls["student class"] = student.url
    student.get_by_role("button", name=re.compile("Start")).click()
    for _question in range(7):  # the fixture bank's questions less its flashcard
        _answer(student)
        with student.expect_navigation():
            student.locator(".next a").click()
    assert student.url.endswith("/hand-in")
    student.get_by_role("button", name=re.compile("Hand in")).click()
    student.wait_for_url(re.compile(r"/results$"))
    urls["assignment results"] = student.url
    student.goto(urls["student class"])
    student.get_by_role("button", name=re.compile("Start another")).click()
    student.wait_for_url(re.compile(r"/q/1$"))
    urls["hand in"] = student.url.rsplit("/q/", 1)[0] + "/hand-in"

    # Two practice quizzes: one left unanswered (a question of each type), one answered (the feedback of each).
    _start_practice(student, base, 8)
    for position in range(1, 9):
        student.goto(re.sub(r"/q/\d+$", f"/q/{position}", student.url))
        urls.setdefault(f"question: {kind_of(student)}", student.url)
    _start_practice(student, base, 8)
    for _position in range(8):
        kind = kind_of(student)
        _answer(student)
        urls.setdefault(f"feedback: {kind}", student.url)
        grade = student.get_by_role("button", name="I knew it")
        with student.expect_navigation():
            (grade if grade.count() else student.locator(".next a")).click()
    urls["results"] = student.url
    student.goto(urls["feedback: single_choice"])
    urls["source"] = base + student.get_by_role("link", name="Read this passage in the full text").first.get_attribute(
        "href")
    student.goto(base + "/study/")
    bank = student.locator("#study-bank option", has_text="Fixture bank").get_attribute("value")
    urls["study"] = f"{base}/study/?bank={bank}"
    student.goto(base + "/auth/tokens")
    student.get_by_label("What the token is for").fill("grade export")
    student.get_by_role("button", name=re.compile("token", re.I)).click()

    teacher.goto(urls["class"].rstrip("/") + "/gradebook")
    urls["gradebook"] = teacher.url
    teacher.locator(".gradebook tbody th a").first.click()
    urls["student work"] = teacher.url
    teacher.locator("main li a").first.click()
    urls["attempt"] = teacher.url
    teacher.goto(urls["assignment"] + "/statistics")
    urls["statistics"] = teacher.url
    teacher.locator(".item-stats h2 a").first.click()
    urls["item"] = teacher.url
    yield site
    for page in own_pages:
        page.context.close()



@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_serious_accessibility_violations(site, axe, name):
    page = show(site, name)
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{name} ({page.url}):\n{describe(blocking)}"
    repeated = page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
        return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]; }""")
    assert repeated == [], f"{name}: ids used more than once: {repeated}"


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
                                                       published_bank):
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


def test_a_verdict_is_named_by_its_word_alone(site):
    """The check mark and cross before a verdict are drawn for the eye: a screen reader says "Wrong", not
    "ballot x Wrong", in the heading and in the suggested rating it describes."""
    marked = 0
    for kind in QUESTION_TYPES[:-1]:
        page = show(site, f"feedback: {kind}")
        verdict = page.locator("#verdict")
        marked += page.evaluate("getComputedStyle(document.getElementById('verdict'), '::before').content") != "none"
        expect(verdict).to_have_accessible_name(verdict.inner_text().strip())
    assert marked, "no feedback page showed a right or wrong verdict"


def test_focus_is_visible_everywhere_on_the_class_pages(site):
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

