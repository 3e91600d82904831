"""A class's own settings: inviting instructors, leaving or taking one off, renaming the class and deleting it."""

from __future__ import annotations

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, QuizAttempt, Role
from tests.conftest import login
from tests.test_classroom_edges import enrolled_client, set_assignment, teaching  # noqa: F401 - fixture
from tests.test_classroom_flow import join, post_form, start
from tests.test_coteaching import accept_invitations


def test_an_instructor_typing_their_own_class_code_is_sent_to_the_class(teaching):  # noqa: F811
    client, classroom, _ = teaching
    response = join(client, classroom.join_code)
    assert response.status_code == 302 and response.location.endswith(f"/classes/{classroom.id}")
    assert f"You already teach “{classroom.name}”" in client.get(response.location).get_data(as_text=True)


def test_inviting_an_instructor_who_already_teaches_or_is_invited_says_so(app, teaching, instructor, make_user):  # noqa: F811
    client, classroom, _ = teaching
    page = f"/classes/{classroom.id}"
    action = f"/classes/{classroom.id}/instructors"
    itself = post_form(client, page, action, {"email": instructor.email})
    assert itself.status_code == 422 and "You already teach this class." in itself.get_data(as_text=True)
    colleague = make_user(Role.INSTRUCTOR)
    assert post_form(client, page, action, {"email": colleague.email}).status_code == 302
    again = post_form(client, page, action, {"email": colleague.email})
    assert again.status_code == 422 and f"{colleague.display_name} is invited already" in again.get_data(as_text=True)
    other = app.test_client()
    login(other, colleague.email)
    accept_invitations(other, colleague)
    again = post_form(client, page, action, {"email": colleague.email})
    assert again.status_code == 422 and f"{colleague.display_name} already teaches" in again.get_data(as_text=True)


def test_renaming_a_class(teaching):  # noqa: F811
    client, classroom, _ = teaching
    page, action = f"/classes/{classroom.id}", f"/classes/{classroom.id}/name"
    assert f'value="{classroom.name}"' in client.get(page).get_data(as_text=True)
    blank = post_form(client, page, action, {"name": "   "})
    assert blank.status_code == 422 and "Give the class a name." in blank.get_data(as_text=True)
    assert post_form(client, page, action, {"name": "  History 10B "}).status_code == 302
    db.session.refresh(classroom)
    assert classroom.name == "History 10B"


def test_instructors_leave_or_are_taken_off_but_one_always_stays(app, teaching, instructor, make_user):  # noqa: F811
    client, classroom, _ = teaching
    page = f"/classes/{classroom.id}"
    alone = post_form(client, page, f"{page}/instructors/{instructor.id}/remove", {}, follow_redirects=True)
    assert "at least one instructor" in alone.get_data(as_text=True)
    colleague = make_user(Role.INSTRUCTOR)
    assert post_form(client, page, f"{page}/instructors", {"email": colleague.email}).status_code == 302
    other = app.test_client()
    login(other, colleague.email)
    accept_invitations(other, colleague)
    assert "Leave this class" in client.get(page).get_data(as_text=True)
    # Both leaving and taking a colleague off ask first, saying what it means; asking changes nothing.
    asked = other.get(f"{page}/instructors/{instructor.id}/remove").get_data(as_text=True)
    assert f"Stop {instructor.display_name} teaching" in asked and "invite them again by their email" in asked
    leave = other.get(f"{page}/instructors/{colleague.id}/remove").get_data(as_text=True)
    assert "Leave “" in leave and "one of them can invite you again" in leave
    assert client.get(page).status_code == 200
    taken_off = post_form(other, page, f"{page}/instructors/{instructor.id}/remove", {})
    assert taken_off.status_code == 302 and client.get(page).status_code == 404
    left = post_form(other, page, f"{page}/instructors/{colleague.id}/remove", {}, follow_redirects=True)
    assert "at least one instructor" in left.get_data(as_text=True) and other.get(page).status_code == 200
    stranger = make_user()
    assert post_form(other, page, f"{page}/instructors/{stranger.id}/remove", {}).status_code == 404


def test_an_instructor_made_a_student_does_not_count_as_the_one_who_stays(app, teaching, instructor, make_user):  # noqa: F811
    client, classroom, _ = teaching
    page = f"/classes/{classroom.id}"
    colleague = make_user(Role.INSTRUCTOR)
    assert post_form(client, page, f"{page}/instructors", {"email": colleague.email}).status_code == 302
    other = app.test_client()
    login(other, colleague.email)
    accept_invitations(other, colleague)
    colleague.role = Role.STUDENT.value  # an admin took their instructor rights away
    db.session.commit()
    refused = post_form(client, page, f"{page}/instructors/{instructor.id}/remove", {}, follow_redirects=True)
    assert "at least one instructor" in refused.get_data(as_text=True) and client.get(page).status_code == 200
    assert post_form(client, page, f"{page}/instructors/{colleague.id}/remove", {}).status_code == 302


def test_deleting_a_class_asks_first_and_takes_its_assignments_and_attempts(app, teaching, instructor, make_user):  # noqa: F811
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id).status_code == 302
    student_client, student = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment)))
    practice = post_form(student_client, "/", f"/quiz/start/{bank_id}", {f"bank{bank_id}-length": "2"})
    assert practice.status_code == 302
    url = f"/classes/{classroom.id}/delete"
    page = " ".join(client.get(url).get_data(as_text=True).split())
    assert "1 student and 1 assignment, with 1 attempt at them" in page
    response = post_form(client, url, url, {})
    assert response.status_code == 302 and response.location.endswith("/classes/")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == 0
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0
    remaining = db.session.scalars(select(QuizAttempt)).all()
    assert [(a.user_id, a.assignment_id) for a in remaining] == [(student.id, None)]  # the practice quiz stays
    assert student_client.get(f"/classes/{classroom.id}/work").status_code == 404
