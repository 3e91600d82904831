"""An instructor runs a class from creation to CSV export; students join, answer and hand in."""

from __future__ import annotations

import csv
import io
import re

from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, QuizAttempt, QuizItem, Response, Role
from tests.conftest import csrf_from, login, without_varying_values
from tests.html_forms import unbroken
from tests.test_quiz_flow import right_answer_form
from tests.test_quiz_flow import start as start_practice


def post_form(client: FlaskClient, page_url: str, action: str, data: dict, **kwargs):
    """Open a page, take its CSRF token, and post a form from it."""
    page = client.get(page_url).get_data(as_text=True)
    return client.post(action, data={"csrf_token": csrf_from(page), **data}, **kwargs)


def create_class(client: FlaskClient, name: str = "History 101") -> Classroom:
    response = post_form(client, "/classes/", "/classes/new", {"name": name})
    assert response.status_code == 302
    return db.session.scalar(select(Classroom).where(Classroom.name == name))


def join(client: FlaskClient, code: str):
    return post_form(client, "/classes/join", "/classes/join", {"code": code})


def set_assignment(client: FlaskClient, classroom: Classroom, bank_id: int, **fields) -> Assignment:
    url = f"/classes/{classroom.id}/assignments/new?bank={bank_id}"
    data = {"title": "Week 1", "bank": str(bank_id), "selection": "all", "shuffle_choices": "y",
            "feedback_policy": "each", "late_policy": "refuse", "grading": "best", **fields}
    response = post_form(client, url, url, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Assignment).order_by(Assignment.id.desc()))


def fixture_bank_id(client: FlaskClient) -> int:
    home = client.get("/").get_data(as_text=True)
    return int(re.search(r'action="/quiz/start/(\d+)"', home).group(1))


def answer_all(client: FlaskClient, attempt: QuizAttempt, right: bool = True) -> None:
    for item in attempt.items:
        url = f"/quiz/{attempt.id}/q/{item.position}"
        fields = right_answer_form(item) if right else {"answer": "0", "blanks-0": "x", "blanks-1": "x"}
        if not right and item.question.type == "true_false":
            fields = {"answer": "false" if item.revision.data["answer"] else "true"}
        if not right and item.question.type in ("single_choice", "multiple_response"):
            wrong = next(i for i in range(len(item.revision.data["choices"])) if i not in item.revision.data["correct"])
            fields = {"answer": str(item.choice_order.index(wrong))}
        post_form(client, url, url, fields)


def start(client: FlaskClient, assignment: Assignment):
    return post_form(client, f"/classes/{assignment.classroom_id}/work",
                     f"/classes/assignments/{assignment.id}/start", {})


def test_instructor_to_csv_and_students_through_the_work(app, instructor, make_user, fixture_bank):
    teacher = app.test_client()
    login(teacher, instructor.email)
    classroom = create_class(teacher)
    detail = teacher.get(f"/classes/{classroom.id}").get_data(as_text=True)
    spoken = classroom.join_code[:3] + "-" + classroom.join_code[3:]
    assert spoken in detail
    assignment = set_assignment(teacher, classroom, fixture_bank_id(teacher), draw_count="4")

    students = [make_user(), make_user()]
    clients = []
    for number, student in enumerate(students):
        client = app.test_client()
        login(client, student.email)
        # Case and separators do not matter when a code is read aloud and typed.
        assert join(client, " " + spoken.lower().replace("-", " ") + " ").status_code == 302
        response = start(client, assignment)
        assert response.status_code == 302 and "/quiz/" in response.location
        attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == student.id))
        assert len(attempt.items) == 4
        assert all(item.question.type != "flashcard" for item in attempt.items)
        answer_all(client, attempt, right=number == 0)
        hand_in = client.get(f"/quiz/{attempt.id}/hand-in").get_data(as_text=True)
        assert "4 of 4" in hand_in
        client.post(f"/quiz/{attempt.id}/hand-in", data={"csrf_token": csrf_from(hand_in)})
        assert db.session.get(QuizAttempt, attempt.id).finished_at is not None
        clients.append(client)

    roster = unbroken(teacher.get(f"/classes/{classroom.id}").get_data(as_text=True))
    assert all(s.email in roster for s in students)
    book = teacher.get(f"/classes/{classroom.id}/gradebook").get_data(as_text=True)
    assert "100.0%" in book and "0.0%" in book

    grades = teacher.get(f"/classes/{classroom.id}/grades.csv")
    assert grades.mimetype == "text/csv" and "attachment" in grades.headers["Content-Disposition"]
    text = grades.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2 and {r["percent"] for r in rows} == {"100.0", "0.0"}
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", rows[0]["handed_in_at"])
    responses = list(csv.DictReader(io.StringIO(
        teacher.get(f"/classes/{classroom.id}/responses.csv").get_data().decode("utf-8").lstrip("\ufeff"))))
    assert len(responses) == 8 and {r["correct"] for r in responses} == {"yes", "no"}

    stats = teacher.get(f"/classes/{classroom.id}/assignments/{assignment.id}/statistics")
    assert stats.status_code == 200 and "Facility" in stats.get_data(as_text=True)

    remove = f"/classes/{classroom.id}/students/{students[1].id}/remove"
    assert f'href="{remove}"' in roster  # a link to a question first, not a button that removes at once
    asked = teacher.get(remove).get_data(as_text=True)
    assert f"Remove {students[1].display_name} from “{classroom.name}”?" in asked and "Remove from the class" in asked
    class_page = f"/classes/{classroom.id}"
    assert students[1].email in unbroken(teacher.get(class_page).get_data(as_text=True))  # asking removes no one
    removed = post_form(teacher, remove, remove, {})
    assert removed.status_code == 302
    assert students[1].email not in unbroken(teacher.get(class_page).get_data(as_text=True))
    assert clients[1].get(f"/classes/{classroom.id}/work").status_code == 404


