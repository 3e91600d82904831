"""The site the accessibility tests look at, set up once per module: a bank, a class, attempts, study cards."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from quizapp.models import Role
from tests.browser.page_types import Site
from tests.browser.shared import kind_of, log_in
from tests.conftest import FIXTURE_BANKS
from tests.test_uploads import zipped

# A test module using these fixtures imports them with module_browser and module_server (tests.browser.shared):
# site needs published_bank imported too.


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
def published_bank(module_browser, module_server) -> Iterator[tuple[object, str]]:
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
def site(module_browser, module_server, published_bank) -> Iterator[Site]:
    """Every page type's address, with a page logged in for each role: one live server and one Chromium serve the
    whole module, and this sets up a class, an assignment, attempts and study cards once."""
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
