"""After a redirect, a success message on a page whose own content takes no focus takes it, so that a screen
reader reads it and Tab goes on from it. A page whose content takes the focus keeps it (a question's heading:
tests/test_assignment_student_edges.py)."""

from __future__ import annotations

import re

from quizapp.extensions import db
from tests.conftest import login, open_link, register
from tests.test_account_name import send_name
from tests.test_classroom_flow import create_class, fixture_bank_id, post_form, set_assignment
from tests.test_uploads import GOOD_BANK, upload

FOCUSED = '<div class="flashes" id="notices" role="status" tabindex="-1" autofocus>'


def focused_notice(html: str) -> str | None:
    """The text of the flash messages if they take the focus, else None."""
    found = re.search(re.escape(FOCUSED) + r"\s*<p class=\"flash flash-\w+\">(.*?)</p>", html, re.S)
    return found.group(1) if found else None


def test_a_new_account_is_welcomed_on_the_home_page(client, mailbox):
    register(client, password="a long enough password", confirm="a long enough password")
    confirmed = open_link(client, mailbox.link("/auth/confirm/"), password="a long enough password")
    home = client.get(confirmed.location).get_data(as_text=True)
    assert focused_notice(home) == "Welcome! Your account is ready."


def test_a_changed_name_and_password_are_confirmed_on_the_account_page(logged_in):
    page = logged_in.get(send_name(logged_in, "Ada Lovelace").location).get_data(as_text=True)
    assert focused_notice(page) == "Your name is now “Ada Lovelace”."
    # Refused, the form says why and its field takes the focus: no message to take it from there.
    refused = send_name(logged_in, "").get_data(as_text=True)
    assert FOCUSED not in refused and "autofocus" in refused


def test_a_new_class_and_assignment_are_confirmed_on_their_pages(app, instructor, fixture_bank):
    teacher = app.test_client()
    login(teacher, instructor.email)
    response = post_form(teacher, "/classes/", "/classes/new", {"name": "History 101"})
    page = teacher.get(response.location).get_data(as_text=True)
    assert focused_notice(page) == "Class “History 101” created. Give your students its join code."
    classroom = create_class(teacher, "History 102")
    assignment = set_assignment(teacher, classroom, fixture_bank_id(teacher))
    page = teacher.get(f"/classes/{classroom.id}/assignments/{assignment.id}").get_data(as_text=True)
    assert focused_notice(page) == "Assignment “Week 1” set for History 102."
    db.session.remove()



def test_an_uploaded_bank_is_confirmed_on_its_preview(teacher):
    response = upload(teacher, "civics.yaml", GOOD_BANK.encode())
    assert response.status_code == 302
    page = teacher.get(response.location).get_data(as_text=True)
    assert "checked and loaded" in (focused_notice(page) or "")


def test_handing_in_is_confirmed_on_the_results(logged_in, student, instructor, fixture_bank):
    from tests.test_missed_in_study import answer_all_wrong, hand_in, held_back

    attempt = held_back(instructor, student, "submit")
    answer_all_wrong(logged_in, attempt)
    assert focused_notice(hand_in(logged_in, attempt)) == "Your answers have been handed in."