def test_a_closed_or_regenerated_code_no_longer_admits(app, instructor, student):
    teacher = app.test_client()
    login(teacher, instructor.email)
    classroom = create_class(teacher)
    old = classroom.join_code
    post_form(teacher, f"/classes/{classroom.id}", f"/classes/{classroom.id}/code", {})
    db.session.refresh(classroom)
    assert classroom.join_code != old
    pupil = app.test_client()
    login(pupil, student.email)
    refused = join(pupil, old)
    assert refused.status_code == 422 and "No open class has that code" in refused.get_data(as_text=True)
    post_form(teacher, f"/classes/{classroom.id}", f"/classes/{classroom.id}/joining", {})
    assert join(pupil, classroom.join_code).status_code == 422
    post_form(teacher, f"/classes/{classroom.id}", f"/classes/{classroom.id}/joining", {})
    assert join(pupil, classroom.join_code).status_code == 302
    assert join(pupil, classroom.join_code).status_code == 302  # joining twice is harmless


def test_a_class_name_differing_only_in_case_is_refused_in_any_script(app, instructor):
    # "Класс 9А" is the class "класс 9а" made a moment ago, though SQL lower() folds only A to Z on SQLite.
    teacher = app.test_client()
    login(teacher, instructor.email)
    form = {"csrf_token": csrf_from(teacher.get("/classes/").get_data(as_text=True)), "name": "Класс 9А"}
    assert teacher.post("/classes/new", data=form).status_code == 302
    again = teacher.post("/classes/new", data={**form, "name": "КЛАСС 9а"})
    assert again.status_code == 422 and "You already teach a class named “Класс 9А”" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == 1


def test_the_create_form_sent_twice_makes_one_class(app, instructor, make_user):
    teacher = app.test_client()
    login(teacher, instructor.email)
    form = {"csrf_token": csrf_from(teacher.get("/classes/").get_data(as_text=True)), "name": "History 101"}
    assert teacher.post("/classes/new", data=form).status_code == 302
    # A double click, or Back and the form sent again: the class is there once, and the page says why.
    again = teacher.post("/classes/new", data={**form, "name": " history 101 "})
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and "You already teach a class named “History 101”" in html
    assert 'value=" history 101 "' in html
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == 1
    assert teacher.post("/classes/new", data={**form, "name": "History 102"}).status_code == 302
    # Another instructor's class of that name is no hindrance.
    colleague = app.test_client()
    login(colleague, make_user(Role.INSTRUCTOR).email)
    assert create_class(colleague, "History 101") is not None
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == 3


def test_a_second_instructor_teaches_the_class_too_once_they_accept(app, instructor, make_user, student):
    from quizapp.models import Role
    from tests.test_coteaching import accept_invitations

    colleague = make_user(Role.INSTRUCTOR)
    teacher = app.test_client()
    login(teacher, instructor.email)
    classroom = create_class(teacher)
    refused = post_form(teacher, f"/classes/{classroom.id}", f"/classes/{classroom.id}/instructors",
                        {"email": student.email})
    assert refused.status_code == 422 and "not belong to an instructor" in refused.get_data(as_text=True)
    post_form(teacher, f"/classes/{classroom.id}", f"/classes/{classroom.id}/instructors", {"email": colleague.email})
    other = app.test_client()
    login(other, colleague.email)
    assert other.get(f"/classes/{classroom.id}/gradebook").status_code == 404
    accept_invitations(other, colleague)
    assert other.get(f"/classes/{classroom.id}/gradebook").status_code == 200


