"""A question missed in a quiz joins the study queue, and its feedback and the results say so, with a link to study
it at once and then its bank: only once the miss has been queued, and only while study would show the question."""

from __future__ import annotations

import html
import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from bench.classroom_db import answer_fields
from quizapp.api.tokens import create_token
from quizapp.classroom.assignments import GRADED_TYPES, start_attempt
from quizapp.classroom.membership import create_class, join_class, remove_student
from quizapp.extensions import db
from quizapp.models import Assignment, Bank, Card, Question, QuizAttempt, QuizItem, User
from quizapp.models.types import utcnow
from quizapp.quiz.service import start_quiz
from tests.conftest import csrf_from
from tests.test_api import bearer, json_answer
from tests.test_classroom_reports import counted_statements
from tests.test_quiz_flow import right_answer_form

LINE = "This question is now in your study queue."


def the_bank() -> Bank:
    return db.session.scalar(select(Bank).where(Bank.slug == "fixture-bank"))


def practice(student: User, length: int = 8) -> QuizAttempt:
    attempt = start_quiz(db.session, student, the_bank(), None, length, random.Random(0))
    db.session.commit()
    return attempt


def item_of(attempt: QuizAttempt, qtype: str) -> QuizItem:
    return next(item for item in attempt.items if item.question.type == qtype)


def answer(client, item: QuizItem, fields: list[tuple[str, str]]) -> str:
    """Answer an item over HTTP as a browser does; the feedback page that follows."""
    url = f"/quiz/{item.attempt_id}/q/{item.position}"
    page = client.get(url).get_data(as_text=True)
    posted = client.post(url, data=MultiDict([("csrf_token", csrf_from(page)), *fields]))
    assert posted.status_code == 302
    return client.get(url).get_data(as_text=True)


def fields_for(item: QuizItem, right: bool) -> list[tuple[str, str]]:
    """Form fields that answer an item wholly right, or wrong."""
    if not right:
        return answer_fields(item.question.type, item.revision.data, item.choice_order, False)
    return [(name, value) for name, values in right_answer_form(item).items()
            for value in (values if isinstance(values, list) else [values])]


def feedback(client, item: QuizItem) -> str:
    return client.get(f"/quiz/{item.attempt_id}/q/{item.position}").get_data(as_text=True)


def card_of(student: User, question_id: int) -> Card | None:
    db.session.expire_all()
    return db.session.scalar(select(Card).where(Card.user_id == student.id, Card.question_id == question_id))


def study_link(page: str) -> str | None:
    found = re.search(r'href="(/study/\?bank=\d+(?:&amp;(?:card|quiz)=\d+)?)"', page)
    return html.unescape(found.group(1)) if found else None


def study_first(item: QuizItem) -> str:
    """The link to study an item's question first, then the rest of its bank."""
    return f"/study/?bank={the_bank().id}&card={item.question_id}"


def study_misses(attempt: QuizAttempt) -> str:
    """The link to study the questions missed in an attempt first, then the rest of its bank."""
    return f"/study/?bank={the_bank().id}&quiz={attempt.id}"


@pytest.mark.parametrize("qtype", GRADED_TYPES)
@pytest.mark.parametrize("right", [True, False])
def test_a_miss_says_it_is_in_the_study_queue_and_links_to_studying_it(logged_in, student, fixture_bank,
                                                                            qtype, right):
    item = item_of(practice(student), qtype)
    page = answer(logged_in, item, fields_for(item, right))
    assert ('id="verdict"' in page) and ((LINE in page) is not right)
    assert (card_of(student, item.question_id) is not None) is not right
    if not right:
        assert study_link(page) == study_first(item) and "Study this question now" in page
        assert logged_in.get(study_link(page)).status_code == 200


def test_a_partly_right_answer_is_in_the_study_queue_too(logged_in, student, fixture_bank):
    item = item_of(practice(student), "cloze")
    blanks = item.revision.data["blanks"]
    page = answer(logged_in, item, [(f"blanks-{i}", blank[0] if i == 0 else "x") for i, blank in enumerate(blanks)])
    assert "Partly right" in page and LINE in page


@pytest.mark.parametrize("grade, queued", [("knew", False), ("missed", True), (None, False)])
def test_a_flashcard_is_in_the_study_queue_once_graded_not_known(logged_in, student, fixture_bank, grade, queued):
    item = item_of(practice(student), "flashcard")
    page = answer(logged_in, item, [])
    assert "Did you know it?" in page and LINE not in page  # the back shown, no grade yet
    if grade is not None:
        url = f"/quiz/{item.attempt_id}/q/{item.position}/grade"
        button = {"knew": "I knew it", "missed": "I did not know it"}[grade]
        assert logged_in.post(url, data={"csrf_token": csrf_from(page), grade: button}).status_code == 302
        page = feedback(logged_in, item)
    assert (LINE in page) is queued and (card_of(student, item.question_id) is not None) is queued


