"""The progress page runs the same queries however much a student has got wrong."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Bank, Response, Role, User
from quizapp.progress.stats import most_missed
from quizapp.quiz.service import start_quiz, submit_answer
from tests.test_classroom_reports import counted_statements

WRONG = {"single_choice": 99, "multiple_response": [], "true_false": None, "numeric": "-1", "short_text": "no idea",
         "cloze": None}


def miss(student: User, questions: int) -> None:
    """A quiz in which the student gets the first `questions` gradable items wrong."""
    bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    attempt = start_quiz(db.session, student, bank, None, 8, random.Random(0))  # the same questions each time
    gradable = [item for item in attempt.items if item.question.type != "flashcard"]
    for item in gradable[:questions]:
        data, qtype = item.revision.data, item.question.type
        given = WRONG[qtype]
        if qtype == "true_false":
            given = not data["answer"]
        elif qtype == "cloze":
            given = ["nothing"] * len(data["blanks"])
        submit_answer(db.session, item, given)
    db.session.commit()


def the_student() -> User:
    return db.session.scalar(select(User).where(User.role == Role.STUDENT))


def test_the_progress_page_runs_as_many_queries_for_many_misses_as_for_one(logged_in, fixture_bank):
    miss(the_student(), 1)
    db.session.expunge_all()
    with counted_statements() as one:
        assert logged_in.get("/progress/").status_code == 200
    miss(the_student(), 6)
    db.session.expunge_all()
    with counted_statements() as many:
        page = logged_in.get("/progress/").get_data(as_text=True)
    assert len(many) == len(one)
    assert page.count("missed 2 of 2") == 1 and page.count("missed 1 of 1") == 5


def test_most_missed_names_each_question_with_its_last_item(student, fixture_bank):
    miss(student, 3)
    miss(student, 2)
    missed = most_missed(db.session, student.id)
    assert [m.misses for m in missed] == sorted((m.misses for m in missed), reverse=True)
    assert {m.misses for m in missed} == {1, 2}
    for entry in missed:
        last = db.session.scalar(select(func.max(Response.item_id)).where(
            Response.user_id == student.id, Response.question_id == entry.question.id))
        assert entry.last_item.id == last and entry.last_item.question_id == entry.question.id and entry.prompt
