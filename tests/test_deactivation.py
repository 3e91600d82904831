"""Deactivating an account on the Users page: asked first, ends its sessions, keeps its work, undone by reactivating."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from quizapp.auth.deactivation import OwnAccount, deactivate
from quizapp.auth.roles import LastAdmin, set_role
from quizapp.classroom.gradebook import build_gradebook
from quizapp.classroom.item_analysis import item_statistics
from quizapp.classroom.membership import classes_only_they_teach, create_class, is_teacher
from quizapp.extensions import db
from quizapp.models import Question, Role, User
from tests.conftest import csrf_from, login, without_varying_values
from tests.html_forms import unbroken
from tests.test_classroom_rules import course, enrolled, hand_in  # noqa: F401 - fixture
from tests.test_coteaching import co_teach


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def admin_client(app, admin: User):
    client = app.test_client()
    assert login(client, admin.email).status_code == 302
    return client


def deactivate_on_page(client, user: User, **query):
    """Open the confirmation page of the Users page's Deactivate link and confirm."""
    page = client.get(f"/admin/users/{user.id}/deactivate", query_string=query)
    assert page.status_code == 200
    return client.post(f"/admin/users/{user.id}/deactivate", query_string=query,
                       data={"csrf_token": csrf_from(page.get_data(as_text=True))})


def test_deactivating_asks_first_then_ends_the_sessions_and_refuses_the_login(app, make_user):
    admin, student = make_user(Role.ADMIN), make_user()
    theirs = app.test_client()
    assert login(theirs, student.email).status_code == 302 and theirs.get("/progress/").status_code == 200
    client = admin_client(app, admin)

    users = client.get("/admin/users").get_data(as_text=True)
    assert f'href="/admin/users/{student.id}/deactivate">Deactivate' in users
    asked = client.get(f"/admin/users/{student.id}/deactivate").get_data(as_text=True)
    assert "Deactivate Student user?" in asked and "They can no longer log in" in asked
    assert fresh(student).is_active  # opening the question changes nothing
    refused = client.post(f"/admin/users/{student.id}/deactivate")  # no CSRF token
    assert refused.status_code == 400 and fresh(student).is_active

    done = deactivate_on_page(client, student)
    assert done.status_code == 302 and done.location == "/admin/users"
    assert fresh(student).deactivated_at is not None
    listed = client.get("/admin/users").get_data(as_text=True)
    assert "is deactivated: they cannot log in, and their work is kept." in listed
    assert "<strong>Deactivated</strong>" in listed and f"/admin/users/{student.id}/reactivate" in listed
    # The browser where the student was logged in is logged out.
    assert theirs.get("/progress/").status_code == 302

    wrong = login(app.test_client(), student.email, "not the password")
    assert wrong.status_code == 422 and "deactivated" not in wrong.get_data(as_text=True)
    right = login(app.test_client(), student.email)
    page = right.get_data(as_text=True)
    # Nothing on the form to correct: the page says so in an alert of its own, not as a wrong password.
    assert right.status_code == 403 and '<p id="closed-account">This account has been deactivated.' in page
    assert "Please correct" not in page and 'aria-invalid="true"' not in page


def test_reactivating_lets_the_old_password_in_but_not_the_old_sessions(app, make_user):
    admin, student = make_user(Role.ADMIN), make_user()
    theirs = app.test_client()
    login(theirs, student.email)
    client = admin_client(app, admin)
    deactivate_on_page(client, student)
    page = client.get("/admin/users").get_data(as_text=True)
    done = client.post(f"/admin/users/{student.id}/reactivate", data={"csrf_token": csrf_from(page)},
                       follow_redirects=True)
    assert "is active again" in done.get_data(as_text=True) and fresh(student).is_active
    assert theirs.get("/progress/").status_code == 302
    assert login(app.test_client(), student.email).status_code == 302
    assert client.post(f"/admin/users/{student.id}/reactivate").status_code == 400  # no CSRF token


