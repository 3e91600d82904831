"""No page runs more queries because there is more to show: every GET route, for each role, runs as many
statements after a student has taken five quizzes and a class has five students' attempts as after one."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.api.tokens import create_token
from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Classroom, Role, User
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from quizapp.quiz.service import record_self_grade, start_quiz, submit_answer
from tests.conftest import login
from tests.test_bad_requests import every_route
from tests.test_classroom_reports import counted_statements
from tests.test_classroom_rules import given_for

EMAILS = {"student": "student@example.org", "instructor": "teacher@example.org", "admin": "admin@example.org"}


def more_of_everything(ids: dict[str, int], make_user: Callable[..., User], rounds: range) -> None:
    """Each round: the student takes a practice quiz of questions drawn anew (all answered wrong), makes an API
    token, one more student joins the class and hands in an attempt at its assignment, and the class gets one
    more assignment, which the student hands in too."""
    student, bank = db.session.get(User, ids["student"]), db.session.get(Bank, ids["bank"])
    classroom, assignment = db.session.get(Classroom, ids["class"]), db.session.get(Assignment, ids["assignment"])
    for number in rounds:
        attempt = start_quiz(db.session, student, bank, None, 3, random.Random(number))
        for item in attempt.items:
            if item.question.type == "flashcard":
                submit_answer(db.session, item, None)
                record_self_grade(db.session, item, False)
            else:
                submit_answer(db.session, item, given_for(item, False))
        create_token(db.session, student, "script")
        classmate = make_user()
        join_class(db.session, classmate, classroom.join_code)
        work = start_attempt(db.session, assignment, classmate, utcnow())
        for item in work.items:
            submit_answer(db.session, item, given_for(item, False))
        submit_attempt(work, utcnow())
        more = Assignment(classroom_id=classroom.id, bank_id=bank.id, title=f"Week {number}", draw_count=2,
                          created_by=assignment.created_by)
        db.session.add(more)
        db.session.flush()
        submit_attempt(start_attempt(db.session, more, student, utcnow()), utcnow())
    db.session.commit()


def statements_per_page(app: Flask, email: str) -> dict[str, tuple[int, int]]:
    """Status and statement count of every GET route, as the account with that email sees it."""
    client = app.test_client()
    assert login(client, email).status_code == 302
    seen = {}
    for method, address in every_route(app):
        if method != "GET" or address.endswith("/logout"):
            continue
        db.session.expunge_all()
        with counted_statements() as statements:
            status = client.get(address).status_code
        seen[address] = (status, len(statements))
    return seen


@pytest.mark.parametrize("role", list(EMAILS))
def test_no_page_runs_more_queries_for_more_data(app, fixture_bank, make_user, role):
    users = {name: make_user(getattr(Role, name.upper()), email) for name, email in EMAILS.items()}
    bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    classroom = create_class(db.session, users["instructor"], "Civics")
    join_class(db.session, users["student"], classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=bank.id, title="Week 1", created_by=users["instructor"].id)
    db.session.add(assignment)
    db.session.commit()
    ids = {"student": users["student"].id, "bank": bank.id, "class": classroom.id, "assignment": assignment.id}

    more_of_everything(ids, make_user, range(1))
    before = statements_per_page(app, EMAILS[role])
    more_of_everything(ids, make_user, range(1, 6))
    after = statements_per_page(app, EMAILS[role])
    grew = {address: (before[address], after[address]) for address in before if before[address] != after[address]}
    assert not grew, grew
    assert sum(status == 200 for status, _ in before.values()) >= 10  # the routes reached real pages
