"""Cross access: an instructor reaches only the classes they teach, a student only their own work."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.authoring.uploads import load_upload
from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Question, Role
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from tests.conftest import QUESTIONS, csrf_from, login
from tests.test_uploads import GOOD_BANK


@dataclass
class World:
    """Two classes, each with its own instructor, student, assignment and handed-in attempt."""

    ids: dict[str, int]
    clients: dict[str, FlaskClient]


@pytest.fixture
def world(app, make_user, fixture_bank) -> World:
    bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    ids: dict[str, int] = {}
    clients: dict[str, FlaskClient] = {}
    for side in ("a", "b"):
        teacher, student = make_user(Role.INSTRUCTOR), make_user()
        classroom = create_class(db.session, teacher, f"Class {side}")
        join_class(db.session, student, classroom.join_code)
        assignment = Assignment(classroom=classroom, bank_id=bank.id, title=f"Work {side}", draw_count=2)
        db.session.add(assignment)
        db.session.flush()
        attempt = start_attempt(db.session, assignment, student, utcnow())
        submit_attempt(attempt, utcnow())
        db.session.commit()
        ids |= {f"class_{side}": classroom.id, f"assignment_{side}": assignment.id, f"attempt_{side}": attempt.id,
                f"student_{side}": student.id, f"question_{side}": attempt.items[0].question_id,
                f"teacher_{side}": teacher.id}
        for role, user in (("teacher", teacher), ("student", student)):
            client = app.test_client()
            login(client, user.email)
            clients[f"{role}_{side}"] = client
    return World(ids, clients)


# Class A's pages and actions, as (method, url template); every one of them belongs to class A's teachers.
TEACHER_PAGES = [
    ("GET", "/classes/{class_a}"),
    ("GET", "/classes/{class_a}/gradebook"),
    ("GET", "/classes/{class_a}/grades.csv"),
    ("GET", "/classes/{class_a}/responses.csv"),
    ("GET", "/classes/{class_a}/students/{student_a}"),
    ("GET", "/classes/{class_a}/attempts/{attempt_a}"),
    ("GET", "/classes/{class_a}/assignments/new"),
    ("GET", "/classes/{class_a}/assignments/{assignment_a}"),
    ("GET", "/classes/{class_a}/assignments/{assignment_a}/statistics"),
    ("GET", "/classes/{class_a}/assignments/{assignment_a}/statistics.csv"),
    ("GET", "/classes/{class_a}/assignments/{assignment_a}/questions/{question_a}"),
    ("POST", "/classes/{class_a}/code"),
    ("POST", "/classes/{class_a}/joining"),
    ("GET", "/classes/{class_a}/students/{student_a}/remove"),
    ("POST", "/classes/{class_a}/students/{student_a}/remove"),
    ("GET", "/classes/{class_a}/instructors/{teacher_a}/remove"),
    ("POST", "/classes/{class_a}/instructors"),
]


def request(world: World, who: str, method: str, template: str):
    client = world.clients[who]
    url = template.format(**world.ids)
    if method == "GET":
        return client.get(url)
    token = csrf_from(client.get("/classes/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "email": "x@example.org"})


@pytest.mark.parametrize(("method", "template"), TEACHER_PAGES)
def test_only_the_classes_own_teacher_gets_in(world, method, template):
    assert request(world, "teacher_b", method, template).status_code == 404
    assert request(world, "student_a", method, template).status_code in (403, 404)
    assert request(world, "student_b", method, template).status_code in (403, 404)
    assert request(world, "teacher_a", method, template).status_code in (200, 302, 422)


@pytest.mark.parametrize("template", [
    "/classes/{class_a}/students/{student_b}",
    "/classes/{class_a}/students/{student_b}/remove",
    "/classes/{class_a}/instructors/{teacher_b}/remove",
    "/classes/{class_a}/instructors/{student_a}/remove",
    "/classes/{class_a}/attempts/{attempt_b}",
    "/classes/{class_b}/attempts/{attempt_a}",
    "/classes/{class_a}/assignments/{assignment_b}",
    "/classes/{class_a}/assignments/{assignment_b}/statistics",
    "/classes/{class_a}/assignments/{assignment_b}/statistics.csv",
])
def test_mixing_one_class_with_anothers_objects_is_not_found(world, template):
    assert request(world, "teacher_a", "GET", template).status_code == 404


def test_item_view_only_for_questions_of_the_assignments_bank(world, app):
    foreign = db.session.scalar(select(Question.id).order_by(Question.id.desc())) + 1000
    url = f"/classes/{world.ids['class_a']}/assignments/{world.ids['assignment_a']}/questions/{foreign}"
    assert world.clients["teacher_a"].get(url).status_code == 404


@pytest.mark.parametrize("template", [
    "/classes/{class_a}/work",
    "/quiz/{attempt_a}/q/1",
    "/quiz/{attempt_a}/results",
    "/quiz/{attempt_a}/hand-in",
])
def test_a_student_sees_only_their_own_work(world, template):
    assert request(world, "student_a", "GET", template).status_code in (200, 302)
    assert request(world, "student_b", "GET", template).status_code == 404
    assert request(world, "teacher_b", "GET", template).status_code == 404


def test_a_student_cannot_start_another_class_assignment(world):
    assert request(world, "student_b", "POST", "/classes/assignments/{assignment_a}/start").status_code == 404
    assert request(world, "student_a", "POST", "/classes/assignments/{assignment_a}/start").status_code in (302, 303)


def test_admins_manage_accounts_not_other_peoples_classes(world, make_user, app):
    admin = app.test_client()
    login(admin, make_user(Role.ADMIN).email)
    assert admin.get("/classes/{class_a}/gradebook".format(**world.ids)).status_code == 404
    assert admin.get("/admin/users").status_code == 200
    assert world.clients["teacher_a"].get("/admin/users").status_code == 403
    assert world.clients["student_a"].get("/admin/users").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for _method, template in TEACHER_PAGES[:4]:
        response = client.get(template.format(**world.ids))
        assert response.status_code == 302 and "/auth/login" in response.location


def test_item_view_shows_only_the_assignments_questions_of_another_instructors_bank(app, make_user, teacher,
                                                                                    instructor):
    """An assignment set from another instructor's public bank keeps its questions when the bank is unpublished
    and grows, but the rest of the bank stays its owner's."""
    owner = make_user(Role.INSTRUCTOR)
    load_upload(db.session, owner, "civics.yaml", GOOD_BANK.encode(), QUESTIONS)
    bank = db.session.scalar(select(Bank).where(Bank.slug == "civics-extra"))
    bank.is_published = True
    bank.is_public = True
    classroom = create_class(db.session, instructor, "Civics")
    pupil = make_user()
    join_class(db.session, pupil, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=bank.id, title="Parliament", selection="topics",
                            topics=["Parliament"])
    db.session.add(assignment)
    db.session.flush()
    start_attempt(db.session, assignment, pupil, utcnow())
    bank.is_published = False
    db.session.commit()
    private = GOOD_BANK + SECRET_QUESTION
    assert load_upload(db.session, owner, "civics.yaml", private.encode(), QUESTIONS, replace=True).ok
    db.session.commit()
    seats, secret = (db.session.scalar(select(Question.id).where(Question.key == key)) for key in ("seats", "secret"))

    base = f"/classes/{classroom.id}/assignments/{assignment.id}/questions"
    assert teacher.get(f"{base}/{seats}").status_code == 200
    response = teacher.get(f"{base}/{secret}")
    assert response.status_code == 404 and "kept for my class" not in response.get_data(as_text=True)