@pytest.mark.parametrize("closing", ["closed to practice", "unpublished", "retired", "left class"])
def test_no_line_for_a_question_study_would_not_show(logged_in, student, instructor, fixture_bank, closing):
    bank = the_bank()
    if closing == "left class":
        classroom = create_class(db.session, instructor, "Civics")
        join_class(db.session, student, classroom.join_code)
        bank.owner_id, bank.is_public = instructor.id, False
        db.session.commit()
    item = item_of(practice(student), "numeric")
    assert LINE in answer(logged_in, item, [("answer", "-1")])
    if closing == "closed to practice":
        bank.practice_open = False
    elif closing == "unpublished":
        bank.is_published = False
    elif closing == "retired":
        db.session.get(Question, item.question_id).retired_at = utcnow()
    else:
        remove_student(db.session, classroom, student.id)
    db.session.commit()
    page = feedback(logged_in, item)
    assert "Wrong" in page and LINE not in page and study_link(page) is None
    results = logged_in.get(f"/quiz/{item.attempt_id}/results").get_data(as_text=True)
    assert "in your study queue" not in results


def held_back(instructor: User, student: User, policy: str, bank: Bank | None = None) -> QuizAttempt:
    """An attempt at an assignment of the whole bank whose feedback waits for the hand-in or the due date."""
    classroom = create_class(db.session, instructor, f"Civics {policy}")
    join_class(db.session, student, classroom.join_code)
    assignment = Assignment(classroom=classroom, bank_id=(bank or the_bank()).id, title="Week 1",
                            feedback_policy=policy, late_policy="mark",
                            due_at=utcnow() + timedelta(days=1) if policy == "due" else None)
    db.session.add(assignment)
    db.session.flush()
    attempt = start_attempt(db.session, assignment, student, utcnow())
    db.session.commit()
    return attempt


def hand_in(client, attempt: QuizAttempt) -> str:
    page = client.get(f"/quiz/{attempt.id}/hand-in").get_data(as_text=True)
    return client.post(f"/quiz/{attempt.id}/hand-in", data={"csrf_token": csrf_from(page)},
                       follow_redirects=True).get_data(as_text=True)


def answer_all_wrong(client, attempt: QuizAttempt) -> list[QuizItem]:
    """Answer every graded item of a held-back attempt wrongly; the items answered."""
    graded = [item for item in attempt.items if item.question.type in GRADED_TYPES]
    for item in graded:
        url = f"/quiz/{attempt.id}/q/{item.position}"
        page = client.get(url).get_data(as_text=True)
        fields = answer_fields(item.question.type, item.revision.data, item.choice_order, False)
        saved = client.post(url, data=MultiDict([("csrf_token", csrf_from(page)), *fields]), follow_redirects=True)
        assert LINE not in saved.get_data(as_text=True)  # nothing said before the feedback
    return graded


def test_held_back_feedback_says_so_once_handed_in(logged_in, student, instructor, fixture_bank):
    attempt = held_back(instructor, student, "submit")
    graded = answer_all_wrong(logged_in, attempt)
    assert LINE not in feedback(logged_in, graded[0]) and card_of(student, graded[0].question_id) is None
    results = hand_in(logged_in, attempt)
    assert f"{len(graded)} questions you did not get fully right are now in your study queue" in results
    assert study_link(results) == study_misses(attempt)
    for item in graded:
        assert LINE in feedback(logged_in, item) and card_of(student, item.question_id) is not None


def test_feedback_released_by_the_due_date_queues_the_miss_before_saying_so(logged_in, student, instructor,
                                                                             fixture_bank):
    attempt = held_back(instructor, student, "due")
    item = answer_all_wrong(logged_in, attempt)[0]
    assert "Your answers have been handed in." in hand_in(logged_in, attempt)
    assert LINE not in feedback(logged_in, item) and card_of(student, item.question_id) is None
    db.session.get(QuizAttempt, attempt.id).assignment.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    # The question's feedback, opened first (from a bookmark, say), before the results or study.
    assert LINE in feedback(logged_in, item) and card_of(student, item.question_id) is not None


def test_an_assignment_bank_closed_to_practice_queues_misses_but_study_does_not_show_them(
        logged_in, student, instructor, fixture_bank):
    bank = the_bank()
    bank.practice_open = False  # kept for assignments
    db.session.commit()
    attempt = held_back(instructor, student, "each")
    item = item_of(attempt, "numeric")
    page = answer(logged_in, item, [("answer", "-1")])
    assert "Wrong" in page and LINE not in page