def test_a_deactivation_comes_back_to_the_search_it_was_made_from(app, make_user):
    admin, student = make_user(Role.ADMIN), make_user()
    client = admin_client(app, admin)
    page = client.get("/admin/users", query_string={"q": "student", "role": "student"}).get_data(as_text=True)
    assert f'href="/admin/users/{student.id}/deactivate?q=student&amp;role=student"' in page
    done = deactivate_on_page(client, student, q="student", role="student")
    assert done.location == "/admin/users?q=student&role=student"


def test_the_users_page_lists_only_active_or_only_deactivated_accounts(app, make_user):
    admin = make_user(Role.ADMIN)
    stays, leaves = make_user(email="stays@example.org"), make_user(email="leaves@example.org")
    deactivate(db.session, leaves)
    db.session.commit()
    client = admin_client(app, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert '<label for="status">Account</label>' in page
    assert '<option value="">All accounts</option>' in page
    shown = {status: unbroken(client.get("/admin/users", query_string={"status": status}).get_data(as_text=True))
             for status in ("active", "deactivated")}
    assert stays.email in shown["active"] and admin.email in shown["active"] and leaves.email not in shown["active"]
    assert leaves.email in shown["deactivated"] and stays.email not in shown["deactivated"]
    assert "1 account<" in shown["deactivated"]
    # With the other search fields, and kept by the actions taken from the list.
    both = client.get("/admin/users", query_string={"q": "stays", "role": "student", "status": "active"})
    page = unbroken(both.get_data(as_text=True))
    assert stays.email in page and admin.email not in page
    assert '<option selected value="active">Active</option>' in page
    assert f'href="/admin/users/{stays.id}/deactivate?q=stays&amp;role=student&amp;status=active"' in page
    done = deactivate_on_page(client, stays, q="stays", status="active")
    assert done.location == "/admin/users?q=stays&status=active"
    assert client.get("/admin/users", query_string={"status": "closed"}).status_code == 422


def test_an_admin_cannot_deactivate_themselves(app, make_user):
    admin, _other = make_user(Role.ADMIN), make_user(Role.ADMIN)
    client = admin_client(app, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{admin.id}/deactivate" not in page
    asked = client.get(f"/admin/users/{admin.id}/deactivate").get_data(as_text=True)
    assert "You cannot deactivate your own account" in asked and "Deactivate the account" not in asked
    sent = client.post(f"/admin/users/{admin.id}/deactivate", data={"csrf_token": csrf_from(page)},
                       follow_redirects=True)
    assert "You cannot deactivate your own account" in sent.get_data(as_text=True) and fresh(admin).is_active


def test_the_last_active_admin_stays(app, make_user):
    admin, other = make_user(Role.ADMIN), make_user(Role.ADMIN)
    with pytest.raises(OwnAccount):
        deactivate(db.session, admin, by=admin)
    deactivate(db.session, other, by=admin)
    db.session.commit()
    with pytest.raises(LastAdmin):
        deactivate(db.session, admin)
    # A deactivated admin cannot log in to manage accounts, so the last active one cannot step down either.
    with pytest.raises(LastAdmin):
        set_role(db.session, admin, Role.INSTRUCTOR)
    set_role(db.session, other, Role.STUDENT)  # the deactivated one may lose the role
    assert admin.is_active and admin.role == "admin"


def test_the_last_active_admin_is_told_so_when_a_deactivated_admin_is_listed_too(app, runner, make_user):
    # The Users page and users list show two admins: "the last admin account" read as wrong, and did not say
    # that the other one counts again once reactivated.
    admin, other = make_user(Role.ADMIN), make_user(Role.ADMIN)
    deactivate(db.session, other)
    db.session.commit()
    client = admin_client(app, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    client.post(f"/admin/users/{admin.id}/role",
                data={"csrf_token": csrf_from(page), f"user{admin.id}-role": "student"})
    told = client.get("/admin/users").get_data(as_text=True)
    assert "That is the last active admin account; make another admin, or reactivate one, first." in told
    refused = runner.invoke(args=["users", "set-role", admin.email, "instructor"])
    assert refused.exit_code == 1 and "make another admin, or reactivate one" in refused.output
    assert fresh(admin).role == "admin"


def test_the_page_of_a_deactivated_account_reads_as_such_for_a_screen_reader(app, make_user):
    admin, student = make_user(Role.ADMIN), make_user()
    client = admin_client(app, admin)
    deactivate_on_page(client, student)
    page = without_varying_values(client.get("/admin/users").get_data(as_text=True))
    assert ('<button type="submit" class="button">Reactivate<span class="visually-hidden"> Student user</span>'
            "</button>") in page
    assert client.get(f"/admin/users/{student.id}/deactivate").status_code == 302  # nothing left to ask


def test_a_deactivated_students_work_still_counts_and_is_marked(app, course, make_user, instructor):  # noqa: F811
    seats = db.session.scalar(select(Question).where(Question.key == "seats-choice"))
    course.selection, course.question_ids = "questions", [seats.id]
    stays, leaves = enrolled(make_user, course), enrolled(make_user, course)
    hand_in(course, stays, [True])
    hand_in(course, leaves, [False])
    deactivate(db.session, leaves)
    db.session.commit()

    book = build_gradebook(db.session, course.classroom)
    assert {s.id for s in book.students} == {stays.id, leaves.id}
    assert book.cell(leaves.id, course.id).counted.percent == 0.0
    (item,) = item_statistics(db.session, course)
    assert item.attempts == 2 and item.facility == 50.0
    client = app.test_client()
    login(client, instructor.email)
    for page in (f"/classes/{course.classroom_id}", f"/classes/{course.classroom_id}/gradebook"):
        assert client.get(page).get_data(as_text=True).count("(account deactivated)") == 1, page
    work = client.get(f"/classes/{course.classroom_id}/students/{leaves.id}").get_data(as_text=True)
    assert "This account is deactivated" in work
    # The CSV exports mark it too, in a column after the others: they stay where scripts expect them.
    for export, first in (("grades.csv", ["class", "assignment", "student", "email", "attempts"]),
                          ("responses.csv", ["class", "assignment", "student", "email", "attempt"])):
        text = client.get(f"/classes/{course.classroom_id}/{export}").get_data(as_text=True).lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text)))
        column = rows[0].index("account")
        assert rows[0][:5] == first and rows[0][column + 1:] in ([], ["status"]), export
        accounts = {row[3]: row[column] for row in rows[1:]}
        assert accounts == {stays.email: "active", leaves.email: "deactivated"}, export


