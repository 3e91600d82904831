"""The small actions inside lists and tables (Remove…, Withdraw, Leave this class…, Revoke) on a phone: each a
finger's size, 44 by 44 CSS pixels, clear of its neighbours; on a desktop, the line of text they were."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from quizapp.classroom.invitations import accept_invitation, invite_instructor
from quizapp.classroom.membership import join_class
from quizapp.extensions import db
from quizapp.models import Classroom, Role, User
from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, module_browser, module_server, weekly_class  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
COARSE = "matchMedia('(pointer: coarse)').matches"
# The inline actions of the class page: the roster's names and Remove links, the instructors' Remove and Leave, and
# Withdraw beside each invitation not yet answered.
CLASS_TARGETS = "main table a, main .instructors a, main .instructors button"


def teaching_class(server, tag: str) -> tuple[str, str]:
    """A class with an assignment, taught by Ada with Ben, Cleo invited and Dana a student; Ada's email and the
    class's address."""
    ada, ben, cleo = (server.add_user(f"{who}.{tag}@example.org", name, Role.INSTRUCTOR)
                      for who, name in (("ada", "Ada Byron"), ("ben", "Ben Okri"), ("cleo", "Cleo Whitfield")))
    dana = server.add_user(f"dana.{tag}@example.org", "Dana Sadykova")
    with server.app.app_context():
        def user(email: str) -> User:
            return db.session.query(User).filter_by(email=email).one()
        classroom = weekly_class(ada, weeks=1)
        accept_invitation(db.session, user(ben), invite_instructor(db.session, classroom, ben, user(ada)))
        invite_instructor(db.session, classroom, cleo, user(ada))
        join_class(db.session, user(dana), classroom.join_code)
        db.session.commit()
        url = f"{server.url}/classes/{classroom.id}"
        db.session.remove()
    return ada, url


def boxes(page, selector: str) -> list[tuple[str, dict]]:
    """Each visible match's text and its box on the page, from getBoundingClientRect."""
    return [(item.inner_text().strip(), item.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {x: r.left + scrollX, y: r.top + scrollY,"
        " width: r.width, height: r.height}; }")) for item in page.locator(selector).all() if item.is_visible()]


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def assert_among(targets: list[tuple[str, dict]], expected: set[str]) -> None:
    """Each expected word starts the text of a target (a visually hidden name may follow it)."""
    for word in expected:
        assert any(text.startswith(word) for text, _ in targets), (word, targets)


def assert_finger_sized(targets: list[tuple[str, dict]], expected: set[str]) -> None:
    """Every target at least 44 by 44, none overlapping another, and those expected among them."""
    assert_among(targets, expected)
    for text, box in targets:
        assert box["height"] >= 44 and box["width"] >= 44, (text, box)
    for i, (text, box) in enumerate(targets):
        for other, other_box in targets[i + 1:]:
            assert not overlap(box, other_box), (text, box, other, other_box)


def test_inline_actions_are_44px_targets_on_a_phone(module_browser, module_server):  # noqa: F811 - fixtures
    ada, class_url = teaching_class(module_server, "phone")
    context = module_browser.new_context(**PHONE)
    page = context.new_page()
    assert page.evaluate(COARSE), "a phone's touch screen is a coarse pointer"
    log_in(page, module_server.url, ada)
    page.goto(class_url)
    expect(page.get_by_role("button", name="Withdraw the invitation to Cleo Whitfield")).to_be_visible()
    assert_finger_sized(boxes(page, CLASS_TARGETS),
                        {"Dana Sadykova", "Remove", "Leave this class…", "Withdraw"})
    screenshot(page, "tap-targets-class-390")
    page.goto(class_url + "/gradebook")
    assert_finger_sized(boxes(page, "main table a"), {"Dana Sadykova"})
    screenshot(page, "tap-targets-gradebook-390")

    page.goto(module_server.url + "/auth/tokens")
    page.get_by_label("What the token is for").fill("grade export script")
    page.get_by_role("button", name="Make a token").click()
    page.get_by_label("What the token is for").fill("gradebook sync")
    page.get_by_role("button", name="Make a token").click()
    expect(page.get_by_role("button", name="Revoke grade export script")).to_be_visible()
    assert_finger_sized(boxes(page, "main table button"), {"Revoke"})
    assert len(boxes(page, "main table button")) == 2
    screenshot(page, "tap-targets-tokens-390")

    # The header's Log out stays a line of text in the bar, as the links beside it.
    log_out = page.get_by_role("button", name="Log out").bounding_box()
    assert log_out["height"] < 44
    context.close()


