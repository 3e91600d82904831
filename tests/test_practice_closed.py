"""A practice quiz on a bank that is no longer open for practice takes no more answers, in the browser and over
the API, and shows no key of a question left open; answers already given keep their feedback. Assignments from
such a bank keep following their own rules."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from quizapp.api.tokens import create_token
from quizapp.banks.visibility import PRACTICE_CLOSED
from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.membership import create_class, join_class
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, QuizAttempt, QuizItem, Response, User
from quizapp.models.types import utcnow
from quizapp.quiz.present import correct_answer
from quizapp.quiz.service import start_quiz, submit_answer
from tests.conftest import csrf_from, without_varying_values
from tests.test_classroom_rules import given_for
from tests.test_quiz_flow import right_answer_form

CLOSINGS = ["closed to practice", "unpublished"]


def the_bank() -> Bank:
    return db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))


def close(closing: str) -> None:
    bank = the_bank()
    if closing == "unpublished":
        bank.is_published = False
    else:
        bank.practice_open = False
    db.session.commit()


def half_done(student: User) -> QuizAttempt:
    """A practice quiz of the whole bank with its first gradable question answered, wrongly."""
    attempt = start_quiz(db.session, student, the_bank(), None, 8, random.Random(0))
    first = next(item for item in attempt.items if item.question.type != "flashcard")
    submit_answer(db.session, first, given_for(first, False))
    db.session.commit()
    return attempt


def open_items(attempt: QuizAttempt) -> list[QuizItem]:
    return [item for item in attempt.items if item.response is None]


def responses() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


@pytest.mark.parametrize("closing", CLOSINGS)
def test_the_browser_takes_no_more_answers_and_shows_no_open_key(logged_in, student, fixture_bank, closing):
    attempt = half_done(student)
    answered = next(item for item in attempt.items if item.response is not None)
    waiting = next(item for item in open_items(attempt) if item.question.type == "numeric")
    url = f"/quiz/{attempt.id}/q/{waiting.position}"
    form = {"csrf_token": csrf_from(logged_in.get(url).get_data(as_text=True)), **right_answer_form(waiting)}
    close(closing)
    before = responses()

    assert logged_in.get(url).headers["Location"] == f"/quiz/{attempt.id}/results"
    sent = logged_in.post(url, data=form)
    assert sent.status_code == 302 and sent.headers["Location"] == f"/quiz/{attempt.id}/results"
    assert responses() == before

    results = logged_in.get(f"/quiz/{attempt.id}/results")
    page = results.get_data(as_text=True)
    assert results.status_code == 200 and "no longer open for practice" in page
    assert page.count("Not shown") == len(open_items(attempt))
    shown = without_varying_values(page)  # a key such as "98" may turn up in a CSRF token by chance
    for item in open_items(attempt):
        if item.question.type not in ("true_false", "flashcard"):  # "True" and a card's back may be read elsewhere
            assert correct_answer(item.question.type, item.revision.data) not in shown
    assert correct_answer(answered.question.type, answered.revision.data)[:40] in page
    feedback = logged_in.get(f"/quiz/{attempt.id}/q/{answered.position}").get_data(as_text=True)
    assert "Correct answer" in feedback and "Read this passage in the full text" in feedback


def test_a_flashcard_waiting_for_its_grade_keeps_its_back_but_takes_no_grade(logged_in, student, fixture_bank):
    attempt = start_quiz(db.session, student, the_bank(), "Parliament", 3, random.Random(0))
    card = next(item for item in attempt.items if item.question.type == "flashcard")
    submit_answer(db.session, card, None)  # "Show answer"
    db.session.commit()
    url = f"/quiz/{attempt.id}/q/{card.position}"
    token = csrf_from(logged_in.get(url).get_data(as_text=True))
    close("closed to practice")
    page = logged_in.get(url).get_data(as_text=True)
    assert card.revision.data["back"][:30] in page and "/grade" not in page
    graded = logged_in.post(f"{url}/grade", data={"csrf_token": token, "knew": "1"})
    assert graded.headers["Location"] == f"/quiz/{attempt.id}/results"
    db.session.expire_all()
    assert db.session.scalar(select(Response.given).where(Response.item_id == card.id)) is None


@pytest.mark.parametrize("closing", CLOSINGS)
def test_the_api_refuses_answers_to_a_closed_practice_quiz(client, student, fixture_bank, closing):
    _token, secret = create_token(db.session, student, "script")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    attempt = half_done(student)
    answered = next(item for item in attempt.items if item.response is not None)
    waiting = next(item for item in open_items(attempt) if item.question.type == "numeric")
    close(closing)
    before = responses()

    refused = client.post(f"/api/v1/quizzes/{attempt.id}/items/{waiting.position}/answer", json={"answer": "29.4%"},
                          headers=headers)
    assert refused.status_code == 409 and refused.get_json()["error"]["message"] == PRACTICE_CLOSED
    assert responses() == before
    again = client.post(f"/api/v1/quizzes/{attempt.id}/items/{answered.position}/answer", json={"answer": "1"},
                        headers=headers).get_json()
    assert again["recorded"] is False and again["feedback"]["correct"] is False  # the answer given keeps its feedback
    shown = client.get(f"/api/v1/quizzes/{attempt.id}", headers=headers).get_json()
    assert [i["position"] for i in shown["items"] if "feedback" in i] == [answered.position]


def test_assignments_from_an_unpublished_bank_keep_taking_answers(logged_in, student, instructor, fixture_bank):
    classroom = create_class(db.session, instructor, "Civics")
    join_class(db.session, student, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=the_bank().id, title="Week 1", selection="topics",
                            topics=["Economy and trade"])
    db.session.add(assignment)
    db.session.commit()
    attempt = start_attempt(db.session, assignment, student, utcnow())
    db.session.commit()
    close("unpublished")
    url = f"/quiz/{attempt.id}/q/1"
    page = logged_in.get(url)
    assert page.status_code == 200
    logged_in.post(url, data={"csrf_token": csrf_from(page.get_data(as_text=True)), "answer": "29.4%"})
    assert db.session.scalar(select(Response.is_correct).where(Response.item_id == attempt.items[0].id)) is True
