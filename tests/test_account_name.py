"""The name others see: changed on the account page under the rules of sign-up."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import PASSWORD, csrf_from, login, register


def send_name(client, name: str):
    page = client.get("/auth/tokens").get_data(as_text=True)
    return client.post("/auth/name", data={"csrf_token": csrf_from(page), "display_name": name})


def stored_name(user: User) -> str:
    return db.session.scalar(select(User.display_name).where(User.id == user.id))


def test_the_account_page_changes_the_name_others_see(logged_in, student):
    page = logged_in.get("/auth/tokens").get_data(as_text=True)
    assert 'action="/auth/name"' in page and f'value="{student.display_name}"' in page
    response = send_name(logged_in, "  Ada Lovelace  ")
    assert response.status_code == 302 and response.location == "/auth/tokens"
    assert stored_name(student) == "Ada Lovelace"
    page = logged_in.get("/auth/tokens").get_data(as_text=True)
    assert "Your name is now “Ada Lovelace”." in page
    assert re.search(r'href="/auth/tokens"[^>]*>Ada Lovelace</a>', page)  # the header


def test_the_new_name_is_what_the_instructor_sees(app, logged_in, student, instructor):
    classroom = create_class(db.session, instructor, "History 101")
    join_class(db.session, student, classroom.join_code)
    db.session.commit()
    send_name(logged_in, "Ada Lovelace")
    teacher = app.test_client()
    login(teacher, instructor.email)
    assert "Ada Lovelace" in teacher.get(f"/classes/{classroom.id}").get_data(as_text=True)


@pytest.mark.parametrize(("typed", "says"), [
    ("", "Give the name others will see."),
    (" \u00a0\t ", "Give the name others will see."),
    ("A" * 81, "at most 80 characters"),
    ("Ada\tLovelace", "control characters"),
    ("Ada\nLovelace", "control characters"),
    ("Ada\u2028Lovelace", "control characters"),
    ("Ada\x1b[31m", "control characters"),
    ("\u200b\u2060", "at least one visible character"),
    ("\u00ad\ufeff", "at least one visible character"),
])
def test_a_name_sign_up_would_refuse_is_refused_with_the_page_kept(logged_in, student, typed, says):
    before = stored_name(student)
    response = send_name(logged_in, typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and says in page
    assert 'aria-invalid="true"' in page and "Your account" in page
    assert stored_name(student) == before


def test_a_name_of_80_characters_after_trimming_is_taken(logged_in, student):
    assert send_name(logged_in, "  " + "A" * 80 + "  ").status_code == 302
    assert stored_name(student) == "A" * 80


def test_after_a_refused_name_the_token_form_still_makes_tokens(logged_in):
    page = send_name(logged_in, "").get_data(as_text=True)
    assert 'action="/auth/tokens"' in page
    made = logged_in.post("/auth/tokens", data={"csrf_token": csrf_from(page), "name": "grade script"})
    assert made.status_code == 200 and "Your new token" in made.get_data(as_text=True)


def test_changing_the_name_needs_the_csrf_token(logged_in, student):
    before = stored_name(student)
    assert logged_in.post("/auth/name", data={"display_name": "Mallory"}).status_code == 400
    assert stored_name(student) == before


@pytest.mark.parametrize(("typed", "says"), [("Ada\tLovelace", "control characters"),
                                             ("\u200b", "at least one visible character")])
def test_sign_up_refuses_the_same_names(client, mailbox, typed, says):
    response = register(client, display_name=typed)
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    assert len(mailbox) == 0


def test_names_in_any_script_with_accents_and_joiners_are_taken(logged_in, student):
    for name in ("Айгерим Сейткали", "Ünal Şahin", "O’Brien-Smith", "अनुष्का", "José\u0301"):
        assert send_name(logged_in, name).status_code == 302, name
        assert stored_name(student) == name


def test_the_command_line_refuses_control_characters_too(runner):
    result = runner.invoke(args=["users", "create", "ada@example.org", "--name", "Ada\nLovelace"],
                           env={"QUIZAPP_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 1 and "control characters" in result.output
    assert db.session.scalar(select(User)) is None


def test_the_account_page_says_who_sees_the_name(app, student, instructor):
    for user, said in ((student, "Your instructors see this name on class rosters and in gradebooks"),
                       (instructor, "Your classes list this name among their instructors")):
        client = app.test_client()
        login(client, user.email)
        assert said in client.get("/auth/tokens").get_data(as_text=True)