@pytest.mark.parametrize("wrong", [0, 1, 3])
def test_results_count_the_questions_missed(logged_in, student, fixture_bank, wrong):
    attempt = practice(student)
    missed = 0
    for item in attempt.items:
        if item.question.type == "flashcard":
            page = answer(logged_in, item, [])
            url = f"/quiz/{attempt.id}/q/{item.position}/grade"
            logged_in.post(url, data={"csrf_token": csrf_from(page), "knew": "I knew it"})
            continue
        right = missed >= wrong
        missed += not right
        answer(logged_in, item, fields_for(item, right))
    results = logged_in.get(f"/quiz/{attempt.id}/results").get_data(as_text=True)
    assert "Results" in results
    expected = {0: None, 1: "1 question you did not get fully right is now in your study queue",
                3: "3 questions you did not get fully right are now in your study queue"}[wrong]
    if expected is None:
        assert "in your study queue" not in results and study_link(results) is None
    else:
        assert expected in results and study_link(results) == study_misses(attempt)


def test_a_wrong_answers_feedback_runs_no_more_queries_than_a_right_ones(logged_in, student, fixture_bank):
    attempt = practice(student)
    graded = [item for item in attempt.items if item.question.type != "flashcard"]
    for item, right in ((graded[0], True), (graded[1], False)):
        answer(logged_in, item, fields_for(item, right))
    urls = [f"/quiz/{attempt.id}/q/{item.position}" for item in graded[:2]]
    counts = []
    for url, right in zip(urls, (True, False), strict=True):
        db.session.expunge_all()
        with counted_statements() as statements:
            page = logged_in.get(url).get_data(as_text=True)
        assert (LINE in page) is not right
        counts.append(len(statements))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("qtype", [*GRADED_TYPES, "flashcard"])
def test_the_api_says_whether_a_miss_is_in_the_study_queue(client, student, fixture_bank, qtype):
    _token, secret = create_token(db.session, student, "tests")
    db.session.commit()
    headers = bearer(secret)
    for right in (True, False):
        item = item_of(practice(student), qtype)
        address = f"/api/v1/quizzes/{item.attempt_id}/items/{item.position}/answer"
        sent = client.post(address, json={"answer": json_answer(item, right)}, headers=headers).get_json()
        assert sent["feedback"]["queued_for_study"] is not right
        again = client.post(address, json={"answer": json_answer(item, right)}, headers=headers).get_json()
        assert again["recorded"] is False and again["feedback"]["queued_for_study"] is not right
        quiz = client.get(f"/api/v1/quizzes/{item.attempt_id}", headers=headers).get_json()
        assert quiz["items"][item.position - 1]["feedback"]["queued_for_study"] is not right


def test_the_api_says_no_for_a_bank_closed_to_practice(client, student, instructor, fixture_bank):
    _token, secret = create_token(db.session, student, "tests")
    the_bank().practice_open = False
    db.session.commit()
    item = item_of(held_back(instructor, student, "each"), "numeric")
    sent = client.post(f"/api/v1/quizzes/{item.attempt_id}/items/{item.position}/answer", json={"answer": "-1"},
                       headers=bearer(secret)).get_json()
    assert sent["feedback"]["correct"] is False and sent["feedback"]["queued_for_study"] is False


@pytest.mark.parametrize("policy", ["submit", "due"])
def test_the_api_says_so_once_held_back_feedback_comes(client, student, instructor, fixture_bank, policy):
    _token, secret = create_token(db.session, student, "tests")
    db.session.commit()
    headers = bearer(secret)
    attempt = held_back(instructor, student, policy)
    item = item_of(attempt, "numeric")
    address = f"/api/v1/quizzes/{attempt.id}/items/{item.position}/answer"
    saved = client.post(address, json={"answer": "-1"}, headers=headers)
    assert saved.status_code == 202 and "queued_for_study" not in saved.get_data(as_text=True)
    handed = client.post(f"/api/v1/quizzes/{attempt.id}/hand-in", headers=headers).get_json()
    if policy == "submit":
        assert handed["items"][item.position - 1]["feedback"]["queued_for_study"] is True
        return
    assert "feedback" not in handed["items"][item.position - 1] and card_of(student, item.question_id) is None
    db.session.get(QuizAttempt, attempt.id).assignment.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    # The answer sent again once the due date has passed: its feedback comes back, the miss queued first.
    again = client.post(address, json={"answer": "-1"}, headers=headers).get_json()
    assert again["recorded"] is False and again["feedback"]["queued_for_study"] is True
    assert card_of(student, item.question_id) is not None
