"""What the instructor's pages say agrees from page to page: who counts, the scores, and how to read them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.membership import remove_student
from quizapp.extensions import db
from quizapp.models import Assignment, QuizAttempt, User
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from quizapp.quiz.service import submit_answer
from tests.conftest import login
from tests.test_classroom_rules import course, enrolled, given_for  # noqa: F401 - fixture


@pytest.fixture
def teacher(app, instructor) -> FlaskClient:
    """The instructor of `course`, logged in."""
    client = app.test_client()
    assert login(client, instructor.email).status_code == 302
    return client


def hand_in(assignment: Assignment, student: User, right: list[bool]) -> QuizAttempt:
    """A handed-in attempt with the answers right or wrong in turn; questions past the list stay unanswered."""
    now = utcnow()
    attempt = start_attempt(db.session, assignment, student, now)
    for item, correct in zip(attempt.items, right, strict=False):
        submit_answer(db.session, item, given_for(item, correct))
    submit_attempt(attempt, now)
    db.session.commit()
    return attempt


def test_an_assignment_counts_the_students_the_gradebook_lists(teacher, course, make_user: Callable):  # noqa: F811
    students = [enrolled(make_user, course) for _ in range(3)]
    for student, name in zip(students, ("Arman", "Dana", "Erlan"), strict=True):
        student.display_name = name
        start_attempt(db.session, course, student, utcnow())
    assert remove_student(db.session, course.classroom, students[0].id)
    db.session.commit()

    page = teacher.get(f"/classes/{course.classroom_id}/assignments/{course.id}").get_data(as_text=True)
    assert "2 students have started it." in page and "3 students" not in page
    assert "1 other student started it and has since been removed from the class" in page
    book = teacher.get(f"/classes/{course.classroom_id}/gradebook").get_data(as_text=True)
    assert students[0].display_name not in book and all(s.display_name in book for s in students[1:])
