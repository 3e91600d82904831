"""The JSON API on class work: feedback held back, the gradebook, students taken off, practice never handed in."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.api.tokens import create_token
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, QuizAttempt, Response, Role
from tests.conftest import login, without_varying_values
from tests.test_api import (
    API,
    answer,
    bank_id,  # noqa: F401 - fixture
    bearer,
    json_answer,
    start,
    started_assignment,
    token,  # noqa: F401 - fixture
)


def test_deferred_feedback_stays_hidden_until_hand_in(client, student, token, instructor, bank_id):  # noqa: F811
    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=bank_id, title="Quiz", feedback_policy="submit",
                            selection="topics", topics=["Economy and trade"])
    db.session.add(assignment)
    db.session.commit()
    from quizapp.classroom.assignments import start_attempt
    from quizapp.models.types import utcnow

    attempt = start_attempt(db.session, assignment, student, utcnow())
    db.session.commit()
    item = attempt.items[0]
    saved = answer(client, token, attempt.id, 1, json_answer(item, True))
    assert saved.status_code == 202 and "feedback" not in saved.get_json()
    shown = client.get(f"{API}/quizzes/{attempt.id}", headers=bearer(token)).get_json()
    assert "29.4" not in without_varying_values(json.dumps(shown))
    handed = client.post(f"{API}/quizzes/{attempt.id}/hand-in", headers=bearer(token)).get_json()
    assert handed["items"][0]["feedback"]["correct"] is True
    late = answer(client, token, attempt.id, 1, "1")
    assert late.status_code == 200 and late.get_json()["feedback"]["correct"] is True  # unchanged


def test_gradebook_for_the_classes_own_instructors_only(client, instructor, student, make_user, bank_id):  # noqa: F811
    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    db.session.add(Assignment(classroom=classroom, bank_id=bank_id, title="Week 1"))
    db.session.commit()
    _t, teacher = create_token(db.session, instructor, "t")
    _t, rival = create_token(db.session, make_user(Role.INSTRUCTOR), "r")
    _t, pupil = create_token(db.session, student, "s")
    db.session.commit()
    url = f"{API}/classes/{classroom.id}/gradebook"
    book = client.get(url, headers=bearer(teacher)).get_json()
    assert book["assignments"][0]["title"] == "Week 1"
    assert book["students"][0]["email"] == student.email and book["students"][0]["grades"][0]["attempts"] == 0
    assert client.get(url, headers=bearer(rival)).status_code == 404
    assert client.get(url, headers=bearer(pupil)).status_code == 404
    instructor.role = Role.STUDENT.value  # an admin takes the instructor's rights away
    db.session.commit()
    assert client.get(url, headers=bearer(teacher)).status_code == 404


@pytest.mark.parametrize(("due_in", "said"), [(timedelta(days=1), "after the due date"),
                                               (-timedelta(days=1), "once you hand in")])
def test_the_saved_message_says_when_feedback_comes(client, student, token, instructor, bank_id, due_in, said):  # noqa: F811
    attempt = started_assignment(student, instructor, bank_id, "due", due_in)
    saved = answer(client, token, attempt.id, 1, json_answer(attempt.items[0], True))
    assert saved.status_code == 202 and saved.get_json()["message"] == f"Saved. Feedback comes {said}."


def test_an_assignment_answer_from_a_student_taken_off_the_roster_is_refused(client, student, token, instructor,  # noqa: F811
                                                                             bank_id):  # noqa: F811
    from quizapp.classroom.assignments import start_attempt
    from quizapp.classroom.membership import remove_student
    from quizapp.models.types import utcnow

    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=bank_id, title="Quiz", feedback_policy="each",
                            late_policy="mark", selection="topics", topics=["Economy and trade"])
    db.session.add(assignment)
    db.session.commit()
    attempt = start_attempt(db.session, assignment, student, utcnow())
    remove_student(db.session, classroom, student.id)
    db.session.commit()
    refused = answer(client, token, attempt.id, 1, json_answer(attempt.items[0], True))
    assert refused.status_code == 409 and "no longer a student of this class" in refused.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    # Nor is it handed in, which would show its keys to someone no longer in the class.
    handed = client.post(f"/api/v1/quizzes/{attempt.id}/hand-in", headers=bearer(token))
    assert handed.status_code == 409 and "no longer a student of this class" in handed.get_json()["error"]["message"]
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).finished_at is None


def test_a_practice_quiz_is_not_handed_in_and_the_refusal_says_why(client, token, bank_id):  # noqa: F811
    quiz = start(client, bank_id, bearer(token)).get_json()
    refused = client.post(f"{API}/quizzes/{quiz['id']}/hand-in", headers=bearer(token))
    message = refused.get_json()["error"]["message"]
    # 404, as on the web: a practice quiz has no hand-in in any state, so there is no conflict to resolve (409).
    assert refused.status_code == 404 and "practice quiz is never handed in" in message
    assert "every question is answered" in message
    assert client.get(f"{API}/quizzes/{quiz['id']}", headers=bearer(token)).status_code == 200
    document = client.get(f"{API}/openapi.json").get_json()
    described = document["paths"]["/quizzes/{attempt_id}/hand-in"]["post"]["responses"]["404"]["description"]
    assert "practice quiz" in described


def test_a_practice_quiz_has_no_hand_in_page_either(client, student, token, bank_id):  # noqa: F811
    quiz = start(client, bank_id, bearer(token)).get_json()
    login(client, student.email)
    page = client.get(f"/quiz/{quiz['id']}/hand-in")
    assert page.status_code == 404 and "practice quiz is never handed in" in page.get_data(as_text=True)