def test_a_deactivated_instructor_no_longer_teaches_and_the_admin_is_told(app, runner, make_user):
    admin = make_user(Role.ADMIN)
    teacher, colleague = make_user(Role.INSTRUCTOR), make_user(Role.INSTRUCTOR)
    alone = create_class(db.session, teacher, "History 101")
    shared = create_class(db.session, teacher, "Civics")
    co_teach(shared, colleague, by=teacher)
    db.session.commit()
    client = admin_client(app, admin)
    asked = client.get(f"/admin/users/{teacher.id}/deactivate").get_data(as_text=True)
    assert "Nobody else teaches History 101" in asked and "Civics" not in asked
    done = deactivate_on_page(client, teacher)
    warned = client.get(done.location).get_data(as_text=True)
    assert ("alone taught “History 101”: nobody can open that class, its roster or its gradebook unless the "
            "account is reactivated") in warned
    assert not is_teacher(fresh(teacher))
    # Civics is now the colleague's alone: they are told so if they are deactivated or lose the role next.
    assert [c.id for c in classes_only_they_teach(db.session, fresh(colleague))] == [shared.id]
    assert alone.id not in [c.id for c in classes_only_they_teach(db.session, fresh(colleague))]


def test_only_admins_deactivate(app, make_user, teacher):
    student = make_user()
    assert teacher.get(f"/admin/users/{student.id}/deactivate").status_code == 403
    assert db.session.scalar(select(User.deactivated_at).where(User.id == student.id)) is None