SECRET_QUESTION = """\
  - id: secret
    type: true_false
    prompt: Is this question kept for my class?
    answer: true
    explanation: The owner added it after unpublishing.
    source: {document: osw-2022, quote: "has been reduced from 107 to 98"}
    topic: Owner only
    difficulty: recall
"""


def test_editing_cannot_widen_an_assignment_to_the_rest_of_a_bank_no_longer_shared(app, make_user, teacher, instructor):
    """Once its owner unpublishes a bank, an assignment set from it keeps its settings open to edit, but not its
    selection: widened, it would hand the instructor (and the class) the owner's other questions and their keys."""
    owner = make_user(Role.INSTRUCTOR)
    load_upload(db.session, owner, "civics.yaml", GOOD_BANK.encode(), QUESTIONS)
    bank = db.session.scalar(select(Bank).where(Bank.slug == "civics-extra"))
    bank.is_published = bank.is_public = True
    classroom = create_class(db.session, instructor, "Civics")
    assignment = Assignment(classroom=classroom, bank_id=bank.id, title="Parliament", selection="topics",
                            topics=["Parliament"])
    db.session.add(assignment)
    bank.is_published = False
    db.session.commit()
    assert load_upload(db.session, owner, "civics.yaml", (GOOD_BANK + SECRET_QUESTION).encode(), QUESTIONS,
                       replace=True).ok
    db.session.commit()
    secret = db.session.scalar(select(Question.id).where(Question.key == "secret"))

    edit = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    page = teacher.get(edit).get_data(as_text=True)
    assert "kept for my class" not in page and "Owner only" not in page
    assert "no longer shared with you" in page
    sent = {"title": "Parliament, again", "selection": "all", "topics": "Owner only", "questions": str(secret),
            "shuffle_choices": "y", "feedback_policy": "each", "late_policy": "refuse", "grading": "best",
            "bank": str(bank.id), "csrf_token": csrf_from(page)}
    assert teacher.post(edit, data=sent).status_code == 302
    db.session.refresh(assignment)
    assert assignment.title == "Parliament, again"  # the rest of the form is saved
    assert (assignment.selection, assignment.topics, assignment.question_ids) == ("topics", ["Parliament"], [])
    assert teacher.get(f"{edit.removesuffix('/edit')}/questions/{secret}").status_code == 404
