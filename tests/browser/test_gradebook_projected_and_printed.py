"""The gradebook on a classroom projector zoomed to 200%, and printed; its long names on a phone, there and on the
class page."""

from __future__ import annotations

import re

import pytest

from quizapp.classroom.membership import join_class
from quizapp.extensions import db
from quizapp.models import Role, User
from tests.browser.conftest import screenshot
from tests.browser.shared import (  # noqa: F401 - fixtures
    WORD_TOO_LONG,
    broken_words,
    log_in,
    module_browser,
    module_server,
    weekly_class,
)

pytestmark = pytest.mark.browser

NAMES = ("Aigerim Sadykova", "Daniyar Nurmukhambetov", "Zhanna Tokayeva")
# Longer words than fit 9rem, and a double surname, which wraps after its hyphen.
LONG_NAMES = ("Aliya Kassymzhomartova", "Абдрахманова-Кенжебекова Дана")
# A word too wide for the names' column, which it widened till the scores were out of sight beside it.
TOO_LONG = f"Hubert {WORD_TOO_LONG}"
# Where a name's text goes on to a new line other than after a space: the indexes of those letters.
_BREAKS_INSIDE_WORDS = """link => {
    const text = link.firstChild, range = document.createRange(), inside = [];
    let top = null;
    for (let i = 0; i < text.length; i++) {
        range.setStart(text, i); range.setEnd(text, i + 1);
        const box = range.getClientRects()[0];
        if (!box) continue;
        if (top !== null && box.top > top + 2 && text.data[i - 1] !== " " && text.data[i] !== " ") inside.push(i);
        top = box.top;
    }
    return inside;
}"""


@pytest.fixture(scope="module")
def gradebook(module_server) -> tuple[str, str]:  # noqa: F811
    """A class of five students and twelve assignments; its instructor's email and its gradebook's address."""
    email = module_server.add_user("projector@example.org", "Ms Teacher", Role.INSTRUCTOR)
    pupils = [module_server.add_user(f"pupil{number}@example.org", name)
              for number, name in enumerate(NAMES + LONG_NAMES)]
    pupils.append(module_server.add_user("hubert@example.org", TOO_LONG))
    with module_server.app.app_context():
        classroom = weekly_class(email, 12, "the Senate, the Mazhilis and the constitutional court")
        for pupil in pupils:
            join_class(db.session, db.session.query(User).filter_by(email=pupil).one(), classroom.join_code)
        db.session.commit()
        url = f"{module_server.url}/classes/{classroom.id}/gradebook"
        db.session.remove()
    return email, url


def test_on_a_projector_at_200_percent_names_wrap_between_words(module_browser, module_server, gradebook):  # noqa: F811
    email, url = gradebook
    # A 1024x768 projector with the browser zoomed to 200%: 512 by 384 CSS pixels, two device pixels each.
    page = module_browser.new_context(viewport={"width": 512, "height": 384}, device_scale_factor=2).new_page()
    log_in(page, module_server.url, email)
    page.goto(url)
    screenshot(page, "gradebook-projector-200")
    for name in NAMES:
        link = page.get_by_role("rowheader", name=name).get_by_role("link")
        assert link.evaluate(_BREAKS_INSIDE_WORDS) == [], name
    page.context.close()


@pytest.mark.usefixtures("gradebook")  # its students
def test_on_a_1920px_projector_ten_assignments_fit_beside_the_names(module_browser, module_server):  # noqa: F811
    email = module_server.add_user("wide@example.org", "Mr Teacher", Role.INSTRUCTOR)
    with module_server.app.app_context():
        classroom = weekly_class(email, 10)
        for number in range(len(NAMES + LONG_NAMES)):
            join_class(db.session, db.session.query(User).filter_by(email=f"pupil{number}@example.org").one(),
                       classroom.join_code)
        db.session.commit()
        url = f"{module_server.url}/classes/{classroom.id}/gradebook"
        db.session.remove()
    # Held to the 50rem of a page of prose, the table showed three and a half assignments and scrolled sideways
    # while most of the screen stayed empty.
    page = module_browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    log_in(page, module_server.url, email)
    page.goto(url)
    screenshot(page, "gradebook-1920")
    scroller = page.locator(".table-scroll")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth"), "ten assignments scroll on a projector"
    last = page.get_by_role("link", name="Week 10: the Senate, the Mazhilis and the Kurultai").bounding_box()
    assert last["x"] + last["width"] <= 1920
    for name in NAMES + LONG_NAMES:
        assert broken_words(page.get_by_role("rowheader", name=name).get_by_role("link")) == [], name
    # The sentences above it keep the length of a line of prose, not the screen's.
    assert page.locator("p.hint").evaluate("p => p.offsetWidth / parseFloat(getComputedStyle(p).fontSize)") < 60
    page.context.close()