def test_feedback_after_submit_keeps_keys_until_hand_in(app, instructor, student, fixture_bank):
    teacher = app.test_client()
    login(teacher, instructor.email)
    classroom = create_class(teacher)
    assignment = set_assignment(teacher, classroom, fixture_bank_id(teacher), feedback_policy="submit",
                                selection="topics", topics="Economy and trade")
    pupil = app.test_client()
    login(pupil, student.email)
    join(pupil, classroom.join_code)
    start(pupil, assignment)
    attempt = db.session.scalar(select(QuizAttempt))
    item = attempt.items[0]
    url = f"/quiz/{attempt.id}/q/1"
    post_form(pupil, url, url, {"answer": "12"})
    page = without_varying_values(pupil.get(url).get_data(as_text=True))
    assert 'value="12"' in page  # the saved answer comes back for changing
    assert "29.4" not in page and "largest trading partner" not in page
    assert pupil.get(f"/quiz/{attempt.id}/results").status_code == 302
    post_form(pupil, url, url, right_answer_form(item))
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(Response.is_correct))
    hand_in = pupil.get(f"/quiz/{attempt.id}/hand-in").get_data(as_text=True)
    pupil.post(f"/quiz/{attempt.id}/hand-in", data={"csrf_token": csrf_from(hand_in)})
    results = pupil.get(f"/quiz/{attempt.id}/results").get_data(as_text=True)
    assert "29.4" in results
    again = post_form(pupil, url, url, {"answer": "1"})
    assert again.status_code == 302
    assert db.session.scalar(select(Response.is_correct))  # handed in: the answer no longer changes
    assert db.session.scalar(select(func.count()).select_from(QuizItem)) == 1


def test_an_assignment_says_what_its_time_and_attempt_figures_count(app, instructor, student, fixture_bank):
    teacher = app.test_client()
    login(teacher, instructor.email)
    classroom = create_class(teacher)
    limited = set_assignment(teacher, classroom, fixture_bank_id(teacher), title="Limited", attempt_limit="2",
                             time_limit_minutes="20")
    set_assignment(teacher, classroom, fixture_bank_id(teacher), title="Open", time_limit_minutes="1")
    pupil = app.test_client()
    login(pupil, student.email)
    join(pupil, classroom.join_code)
    page = " ".join(pupil.get(f"/classes/{classroom.id}/work").get_data(as_text=True).split())
    # Not "20 minutes · 0 attempts of 2", which reads as if none were allowed.
    assert "· time limit 20 minutes · 0 of 2 attempts used" in page
    assert "· time limit 1 minute · 0 attempts made, no limit" in page
    start(pupil, limited)
    page = " ".join(pupil.get("/classes/").get_data(as_text=True).split())
    assert "· 1 of 2 attempts used" in page


def test_an_assignment_with_feedback_on_each_answer_can_be_handed_in_before_the_end(app, instructor, student,
                                                                                    fixture_bank):
    teacher = app.test_client()
    login(teacher, instructor.email)
    classroom = create_class(teacher)
    assignment = set_assignment(teacher, classroom, fixture_bank_id(teacher), feedback_policy="each")
    pupil = app.test_client()
    login(pupil, student.email)
    join(pupil, classroom.join_code)
    start(pupil, assignment)
    attempt = db.session.scalar(select(QuizAttempt))
    url = f"/quiz/{attempt.id}/q/1"
    post_form(pupil, url, url, right_answer_form(attempt.items[0]))
    # The next question offers the way out; a practice quiz, which has no hand-in, does not.
    page = pupil.get(f"/quiz/{attempt.id}/q/2").get_data(as_text=True)
    assert f'To finish without answering the rest, <a href="/quiz/{attempt.id}/hand-in">hand in</a>.' in page
    hand_in = pupil.get(f"/quiz/{attempt.id}/hand-in").get_data(as_text=True)
    assert f"You have answered <strong>1 of {len(attempt.items)}</strong> questions." in hand_in
    assert pupil.post(f"/quiz/{attempt.id}/hand-in", data={"csrf_token": csrf_from(hand_in)}).status_code == 302
    db.session.refresh(attempt)
    assert attempt.finished_at is not None
    practice = start_practice(pupil)
    assert practice.status_code == 302
    question = pupil.get(practice.location).get_data(as_text=True)
    assert "Answers can be changed" not in question and "To finish without answering" not in question
