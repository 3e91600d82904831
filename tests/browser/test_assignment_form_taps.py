"""The assignment form on a phone and on a laptop: each option takes a tap anywhere on its row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.authoring.uploads import load_upload
from quizapp.classroom.membership import create_class
from quizapp.extensions import db
from quizapp.models import Assignment, Role, User
from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, logged_in_page, module_browser, module_server  # noqa: F401 - fixtures
from tests.browser.test_quiz_on_phone import _CORNERS, LAPTOP, PHONE
from tests.conftest import QUESTIONS

pytestmark = pytest.mark.browser

EXAMPLE_BANK = Path(__file__).resolve().parents[2] / "quizapp" / "static" / "example-bank.yaml"


@pytest.mark.parametrize("device", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_option_of_the_assignment_form_is_a_44px_row_that_takes_a_tap_anywhere(module_browser, module_server,  # noqa: F811
                                                                                       device):
    width = device["viewport"]["width"]
    context = module_browser.new_context(**device)
    page = context.new_page()
    log_in(page, module_server.url, module_server.add_user(f"rows-{width}@example.org", "Rows", Role.INSTRUCTOR))
    page.goto(module_server.url + "/classes/")
    page.get_by_label("Class name").fill("Civics 9B")
    page.get_by_role("button", name="Create class").click()
    page.wait_for_url(re.compile(r"/classes/\d+$"))
    page.get_by_role("link", name="Set an assignment").first.click()
    page.get_by_role("link", name="Kazakhstan's 2022 constitutional referendum").click()
    page.wait_for_url(re.compile(r"/assignments/new\?bank=\d+$"))
    screenshot(page, f"assignment-form-{width}")
    # A group's name (Grade by, Late work) stands out from its options as a field's label does.
    weight = "element => getComputedStyle(element).fontWeight"
    label = page.get_by_text("Questions per student", exact=True).evaluate(weight)
    for legend in page.locator(".assignment-form legend:not(.visually-hidden)").all():
        assert legend.evaluate(weight) == label, legend.inner_text()
    assert page.locator(".assignment-form ul.choices label").first.evaluate(weight) != label
    for summary in page.locator(".assignment-form summary").all():
        summary.click()
    # The first rows and the last of each list (the bank's questions alone make hundreds), and every lone checkbox.
    rows = [*page.locator(".assignment-form .checkbox-row").all()]
    for options in page.locator(".assignment-form ul.choices").all():
        listed = options.locator("li").all()
        rows += listed[:3] + listed[3:][-1:]
    kinds = set()
    for row in rows:
        control = row.locator("input")
        kinds.add(control.get_attribute("type"))
        row.scroll_into_view_if_needed()
        assert row.bounding_box()["height"] >= 44, row.inner_text()
        for x, y in row.evaluate(_CORNERS):
            if control.get_attribute("type") == "checkbox" and control.is_checked():
                control.uncheck()
            page.mouse.click(x, y)  # a plain click: no touch adjustment to snap it onto the control
            assert control.is_checked(), f"a tap at ({x:.0f}, {y:.0f}) on “{row.inner_text()}” missed it"
    assert kinds == {"checkbox", "radio"} and len(rows) > 20, len(rows)
    context.close()


@pytest.mark.parametrize("device", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_note_of_a_bank_no_longer_shared_stands_apart_from_the_next_field(module_browser, module_server,  # noqa: F811
                                                                              device):
    """Editing an assignment whose bank its owner unpublished: the note that takes the place of the question
    choices is spaced from "Questions per student" as one field is from the next, not run into its label."""
    width = device["viewport"]["width"]
    teacher = module_server.add_user(f"kept-{width}@example.org", "Kept", Role.INSTRUCTOR)
    owner = module_server.add_user(f"owner-{width}@example.org", "Owner", Role.INSTRUCTOR)
    with module_server.app.app_context():
        # The example bank under an id of this test's own: a bank id is one bank's, whoever uploads it.
        data = EXAMPLE_BANK.read_bytes().replace(b"id: my-first-bank", f"id: kept-{width}".encode())
        owner_account = db.session.scalar(select(User).where(User.email == owner))
        outcome = load_upload(db.session, owner_account, "example.yaml", data, QUESTIONS)
        assert outcome.ok
        bank = outcome.banks[0]
        bank.is_published = bank.is_public = True
        classroom = create_class(db.session, db.session.scalar(select(User).where(User.email == teacher)), "Civics")
        assignment = Assignment(classroom=classroom, bank_id=bank.id, title="Parliament")
        db.session.add(assignment)
        bank.is_published = False
        db.session.commit()
        edit = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
        db.session.remove()
    context = module_browser.new_context(**device)
    page = context.new_page()
    log_in(page, module_server.url, teacher)
    page.goto(module_server.url + edit)
    note = page.get_by_text("is no longer shared with you, so the questions stay as they are")
    screenshot(page, f"assignment-form-kept-{width}")
    below = page.get_by_text("Questions per student", exact=True)
    gap = below.bounding_box()["y"] - (note.bounding_box()["y"] + note.bounding_box()["height"])
    between_fields = (page.get_by_text("Attempts allowed", exact=True).bounding_box()["y"]
                      - page.locator("#due_at").evaluate("e => e.getBoundingClientRect().bottom"))
    assert gap >= between_fields - 1, (gap, between_fields)
    context.close()


def test_ticking_a_question_chooses_hand_picked_questions_and_leaves_the_focus_on_it(module_browser,  # noqa: F811
                                                                                     module_server):  # noqa: F811
    """Left on "The whole bank", a tick would be refused when sent: ticking by keyboard chooses the list ticked in,
    says so to screen readers, and the box keeps the focus."""
    context, page = logged_in_page(module_browser, module_server,
                                   module_server.add_user("picks@example.org", "Picks", Role.INSTRUCTOR), LAPTOP,
                                   "/classes/")
    page.get_by_label("Class name").fill("Civics 9C")
    page.get_by_role("button", name="Create class").click()
    page.wait_for_url(re.compile(r"/classes/\d+$"))
    page.get_by_role("link", name="Set an assignment").first.click()
    page.get_by_role("link", name="Kazakhstan's 2022 constitutional referendum").click()
    page.wait_for_url(re.compile(r"/assignments/new\?bank=\d+$"))
    page.get_by_label("Title").fill("Seats")
    whole, picked = (page.get_by_role("radio", name=name) for name in ("The whole bank", "Hand-picked questions"))
    assert whole.is_checked() and not picked.is_checked()
    page.locator("summary").filter(has_text=re.compile(r"^Questions$")).click()
    box = page.locator('input[name="questions"]').nth(1)
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked() and picked.is_checked() and not whole.is_checked()
    assert box.evaluate("element => element === document.activeElement")
    assert page.locator("[data-selection-said]").inner_text() == "Questions from: Hand-picked questions."
    # Unticking leaves the choice as it is.
    page.keyboard.press("Space")
    assert not box.is_checked() and picked.is_checked()
    page.keyboard.press("Space")
    question = int(box.get_attribute("value"))
    page.get_by_role("button", name="Create assignment").click()
    page.wait_for_url(re.compile(r"/assignments/\d+$"))
    with module_server.app.app_context():
        assignment = db.session.scalar(select(Assignment).where(Assignment.title == "Seats"))
        assert (assignment.selection, assignment.question_ids) == ("questions", [question])
        db.session.remove()
    context.close()
