"""A timed attempt in the browser: the time left counts down, screen readers hear the marks and the end, and
the page moves on to the results once the attempt has been handed in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, QuizAttempt, Role, User
from quizapp.models.types import utcnow
from tests.browser.conftest import screenshot
from tests.browser.shared import log_in, module_browser, module_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_the_countdown_is_announced_at_its_marks_and_the_page_moves_on_at_the_end(module_server,  # noqa: F811
                                                                                   module_browser):  # noqa: F811
    teacher = module_server.add_user("timer-teacher@example.org", "Teacher", Role.INSTRUCTOR)
    student = module_server.add_user("timer-student@example.org", "Student", timezone="Asia/Almaty")
    with module_server.app.app_context():
        users = {u.email: u for u in db.session.scalars(select(User))}
        classroom = create_class(db.session, users[teacher], "Timed class")
        join_class(db.session, users[student], classroom.join_code)
        bank = db.session.scalar(select(Bank).where(Bank.slug == "referendum-2022"))
        db.session.add(Assignment(classroom_id=classroom.id, bank_id=bank.id, title="Quick test", draw_count=3,
                                  time_limit_minutes=11, created_by=users[teacher].id))
        db.session.commit()
        classroom_id = classroom.id
        db.session.remove()

    page = module_browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    page.clock.install()
    log_in(page, module_server.url, student)
    page.goto(f"{module_server.url}/classes/{classroom_id}/work")
    page.get_by_role("button", name=re.compile("Start")).click()
    page.wait_for_url(re.compile(r"/quiz/\d+/q/1$"))
    shown = page.locator("[data-time-left]")
    warning, time_up = page.locator("[data-time-warning]"), page.get_by_role("alert")
    page.clock.run_for(1000)
    assert re.fullmatch(r"10 min 5\d s", shown.inner_text())
    assert warning.inner_text() == ""  # the count is not a live region: nothing is said every second

    page.clock.run_for("01:05")
    assert warning.inner_text() == "10 minutes left."
    page.clock.run_for("05:00")
    assert warning.inner_text() == "5 minutes left." and re.fullmatch(r"4 min \d+ s", shown.inner_text())
    page.clock.run_for("04:00")
    assert warning.inner_text() == "1 minute left."
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    assert not [v for v in violations if v["impact"] in ("serious", "critical")], violations
    screenshot(page, "time-left-one-minute")
    page.clock.run_for("01:00")
    assert shown.inner_text() == "none" and "Time is up" in time_up.inner_text()

    with module_server.app.app_context():  # the server's clock has not moved: its deadline has
        db.session.execute(update(QuizAttempt).values(deadline_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        db.session.remove()
    page.clock.run_for("00:35")
    page.wait_for_url(re.compile(r"/quiz/\d+/results$"))
    assert "Time is up: your attempt was handed in" in page.locator("main").inner_text()
    screenshot(page, "time-left-handed-in")
