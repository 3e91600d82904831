"""A class at work: closed and lapsed attempts, students taken off, the gradebook, exports and searches."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, QuizAttempt, Response, Role, User
from quizapp.models.types import utcnow
from tests.conftest import csrf_from, login
from tests.html_forms import unbroken
from tests.test_classroom_flow import create_class, fixture_bank_id, join, post_form, start

FORM = {"title": "Week 1", "selection": "all", "shuffle_choices": "y", "feedback_policy": "each",
        "late_policy": "refuse", "grading": "best"}


@pytest.fixture
def teaching(app, instructor, fixture_bank) -> tuple[FlaskClient, Classroom, int]:
    """An instructor's client, their class, and the fixture bank's id."""
    client = app.test_client()
    login(client, instructor.email)
    return client, create_class(client), fixture_bank_id(client)


def set_assignment(client: FlaskClient, classroom: Classroom, bank_id: int, **fields):
    url = f"/classes/{classroom.id}/assignments/new?bank={bank_id}"
    return post_form(client, url, url, {**FORM, "bank": str(bank_id), **fields})


def set_assignment_at(client: FlaskClient, url: str, bank_id: int, **fields):
    return post_form(client, url, url, {**FORM, "bank": str(bank_id), **fields})


def enrolled_client(app, make_user, classroom: Classroom) -> tuple[FlaskClient, User]:
    student = make_user()
    client = app.test_client()
    login(client, student.email)
    assert join(client, classroom.join_code).status_code == 302
    return client, student


def test_students_see_closed_and_unopened_assignments_without_a_start_button(app, teaching, make_user):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, title="Open one").status_code == 302
    assert set_assignment(client, classroom, bank_id, title="Later one",
                          opens_at="2999-01-01T00:00").status_code == 302
    assert set_assignment(client, classroom, bank_id, title="Past one").status_code == 302
    past = db.session.scalar(select(Assignment).where(Assignment.title == "Past one"))
    past.due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    student, _ = enrolled_client(app, make_user, classroom)
    page = student.get(f"/classes/{classroom.id}/work").get_data(as_text=True)
    assert page.index("Open one") < page.index("Later one") < page.index("Past one")
    assert page.count("/start") == 1
    assert "Not open yet" in page and "Missed: the due date passed before you started it." in page


def test_a_timed_attempt_left_open_counts_once_its_time_is_up(app, teaching, make_user):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, time_limit_minutes="5").status_code == 302
    assignment = db.session.scalar(select(Assignment))
    student_client, student = enrolled_client(app, make_user, classroom)
    start(student_client, assignment)
    attempt = db.session.scalar(select(QuizAttempt))
    book = client.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)
    assert "in progress" in book
    attempt.started_at -= timedelta(minutes=10)
    attempt.deadline_at -= timedelta(minutes=10)
    db.session.commit()
    book = client.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)
    assert "in progress" not in book and "0.0%" in book
    grades = client.get(f"/classes/{classroom.id}/grades.csv").get_data(as_text=True)
    assert ",0.0," in grades.splitlines()[1] + ","
    detail = client.get(f"/classes/{classroom.id}/attempts/{attempt.id}").get_data(as_text=True)
    assert "handed in" in detail
    db.session.refresh(attempt)
    assert attempt.finished_at == attempt.deadline_at


def test_an_unanswered_question_of_a_handed_in_attempt_goes_to_the_results(app, teaching, make_user):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, time_limit_minutes="5").status_code == 302
    student_client, _ = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment)))
    attempt = db.session.scalar(select(QuizAttempt))
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = student_client.get(f"/quiz/{attempt.id}/q/1")
    assert page.status_code == 302 and page.location.endswith(f"/quiz/{attempt.id}/results")
    again = student_client.get(f"/quiz/{attempt.id}/q/2")
    assert again.status_code == 302 and again.location.endswith(f"/quiz/{attempt.id}/results")
    posted = post_form(student_client, f"/quiz/{attempt.id}/results", f"/quiz/{attempt.id}/q/2", {"answer": "0"},
                       follow_redirects=True)
    assert "can no longer change" in posted.get_data(as_text=True)


def test_csv_downloads_name_their_charset_once(teaching):
    client, classroom, _ = teaching
    for name in ("grades", "responses"):
        response = client.get(f"/classes/{classroom.id}/{name}.csv")
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("needle", ["%", "_"])
def test_user_search_takes_wildcards_literally(app, make_user, needle):
    admin = make_user(Role.ADMIN)
    make_user(email="plain@example.org")
    odd = make_user(email=f"odd{needle}one@example.org")
    client = app.test_client()
    login(client, admin.email)
    page = unbroken(client.get("/admin/users", query_string={"q": needle}).get_data(as_text=True))
    assert odd.email in page and "plain@example.org" not in page and admin.email not in page


@pytest.mark.parametrize("page", ["/classes/", "/classes/{classroom}/work"])
def test_the_students_class_pages_save_the_hand_in_of_an_attempt_whose_time_ran_out(app, teaching, make_user, page):
    client, classroom, bank_id = teaching
    for title in ("Timed", "Later"):  # the lapsed attempt is not the last assignment the page looks at
        assert set_assignment(client, classroom, bank_id, title=title, time_limit_minutes="5").status_code == 302
    student_client, _ = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment).where(Assignment.title == "Timed")))
    attempt = db.session.scalar(select(QuizAttempt))
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert student_client.get(page.format(classroom=classroom.id)).status_code == 200
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).finished_at == attempt.deadline_at


def test_a_student_taken_off_the_roster_stops_answering_until_they_join_again(app, teaching, make_user):
    from tests.test_quiz_flow import right_answer_form

    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id).status_code == 302
    student_client, student = enrolled_client(app, make_user, classroom)
    start(student_client, db.session.scalar(select(Assignment)))
    attempt = db.session.scalar(select(QuizAttempt))
    item = next(i for i in attempt.items if i.question.type != "flashcard")
    url = f"/quiz/{attempt.id}/q/{item.position}"
    remove = f"/classes/{classroom.id}/students/{student.id}/remove"
    assert post_form(client, remove, remove, {}).status_code == 302

    refused = post_form(student_client, "/classes/", url, right_answer_form(item))  # from a tab left open
    assert refused.status_code == 302 and refused.headers["Location"] == "/classes/"
    landing = student_client.get("/classes/").get_data(as_text=True)
    assert "no longer a student of this class, so this attempt takes no more answers and cannot be handed in" in landing
    assert "join the class again to carry on" in landing
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    # Neither the question's form nor the hand-in is offered: sent, they would be refused, and a hand-in would
    # show the keys to someone no longer in the class.
    for page in (url, f"/quiz/{attempt.id}/hand-in", f"/quiz/{attempt.id}/results"):
        shown = student_client.get(page, follow_redirects=True)
        assert shown.request.path == "/classes/", page
        assert "no longer a student of this class" in shown.get_data(as_text=True)
    handed = student_client.post(f"/quiz/{attempt.id}/hand-in", data={"csrf_token": csrf_from(landing)})
    assert handed.status_code == 302 and handed.headers["Location"] == "/classes/"
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).finished_at is None

    assert join(student_client, classroom.join_code).status_code == 302
    assert post_form(student_client, url, url, right_answer_form(item)).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_an_attempt_page_names_its_student_and_score_as_the_gradebook_does(app, teaching, make_user):
    from tests.test_classroom_flow import answer_all

    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, draw_count="2").status_code == 302
    student_client, student = enrolled_client(app, make_user, classroom)
    student.display_name = "Aigerim Sadykova"
    db.session.commit()
    start(student_client, db.session.scalar(select(Assignment)))
    attempt = db.session.scalar(select(QuizAttempt))
    answer_all(student_client, attempt)
    url = f"/classes/{classroom.id}/attempts/{attempt.id}"

    page = client.get(url).get_data(as_text=True)
    assert "Aigerim Sadykova: Week 1, attempt 1" in page and student.email in page
    assert "2 / 2</strong> (100.0%), so far" in page
    assert f"/classes/{classroom.id}/students/{student.id}" in page

    # Taken off the roster, their work stays readable, and the page no longer links to a page they left.
    remove = f"/classes/{classroom.id}/students/{student.id}/remove"
    assert post_form(client, remove, remove, {}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "(no longer in this class)" in page and f"/students/{student.id}\"" not in page


def test_item_statistics_before_any_hand_in_point_to_the_gradebook(teaching):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id).status_code == 302
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == classroom.id))
    page = client.get(f"/classes/{classroom.id}/assignments/{assignment.id}/statistics").get_data(as_text=True)
    assert "No handed-in attempts yet: the statistics start with the first one." in page
    assert f'<a href="/classes/{classroom.id}/gradebook">gradebook</a> shows who has started' in page


def test_the_gradebook_tells_an_assignment_not_started_from_one_missed(teaching, app, make_user):
    client, classroom, bank_id = teaching
    assert set_assignment(client, classroom, bank_id, title="Open").status_code == 302
    assert set_assignment(client, classroom, bank_id, title="Closed", due_at="2001-01-01T10:00",
                          late_policy="refuse").status_code == 302
    enrolled_client(app, make_user, classroom)
    page = client.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)
    cells = re.findall(r"<td>(.*?)</td>", page, re.S)
    assert len(cells) == 2
    texts = {html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()[-1] for cell in cells}
    assert texts == {"missed", "started"}  # "— not started" for the open one, as a screen reader hears it
