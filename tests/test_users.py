"""Roles: made from the command line, changed there or on the admin page, never leaving no admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.auth.accounts import add_account, register_user
from quizapp.auth.roles import USERS_SHOWN
from quizapp.extensions import db
from quizapp.models import Role, User
from tests.conftest import PASSWORD, csrf_from, login
from tests.html_forms import unbroken


def user_by(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.mark.parametrize("role", ["student", "instructor", "admin"])
def test_create_with_each_role(runner, role):
    result = runner.invoke(args=["users", "create", "Teach@Example.org", "--role", role, "--name", "T. Eacher"],
                           env={"QUIZAPP_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    user = user_by("teach@example.org")
    assert user.role == role and user.display_name == "T. Eacher" and user.check_password(PASSWORD)


def test_create_prompts_for_the_password_and_checks_it(runner):
    result = runner.invoke(args=["users", "create", "p@example.org"], input="short\nshort\n")
    assert result.exit_code == 1 and "at least" in result.output and user_by("p@example.org") is None
    result = runner.invoke(args=["users", "create", "p@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and user_by("p@example.org").role == "student"


def test_create_refuses_a_taken_email_and_an_unknown_role(runner, student):
    taken = runner.invoke(args=["users", "create", student.email.upper()], env={"QUIZAPP_NEW_PASSWORD": PASSWORD})
    assert taken.exit_code == 1 and "already exists" in taken.output
    unknown = runner.invoke(args=["users", "create", "x@example.org", "--role", "dean"],
                            env={"QUIZAPP_NEW_PASSWORD": PASSWORD})
    assert unknown.exit_code == 2 and "dean" in unknown.output


@pytest.mark.parametrize(("email", "name", "password", "says"), [
    ("Ada Lovelace", None, PASSWORD, "is not an email address"),
    ("ada@", None, PASSWORD, "is not an email address"),
    ("айгерим@mail.kz", None, PASSWORD, "letters other than a to z before the @"),
    ("ada@example.org", "A" * 81, PASSWORD, "at most 80 characters"),
    ("ada@example.org", None, "p" * 129, "at most 128 characters"),
])
def test_create_refuses_what_the_sign_up_form_refuses(app, runner, email, name, password, says):
    args = ["users", "create", email] + (["--name", name] if name else [])
    result = runner.invoke(args=args, env={"QUIZAPP_NEW_PASSWORD": password})
    assert result.exit_code == 1 and says in result.output
    assert db.session.scalar(select(User)) is None


def test_a_password_set_from_the_command_line_can_be_typed_into_the_login_form(app, runner, student):
    longest = "p" * 128
    assert runner.invoke(args=["users", "set-password", student.email],
                         env={"QUIZAPP_NEW_PASSWORD": longest}).exit_code == 0
    assert login(app.test_client(), student.email, longest).status_code == 302
    too_long = runner.invoke(args=["users", "set-password", student.email], env={"QUIZAPP_NEW_PASSWORD": "p" * 129})
    assert too_long.exit_code == 1 and "at most 128 characters" in too_long.output
    assert user_by(student.email).check_password(longest)


def test_set_password_ends_the_sessions_of_the_account(app, runner, student):
    client = app.test_client()
    login(client, student.email)
    result = runner.invoke(args=["users", "set-password", student.email.upper()],
                           env={"QUIZAPP_NEW_PASSWORD": "a brand new password"})
    assert result.exit_code == 0, result.output
    assert client.get("/progress/").status_code == 302
    assert user_by(student.email).check_password("a brand new password")
    short = runner.invoke(args=["users", "set-password", student.email], env={"QUIZAPP_NEW_PASSWORD": "short"})
    assert short.exit_code == 1 and "at least" in short.output
    missing = runner.invoke(args=["users", "set-password", "nobody@example.org"],
                            env={"QUIZAPP_NEW_PASSWORD": PASSWORD})
    assert missing.exit_code == 1 and "No user" in missing.output


def test_set_role_and_the_last_admin(runner, make_user):
    admin = make_user(Role.ADMIN)
    student = make_user()
    changed = runner.invoke(args=["users", "set-role", student.email, "instructor"])
    assert changed.exit_code == 0 and f"{student.email} is now an instructor." in changed.output
    assert user_by(student.email).role == "instructor"
    missing = runner.invoke(args=["users", "set-role", "nobody@example.org", "admin"])
    assert missing.exit_code == 1 and "No user" in missing.output
    last = runner.invoke(args=["users", "set-role", admin.email, "student"])
    assert last.exit_code == 1 and "last active admin" in last.output and user_by(admin.email).role == "admin"


def test_admin_page_lists_filters_and_changes_roles(app, make_user):
    admin, student = make_user(Role.ADMIN), make_user()
    client = app.test_client()
    login(client, admin.email)
    page = unbroken(client.get("/admin/users").get_data(as_text=True))
    assert student.email in page and admin.email in page
    filtered = unbroken(client.get("/admin/users?role=admin").get_data(as_text=True))
    assert admin.email in filtered and student.email not in filtered
    searched = unbroken(client.get(f"/admin/users?q={student.email.split('@')[0]}").get_data(as_text=True))
    assert student.email in searched and admin.email not in searched

    response = client.post(f"/admin/users/{student.id}/role",
                           data={"csrf_token": csrf_from(page), f"user{student.id}-role": "instructor"})
    assert response.status_code == 302 and user_by(student.email).role == "instructor"
    client.post(f"/admin/users/{admin.id}/role",
                data={"csrf_token": csrf_from(page), f"user{admin.id}-role": "student"})
    assert user_by(admin.email).role == "admin"
    assert "last active admin" in client.get("/admin/users").get_data(as_text=True)


def test_role_changes_need_a_token(app, make_user):
    admin, student = make_user(Role.ADMIN), make_user()
    client = app.test_client()
    login(client, admin.email)
    response = client.post(f"/admin/users/{student.id}/role", data={f"user{student.id}-role": "admin"})
    assert response.status_code == 400 and user_by(student.email).role == "student"


# Though SQL lower() folds only A to Z on SQLite, as on a PostgreSQL cluster of the C locale.
def test_the_admin_page_finds_names_in_any_script_and_case(app, make_user):
    admin = make_user(Role.ADMIN)
    register_user(db.session, "aigerim@example.org", "Айгерим Сейткали", PASSWORD)
    register_user(db.session, "unal@example.org", "Ünal Şahin", PASSWORD)
    register_user(db.session, "akerke@example.org", "Ақерке Өмірзақ", PASSWORD)
    db.session.commit()
    client = app.test_client()
    login(client, admin.email)
    # Typed on a Russian keyboard, the Kazakh letters as the Russian ones they are drawn from.
    for typed in ("ақерке", "ӨМІРЗАҚ", "акерке", "омирзак"):
        page = unbroken(client.get("/admin/users", query_string={"q": typed}).get_data(as_text=True))
        assert "akerke@example.org" in page and "aigerim@example.org" not in page, typed
    for typed in ("Айгерим", "айгерим", "СЕЙТКАЛИ"):
        page = unbroken(client.get("/admin/users", query_string={"q": typed}).get_data(as_text=True))
        assert "aigerim@example.org" in page and "unal@example.org" not in page, typed
    page = unbroken(client.get("/admin/users", query_string={"q": "ünal"}).get_data(as_text=True))
    assert "unal@example.org" in page and "aigerim@example.org" not in page


def test_the_admin_page_says_when_more_accounts_match_than_it_lists(app, make_user):
    admin = make_user(Role.ADMIN)
    for number in range(USERS_SHOWN + 2):
        add_account(db.session, f"pupil{number:03}@example.org", f"Pupil {number:03}", admin.password_hash)
    db.session.commit()
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f"The first {USERS_SHOWN} of {USERS_SHOWN + 3} accounts" in page
    assert page.count("-role\" name=") == USERS_SHOWN
    found = unbroken(client.get("/admin/users", query_string={"q": "pupil2"}).get_data(as_text=True))
    assert "2 accounts" in found and "The first" not in found and "pupil201@example.org" in found


def test_an_admin_who_steps_down_lands_on_a_page_they_may_see(app, make_user):
    admin, other = make_user(Role.ADMIN), make_user(Role.ADMIN)
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/admin/users").get_data(as_text=True)
    response = client.post(f"/admin/users/{admin.id}/role", follow_redirects=True,
                           data={"csrf_token": csrf_from(page), f"user{admin.id}-role": "instructor"})
    assert response.status_code == 200 and "You are now an instructor" in response.get_data(as_text=True)
    assert user_by(admin.email).role == "instructor" and user_by(other.email).role == "admin"


def test_the_day_an_account_joined_is_the_admins_own_day(app, make_user):
    from datetime import UTC, datetime

    admin, student = make_user(Role.ADMIN), make_user()
    admin.timezone = "Pacific/Kiritimati"  # UTC+14: 20:00 UTC is already the next morning there
    student.created_at = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)
    db.session.commit()
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/admin/users", query_string={"q": student.email}).get_data(as_text=True)
    assert '<time datetime="2026-01-01T20:00:00+00:00">2026-01-02</time>' in page


def test_a_role_changed_from_a_search_comes_back_to_that_search(app, make_user):
    admin = make_user(Role.ADMIN)
    for number in range(30):
        add_account(db.session, f"pupil{number:02}@example.org", f"Pupil {number:02}", admin.password_hash)
    db.session.commit()
    pupil = user_by("pupil17@example.org")
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/admin/users", query_string={"q": "Pupil 17", "role": "student"}).get_data(as_text=True)
    assert f'action="/admin/users/{pupil.id}/role?q=Pupil+17&amp;role=student"' in page
    response = client.post(f"/admin/users/{pupil.id}/role", query_string={"q": "Pupil 17", "role": "student"},
                           data={"csrf_token": csrf_from(page), f"user{pupil.id}-role": "instructor"})
    assert response.status_code == 302 and response.location == "/admin/users?q=Pupil+17&role=student"
    assert user_by(pupil.email).role == "instructor"
    # An invalid search is not carried along.
    response = client.post(f"/admin/users/{pupil.id}/role", query_string={"role": "emperor"},
                           data={"csrf_token": csrf_from(page), f"user{pupil.id}-role": "student"})
    assert response.location == "/admin/users"


def _classes(make_user):
    """An instructor teaching one class alone and one with a colleague."""
    from quizapp.classroom.membership import create_class
    from tests.test_coteaching import co_teach

    teacher, colleague = make_user(Role.INSTRUCTOR), make_user(Role.INSTRUCTOR)
    alone = create_class(db.session, teacher, "History 101")
    shared = create_class(db.session, teacher, "Civics")
    co_teach(shared, colleague, by=teacher)
    db.session.commit()
    return teacher, alone, shared


def test_the_admin_is_told_which_classes_a_demoted_instructor_taught_alone(app, make_user):
    admin = make_user(Role.ADMIN)
    teacher, alone, shared = _classes(make_user)
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/admin/users").get_data(as_text=True)
    changed = client.post(f"/admin/users/{teacher.id}/role", follow_redirects=True,
                          data={"csrf_token": csrf_from(page), f"user{teacher.id}-role": "student"})
    text = changed.get_data(as_text=True)
    assert "Instructor user is now a student." in text
    assert "alone taught “History 101”: nobody can open that class" in text and "Civics" not in text
    # Given the rights back, the instructor has the class back.
    client.post(f"/admin/users/{teacher.id}/role",
                data={"csrf_token": csrf_from(page), f"user{teacher.id}-role": "instructor"})
    back = app.test_client()
    login(back, teacher.email)
    assert back.get(f"/classes/{alone.id}").status_code == 200


def test_making_an_instructor_an_admin_or_a_student_without_classes_warns_of_nothing(app, runner, make_user):
    teacher, _alone, _shared = _classes(make_user)
    promoted = runner.invoke(args=["users", "set-role", teacher.email, "admin"])
    assert promoted.exit_code == 0 and "alone taught" not in promoted.output
    idle = make_user(Role.INSTRUCTOR)
    demoted = runner.invoke(args=["users", "set-role", idle.email, "student"])
    assert demoted.exit_code == 0 and "alone taught" not in demoted.output


def test_the_command_line_warns_of_classes_left_without_an_instructor(runner, make_user):
    teacher, _alone, _shared = _classes(make_user)
    result = runner.invoke(args=["users", "set-role", teacher.email, "student"])
    assert result.exit_code == 0 and f"{teacher.email} is now a student." in result.output
    assert "Warning: Instructor user alone taught “History 101”" in result.output and "Civics" not in result.output


def test_the_warning_counts_many_classes_and_names_the_first_few(app, make_user):
    from quizapp.auth.roles import set_role, untaught_warning
    from quizapp.classroom.membership import create_class

    teacher = make_user(Role.INSTRUCTOR)
    for number in range(7):
        create_class(db.session, teacher, f"Group {number}")
    untaught = set_role(db.session, teacher, Role.STUDENT)
    warning = untaught_warning(teacher, untaught)
    assert "alone taught 7 classes (“Group 0”, “Group 1”, “Group 2”, “Group 3”, “Group 4” and 2 more)" in warning
    assert "nobody can open them, their rosters or their gradebooks" in warning


def test_list_shows_accounts_by_name_filtered_by_search_and_role(app, runner):
    for email, name, role in (("zed@example.org", "Zed", Role.ADMIN), ("amy@example.org", "Amy", Role.INSTRUCTOR),
                              ("bo@school.example", "Bo", Role.STUDENT)):
        register_user(db.session, email, name, PASSWORD, role)
    db.session.commit()
    listed = runner.invoke(args=["users", "list"])
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == ["amy@example.org\tinstructor\tAmy", "bo@school.example\tstudent\tBo",
                                          "zed@example.org\tadmin\tZed"]
    assert runner.invoke(args=["users", "list", "--role", "admin"]).stdout.splitlines() == [
        "zed@example.org\tadmin\tZed"]
    assert runner.invoke(args=["users", "list", "SCHOOL"]).stdout.splitlines() == ["bo@school.example\tstudent\tBo"]
    cut = runner.invoke(args=["users", "list", "--limit", "2"])
    assert len(cut.stdout.splitlines()) == 2 and "2 of 3 accounts shown" in cut.stderr
    none = runner.invoke(args=["users", "list", "nobody"])
    assert none.exit_code == 0 and none.stdout == "" and "No account matches." in none.stderr


def test_a_search_that_finds_nobody_says_so_and_links_back_to_every_account(app, make_user):
    admin = make_user(Role.ADMIN)
    client = app.test_client()
    login(client, admin.email)
    page = client.get("/admin/users?q=nobody").get_data(as_text=True)
    assert "No account matches “nobody”." in page and '<a href="/admin/users">Show every account</a>' in page
    assert "<table" not in page
    assert "No instructor account." in client.get("/admin/users?role=instructor").get_data(as_text=True)
    both = client.get(f"/admin/users?q={admin.email}&role=student").get_data(as_text=True)
    assert f"No student account matches “{admin.email}”." in both
    refused = client.get("/admin/users?q=" + "x" * 101)
    assert refused.status_code == 422 and "Show every account" not in refused.get_data(as_text=True)
    # With a student listed, "No student account." would deny that any exists.
    make_user(Role.STUDENT)
    closed = client.get("/admin/users?role=student&status=deactivated").get_data(as_text=True)
    assert "No deactivated student account." in closed
    active = client.get("/admin/users?q=zzz&role=admin&status=active").get_data(as_text=True)
    assert "No active admin account matches “zzz”." in active
