"""From an answer's feedback or a bank's preview to its passage in the full text and back, with and without JS."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from quizapp.models import Role
from tests.browser.accessibility_site import fixture_bank_zip
from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures
from tests.browser.test_quiz_on_phone import start_quiz

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "javascript"), [(360, True), (1280, False), (1920, True)])
def test_the_full_text_opens_at_the_passage_says_where_it_is_and_goes_back(module_browser, module_server,  # noqa: F811
                                                                            width, javascript):
    email = module_server.add_user(f"reader-{width}@example.org", "Reader")
    context = module_browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, module_server.url, email)
    start_quiz(page, module_server.url, "Parliament", 1)
    form = page.locator("article.question form")
    for choice in (form.locator("input[type=radio]"), form.locator("input[type=checkbox]")):
        if choice.count():
            choice.first.check()
    for field in form.locator("input[type=text], input:not([type])").all():
        field.fill("98")
    with page.expect_navigation():
        form.locator("input[type=submit], button[type=submit]").first.click()
    feedback = page.url
    page.get_by_role("link", name="Read this passage in the full text").first.click()
    page.wait_for_url(re.compile(r"/sources/[\w-]+\?start=\d+&end=\d+&back=[^#]+#passage$"))
    passage = page.locator("#passage")
    # The browser scrolls to the passage and gives it the focus, so a screen reader reads it out at once,
    # saying where the highlight starts and ends.
    expect(passage).to_be_in_viewport()
    expect(passage).to_be_focused()
    assert re.fullmatch(r'- mark: "\[highlight start\] .+ \[highlight end\]"', passage.aria_snapshot())
    screenshot(page, f"reader-passage-{width}", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.go_back()
    page.wait_for_url(feedback)
    expect(page.get_by_role("link", name="Read this passage in the full text").first).to_be_visible()
    # The page's own link goes back too, for whoever does not think of the browser's Back.
    page.go_forward()
    page.get_by_role("link", name="Back to the question").last.click()
    # At the sources read, not at the top of the feedback with the way on a long scroll below on a phone.
    page.wait_for_url(feedback + "#source-heading")
    expect(page.get_by_role("heading", name=re.compile(r"^Sources?$"))).to_be_in_viewport()
    expect(page.get_by_role("link", name="Read this passage in the full text").first).to_be_visible()
    screenshot(page, f"reader-back-{width}", full_page=False)
    context.close()


@pytest.fixture(scope="module")
def bank_preview(module_browser, module_server) -> tuple[str, str]:  # noqa: F811
    """An instructor who has uploaded the fixture bank (a question of each type, each with its source): their email
    and the address of the bank's preview."""
    email = module_server.add_user("author@example.org", "Ms Author", Role.INSTRUCTOR)
    page = module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    log_in(page, module_server.url, email)
    page.goto(module_server.url + "/banks/upload")
    page.get_by_label("Bank file").set_input_files(
        files=[{"name": "fixture.zip", "mimeType": "application/zip", "buffer": fixture_bank_zip()}])
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/banks/\d+/preview$"))
    preview = page.url
    page.context.close()
    return email, preview


@pytest.mark.parametrize("width", [390, 1280])
def test_back_from_the_full_text_a_bank_preview_opens_at_the_answer_read(module_browser, module_server,  # noqa: F811
                                                                          bank_preview, width):
    email, preview = bank_preview
    context = module_browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    log_in(page, module_server.url, email)
    page.goto(preview)
    # The last question, a page or more below the top: the way back has to find it.
    question = page.locator("li.preview-item").last
    answer_and_source = question.locator("details").first
    answer_and_source.locator("summary", has_text="Answer and source").click()
    sources = question.locator("details.sources")
    sources.locator("summary").click()
    question.get_by_role("link", name="Read this passage in the full text").first.click()
    page.wait_for_url(re.compile(r"/sources/[\w-]+\?"))
    page.get_by_role("link", name="Back to the question").last.click()
    page.wait_for_url(re.compile(r"/preview#answer-\d+$"))
    answer = page.locator(page.url[page.url.index("#"):])
    # The same question's answer, in view, with the sections it was read in open again.
    expect(question.locator("[id^=answer-]")).to_have_id(answer.get_attribute("id"))
    expect(answer).to_be_in_viewport()
    expect(answer_and_source).to_have_attribute("open", "")
    expect(sources).to_have_attribute("open", "")
    expect(page.get_by_role("heading", level=1)).not_to_be_in_viewport()
    screenshot(page, f"preview-back-from-the-full-text-{width}", full_page=False)
    context.close()


def test_each_section_bullet_stands_before_its_own_title(module_browser, module_server):  # noqa: F811
    page = module_browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(module_server.url + "/sources/cornell-barro-2022")
    # A bullet drawn outside its item sits just after the title before it on the line, and reads as that one's:
    # inside the item's box, it comes before the item's words.
    gaps = page.eval_on_selector_all(
        "nav .sections li", "items => items.map(li => { const words = document.createRange();"
        " words.selectNodeContents(li); return words.getClientRects()[0].left - li.getBoundingClientRect().left; })")
    assert len(gaps) > 8 and all(gap > 5 for gap in gaps), gaps
    page.context.close()


def test_on_a_phone_each_section_title_has_a_line_of_its_own_and_wraps_under_its_words(  # noqa: F811 - fixtures
        module_browser, module_server):  # noqa: F811 - fixtures
    page = module_browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                      has_touch=True).new_page()
    page.goto(module_server.url + "/sources/cornell-barro-2022")
    # Per item: where each line of its title starts (left, top), and the item's top and bottom.
    items = page.eval_on_selector_all(
        "nav .sections li", """items => items.map(li => { const words = document.createRange();
            words.selectNodeContents(li); const box = li.getBoundingClientRect();
            return {lines: [...words.getClientRects()].map(r => [Math.round(r.left), Math.round(r.top)]),
                    top: box.top, bottom: box.bottom}; })""")
    wrapped = [item for item in items if len({top for _left, top in item["lines"]}) > 1]
    assert wrapped, "no section title wraps at 360px: the test no longer shows anything"
    for item in wrapped:
        assert len({left for left, _top in item["lines"]}) == 1, f"a wrapped title's lines start at {item['lines']}"
    assert all(after["top"] >= before["bottom"] for before, after in itertools.pairwise(items)), \
        "two section titles share a line"
    screenshot(page, "reader-sections-360", full_page=False)
    page.context.close()
