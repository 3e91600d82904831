"""An instructor sets up a class in the browser; a student joins it and does the assignment."""

from __future__ import annotations

import re

import pytest

from quizapp.auth.accounts import register_user
from quizapp.classroom.membership import join_class
from quizapp.extensions import db
from quizapp.models import Role
from tests.browser.conftest import screenshot
from tests.browser.shared import answer_anything, weekly_class
from tests.browser.test_study_in_browser import register
from tests.conftest import PASSWORD, make_app
from tests.test_uploads import BROKEN_BANK, GOOD_BANK

pytestmark = pytest.mark.browser


@pytest.fixture
def instructor_account(live_server, database, tmp_path) -> str:
    app = make_app(database, tmp_path)
    with app.app_context():
        register_user(db.session, "teacher@example.org", "Ms Teacher", PASSWORD, Role.INSTRUCTOR)
        db.session.commit()
        db.engine.dispose()
    return "teacher@example.org"


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def upload(page, name: str, text: str) -> None:
    page.get_by_label("Bank file").set_input_files(
        files=[{"name": name, "mimeType": "application/yaml", "buffer": text.encode()}])
    page.get_by_role("button", name="Upload and check").click()


def test_instructor_sets_up_a_class_and_a_student_completes_the_work(browser, live_server, instructor_account):
    teacher = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    log_in(teacher, live_server, instructor_account)

    teacher.get_by_role("link", name="My banks").click()
    teacher.get_by_role("link", name=re.compile("Upload")).first.click()
    upload(teacher, "civics.yaml", BROKEN_BANK)
    alert = teacher.get_by_role("alert")
    assert "nothing was loaded" in alert.inner_text() and "civics.yaml:9" in alert.inner_text()
    screenshot(teacher, "upload-problems")
    upload(teacher, "civics.yaml", GOOD_BANK)
    teacher.wait_for_url(re.compile(r"/banks/\d+/preview$"))
    assert teacher.locator("mark", has_text="has been reduced from 107 to 98").count() >= 1
    screenshot(teacher, "upload-preview")
    teacher.get_by_label("Students of my classes").check()
    teacher.get_by_role("button", name="Publish").click()

    teacher.get_by_role("link", name="Classes").click()
    teacher.get_by_label("Class name").fill("Civics 9B")
    teacher.get_by_role("button", name="Create class").click()
    code = teacher.locator(".join-code .code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code)
    screenshot(teacher, "class-detail")

    teacher.get_by_role("link", name="Set an assignment").first.click()
    teacher.get_by_role("link", name="Civics extra").click()
    teacher.get_by_label("Title").fill("Parliament check")
    teacher.get_by_label("After handing in").check()
    teacher.get_by_role("button", name="Create assignment").click()
    teacher.wait_for_url(re.compile(r"/classes/\d+/assignments/\d+$"))
    screenshot(teacher, "assignment-detail")

    student = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    register(student, live_server, "pupil@example.org")
    student.get_by_role("link", name="Classes").click()
    student.get_by_label("Join code").fill(code.lower().replace("-", " "))
    student.get_by_role("button", name=re.compile("Join")).click()
    student.get_by_role("button", name=re.compile("Start")).click()
    student.get_by_label("98").check()
    assert "has been reduced" not in student.content()  # feedback waits for the hand-in
    student.get_by_role("button", name=re.compile("Save|Submit|Next")).click()
    student.wait_for_url(re.compile(r"/hand-in$"))
    screenshot(student, "student-hand-in")
    assert student.locator(".hand-in-list a").first.bounding_box()["height"] >= 44
    student.get_by_role("button", name=re.compile("Hand in")).click()
    assert "1 / 1" in student.content() or "100" in student.content()
    screenshot(student, "student-results")
    student.locator("table a").first.click()
    assert student.locator("mark", has_text="has been reduced from 107 to 98").count() >= 1
    screenshot(student, "student-feedback")

    teacher.goto(teacher.url.rsplit("/assignments/", 1)[0] + "/gradebook")
    assert "Ada" in teacher.content()
    assert "100.0%" in teacher.content()
    screenshot(teacher, "gradebook")
    teacher.get_by_role("link", name=re.compile("Parliament check")).first.click()
    assert "Facility" in teacher.content()
    screenshot(teacher, "item-statistics")


def test_the_gradebook_keeps_each_students_name_in_view_while_its_scores_scroll(browser, live_server, database,
                                                                               tmp_path, instructor_account):
    app = make_app(database, tmp_path)
    with app.app_context():
        # Twelve: a laptop's screen, which the gradebook fills, shows eight assignments beside the names.
        classroom = weekly_class(instructor_account, 12)
        pupil = register_user(db.session, "pupil@example.org", "Aigerim Sadykova", PASSWORD, Role.STUDENT)
        join_class(db.session, pupil, classroom.join_code)
        db.session.commit()
        url = f"{live_server}/classes/{classroom.id}/gradebook"
        db.engine.dispose()
    for width in (375, 1280):
        page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
        log_in(page, live_server, instructor_account)
        page.goto(url)
        scroller = page.locator(".table-scroll")
        assert scroller.evaluate("e => e.scrollWidth > e.clientWidth"), "twelve assignments should scroll"
        scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        box, name = scroller.bounding_box(), page.get_by_role("rowheader", name="Aigerim Sadykova").bounding_box()
        assert box["x"] <= name["x"] and name["x"] + name["width"] <= box["x"] + box["width"]
        # The last column is in view beside the name, not under it.
        last = page.locator(".gradebook tbody td").last.bounding_box()
        assert last["x"] >= name["x"] + name["width"]
        # Keyboard focus moving back to an earlier column comes to rest beside the names, not under them.
        page.locator(".gradebook thead a").nth(1).focus()
        heading = page.locator(".gradebook thead a").nth(1).bounding_box()
        name = page.get_by_role("rowheader", name="Aigerim Sadykova").bounding_box()
        assert heading["x"] >= name["x"] + name["width"]
        screenshot(page, f"gradebook-scrolled-{width}")
        page.context.close()


# Text at 200%, as a reader who sets a larger font gets it, on phones and on a tablet.
DOUBLE_TEXT = "document.documentElement.style.fontSize = '200%'"
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_with_text_at_200_percent_the_gradebook_shows_scores_beside_the_names_and_results_fit(
        browser, live_server, database, tmp_path, instructor_account):
    app = make_app(database, tmp_path)
    with app.app_context():
        classroom = weekly_class(instructor_account, 3)
        pupil = register_user(db.session, "pupil@example.org", "Aigerim Sadykova-Nurmukhambetova", PASSWORD,
                              Role.STUDENT)
        join_class(db.session, pupil, classroom.join_code)
        db.session.commit()
        url = f"{live_server}/classes/{classroom.id}/gradebook"
        db.engine.dispose()
    for width in (320, 375):
        page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
        log_in(page, live_server, instructor_account)
        page.goto(url)
        page.evaluate(DOUBLE_TEXT)
        # 9rem of names filled the whole box: every score scrolled under them, out of sight.
        box = page.locator(".table-scroll").bounding_box()
        name = page.get_by_role("rowheader", name="Aigerim Sadykova-Nurmukhambetova").bounding_box()
        assert name["x"] + name["width"] <= box["x"] + 0.55 * box["width"], (name, box)
        first = page.locator(".gradebook tbody td").first.bounding_box()
        assert first["x"] + first["width"] / 2 < box["x"] + box["width"]
        assert page.evaluate(SIDEWAYS) == 0
        screenshot(page, f"gradebook-200-percent-{width}")
        page.context.close()

    student = browser.new_context(viewport={"width": 768, "height": 900}).new_page()
    log_in(student, live_server, "pupil@example.org")
    student.get_by_role("region", name="Kazakhstan's 2022 constitutional referendum").get_by_role(
        "button", name="Start quiz").click()
    student.wait_for_url(re.compile(r"/quiz/\d+/q/1$"))
    results = student.url.rsplit("/q/", 1)[0] + "/results"
    while True:
        answer_anything(student, "the national assembly of Kazakhstan")
        student.wait_for_load_state()
        if student.locator("form.self-grade").count():  # a flashcard drawn: the student grades it and goes on
            student.locator("form.self-grade [type=submit]").first.click()
            student.wait_for_load_state()
            if student.url.endswith("/results"):
                break
            continue
        following = student.locator("p.next a")
        if not following.count() or following.get_attribute("href").endswith("/results"):
            break
        following.click()
    for width in (768, 375):
        student.set_viewport_size({"width": width, "height": 900})
        student.goto(results)
        student.evaluate(DOUBLE_TEXT)
        # The five columns ran 140px past a tablet's screen: each question is a card there too.
        assert student.evaluate(SIDEWAYS) == 0
        assert student.locator(".results thead").bounding_box()["width"] <= 1
        screenshot(student, f"results-200-percent-{width}")