def test_the_buttons_of_an_assignment_page_stand_apart_on_a_phone(module_browser, module_server):  # noqa: F811
    """Wrapped onto several lines, Item statistics, Gradebook, Edit and Delete keep a gap: touching, they read as
    one control, and a finger meant for Edit could press Delete."""
    ada, class_url = teaching_class(module_server, "assignment")
    context = module_browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, module_server.url, ada)
    page.goto(class_url)
    page.get_by_role("link", name="Week 1: the Senate, the Mazhilis and the Kurultai").click()
    page.wait_for_url(re.compile(r"/assignments/\d+$"))
    buttons = boxes(page, "main a.button")
    assert_among(buttons, {"Item statistics", "Gradebook", "Edit", "Delete"})
    screenshot(page, "assignment-buttons-390")
    for i, (text, box) in enumerate(buttons):
        for other, other_box in buttons[i + 1:]:
            apart = max(other_box["y"] - (box["y"] + box["height"]), other_box["x"] - (box["x"] + box["width"]),
                        box["x"] - (other_box["x"] + other_box["width"]))
            assert apart >= 8, f"{text} and {other} are {apart:.1f}px apart"
    context.close()


def test_the_role_menus_of_the_users_page_are_a_fingers_size_on_a_phone(module_browser, module_server):  # noqa: F811
    admin = module_server.add_user("admin.menus@example.org", "Aliya Admin", Role.ADMIN)
    module_server.add_user("menus.student@example.org", "Menu Student")
    context = module_browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, module_server.url, admin)
    page.goto(module_server.url + "/admin/users")
    menus = boxes(page, "main table select")
    assert len(menus) >= 2
    for _text, box in menus:
        assert box["height"] >= 44, box
    screenshot(page, "users-role-menus-390")
    context.close()


def test_inline_actions_stay_a_line_of_text_on_a_desktop(module_browser, module_server):  # noqa: F811 - fixtures
    ada, class_url = teaching_class(module_server, "desktop")
    context = module_browser.new_context(**DESKTOP)
    page = context.new_page()
    assert not page.evaluate(COARSE)
    log_in(page, module_server.url, ada)
    page.goto(class_url)
    targets = boxes(page, CLASS_TARGETS)
    assert_among(targets, {"Remove", "Leave this class…", "Withdraw"})
    for text, box in targets:
        assert box["height"] < 30, (text, box)
    screenshot(page, "tap-targets-class-1280")
    context.close()


def test_a_long_school_address_leaves_the_rosters_remove_links_on_a_phones_screen(
        module_browser, module_server):  # noqa: F811 - fixtures
    """An address such as a school's, unbroken, widened the roster past a phone's screen and hid Remove… behind a
    sideways scroll that nothing shows; it breaks after its @ and before its dots instead."""
    ada, class_url = teaching_class(module_server, "address")
    pupil = module_server.add_user("aigerim.sadykova@almaty.nis.edu.kz", "Aigerim Sadykova")
    with module_server.app.app_context():
        classroom_id = int(class_url.rsplit("/", 1)[1])
        join_class(db.session, db.session.query(User).filter_by(email=pupil).one(),
                   db.session.get(Classroom, classroom_id).join_code)
        db.session.commit()
        db.session.remove()
    context = module_browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, module_server.url, ada)
    page.goto(class_url)
    roster = page.get_by_role("region", name=re.compile("Students in"))
    assert roster.evaluate("e => e.scrollWidth <= e.clientWidth"), "the roster scrolls sideways"
    width = page.viewport_size["width"]
    removes = [box for text, box in boxes(page, "main table a") if text.startswith("Remove")]
    assert len(removes) == 2
    for box in removes:
        assert box["x"] + box["width"] <= width, box
    screenshot(page, "roster-long-address-390")
    context.close()