@pytest.mark.parametrize("width", [1000, 1280])
def test_names_wrap_between_words_and_after_hyphens(module_browser, module_server, gradebook, width):  # noqa: F811
    email, url = gradebook
    # Held to 9rem, "Kassymzhomartova" broke as "Kassymzhomart / ova" while the scores had room to give.
    page = module_browser.new_context(viewport={"width": width, "height": 800}).new_page()
    log_in(page, module_server.url, email)
    page.goto(url)
    for name in NAMES + LONG_NAMES:
        assert broken_words(page.get_by_role("rowheader", name=name).get_by_role("link")) == [], name
    page.context.close()


# A phone, and a tablet upright and on its side.
@pytest.mark.parametrize("device", [{"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
                                    {"viewport": {"width": 768, "height": 1024}, "has_touch": True},
                                    {"viewport": {"width": 1024, "height": 768}, "has_touch": True}],
                         ids=["390", "768", "1024"])
def test_a_word_too_long_for_the_names_column_breaks_and_leaves_the_scores_in_view(  # noqa: F811 - fixtures
        module_browser, module_server, gradebook, device):  # noqa: F811 - fixtures
    email, url = gradebook
    width = device["viewport"]["width"]
    page = module_browser.new_context(**device).new_page()
    log_in(page, module_server.url, email)
    page.goto(url)
    screenshot(page, f"gradebook-word-too-long-{width}", full_page=False)
    # The names take at most 40% of the box, the scores the rest; only the word too long breaks inside itself.
    box = page.locator(".gradebook-scroll").evaluate("e => e.clientWidth")
    cell = page.get_by_role("rowheader", name=TOO_LONG)
    assert cell.bounding_box()["width"] <= 0.45 * box, (cell.bounding_box(), box)
    # Its letters stay inside the cell, not over the scores beside it.
    right = cell.get_by_role("link").evaluate(
        "a => { const words = document.createRange(); words.selectNodeContents(a);"
        " return words.getBoundingClientRect().right; }")
    assert right <= cell.bounding_box()["x"] + cell.bounding_box()["width"], right
    assert broken_words(cell.get_by_role("link"), WORD_TOO_LONG) == []
    assert page.get_by_role("link", name="Week 1: the Senate, the Mazhilis and the constitutional court").is_visible()
    if width > 390:  # where there is room for them, the other names keep their words whole
        for name in NAMES + LONG_NAMES:
            assert broken_words(page.get_by_role("rowheader", name=name).get_by_role("link")) == [], name
    page.context.close()


@pytest.mark.parametrize("width", [390, 768])
def test_on_the_class_page_a_word_too_long_breaks_and_the_roster_fits_the_screen(module_browser, module_server,  # noqa: F811
                                                                                  gradebook, width):
    """The class page's roster, of the same students: as wide as the word too long, its table ran past a phone's
    screen, the emails and Remove links of every student out of sight until scrolled sideways."""
    email, url = gradebook
    page = module_browser.new_context(viewport={"width": width, "height": 844}).new_page()
    log_in(page, module_server.url, email)
    page.goto(url.removesuffix("/gradebook"))
    roster = page.get_by_role("region", name=re.compile("^Students in"))
    screenshot(page, f"roster-word-too-long-{width}", full_page=False)
    assert roster.evaluate("box => box.scrollWidth - box.clientWidth") == 0
    name = page.get_by_role("rowheader", name=TOO_LONG)
    assert broken_words(name.get_by_role("link"), WORD_TOO_LONG) == []
    remove = page.get_by_role("link", name=re.compile(f"^Remove {TOO_LONG}"))
    assert remove.bounding_box()["x"] + remove.bounding_box()["width"] <= width
    if width > 390:  # where there is room for them, the other names keep their words whole
        for other in NAMES + LONG_NAMES:
            assert broken_words(page.get_by_role("rowheader", name=other).get_by_role("link")) == [], other
    page.context.close()


def test_printed_every_column_is_on_the_sheet_and_the_sheet_is_landscape(module_browser, module_server,  # noqa: F811
                                                                         gradebook):
    email, url = gradebook
    # A portrait A4 sheet's width inside 1cm margins, the narrowest a browser would lay it out to.
    page = module_browser.new_context(viewport={"width": 718, "height": 1000}).new_page()
    log_in(page, module_server.url, email)
    page.goto(url)
    page.emulate_media(media="print")
    screenshot(page, "gradebook-printed")
    scroller = page.locator(".table-scroll")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth"), "columns past the sheet's edge are cut off"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.get_by_role("link", name="Week 12: the Senate, the Mazhilis and the constitutional court").is_visible()
    # Download links lead nowhere on paper.
    assert not page.get_by_role("link", name="grades (CSV)").is_visible()
    pdf = page.pdf(format="A4")
    width, height = map(float, re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert width > height, "the sheet is portrait"
    page.context.close()
