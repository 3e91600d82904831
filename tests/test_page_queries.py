"""Pages run the same queries however much they show: the progress page whatever a student got wrong, a quiz's
results and an instructor's view of an attempt whatever its length."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Bank, Response, Role, User
from quizapp.progress.stats import most_missed
from quizapp.quiz.service import record_self_grade, start_quiz, submit_answer
from tests.test_classroom_reports import counted_statements
from tests.test_classroom_rules import given_for

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


def finished_quiz(student: User, length: int) -> int:
    """A practice quiz of `length` questions, every one answered; returns its id."""
    bank = db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))
    attempt = start_quiz(db.session, student, bank, None, length)
    for item in attempt.items:
        if item.question.type == "flashcard":
            submit_answer(db.session, item, None)  # "Show answer", then "I knew it"
            record_self_grade(db.session, item, True)
        else:
            submit_answer(db.session, item, given_for(item, True))
    db.session.commit()
    return attempt.id


def test_results_run_as_many_queries_for_a_long_quiz_as_for_a_short_one(logged_in, fixture_bank):
    counts = []
    for length in (2, 8):
        attempt_id = finished_quiz(the_student(), length)
        db.session.expunge_all()
        with counted_statements() as statements:
            page = logged_in.get(f"/quiz/{attempt_id}/results")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and html.count('<td class="right">') == length
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_api_reads_a_quiz_with_its_items_at_once(client, student, fixture_bank):
    from quizapp.api.tokens import create_token

    _token, secret = create_token(db.session, student, "tests")
    db.session.commit()
    # The token's first use records when it was used, which later requests skip for a while.
    assert client.get("/api/v1/banks", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    counts = []
    for length in (2, 8):
        attempt = start_quiz(db.session, the_student(), db.session.scalar(
            select(Bank).where(Bank.slug == "fixture-bank")), None, length)
        db.session.commit()
        attempt_id = attempt.id
        db.session.expunge_all()
        with counted_statements() as statements:
            response = client.get(f"/api/v1/quizzes/{attempt_id}", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200 and len(response.get_json()["items"]) == length
        counts.append(len(statements))
    assert counts[0] == counts[1]
