"""Studying the questions missed in a quiz first (the results' "Study them"): the student's own due cards of those
misses, in the quiz's order, each once, then the bank's usual queue; anyone else's quiz leaves the usual order."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from quizapp.extensions import db
from quizapp.models import Question, QuizAttempt, QuizItem, User
from quizapp.models.types import utcnow
from quizapp.quiz.service import misses_to_study, submit_answer
from quizapp.srs.missed import enqueue_missed
from quizapp.srs.queue import next_card, record_review
from quizapp.srs.scheduling import AGAIN, EASY, GOOD
from tests.conftest import csrf_from
from tests.test_classroom_rules import given_for
from tests.test_missed_in_study import answer, fields_for, held_back, practice, study_link
from tests.test_study_chosen_card import front_question
from tests.test_study_pages import hidden, shown_form

MISSED = (1, 3, 4)  # of the graded items, in the quiz's order


def graded(attempt: QuizAttempt) -> list[QuizItem]:
    return [item for item in attempt.items if item.question.type != "flashcard"]


def quiz_missing(student: User, attempt: QuizAttempt | None = None) -> tuple[QuizAttempt, list[QuizItem], int]:
    """A quiz whose graded items the student misses at MISSED and gets right otherwise, queued as the answers
    go, and an older card of another question of the bank, two days overdue; the attempt, the items missed in
    order, and that older card's question."""
    attempt = attempt or practice(student)
    items = graded(attempt)
    for index, item in enumerate(items):
        submit_answer(db.session, item, given_for(item, index not in MISSED))
    older = items[0].question_id  # answered right in the quiz
    enqueue_missed(db.session, student.id, older, now=utcnow() - timedelta(days=2))
    db.session.commit()
    return attempt, [items[index] for index in MISSED], older


def served(user: User, now: datetime, attempt_id: int | None = None) -> tuple[int, bool] | None:
    """The question next_card serves, and whether it came first as a miss of the attempt; None for nothing."""
    first = None if attempt_id is None else misses_to_study(user, attempt_id, now)
    upcoming = next_card(db.session, user, now, first=first)
    return None if upcoming is None else (upcoming.question.id, upcoming.chosen)


def rated(student: User, question_id: int, rating: int, now: datetime) -> None:
    record_review(db.session, student, db.session.get(Question, question_id), rating, 0, now=now, fuzz=False)
    db.session.commit()


def test_the_misses_come_in_the_quizs_order_then_the_usual_queue(student, fixture_bank):
    attempt, missed, older = quiz_missing(student)
    now = utcnow()
    assert served(student, now) == (older, False)  # the queue's own order: most overdue first
    for item in missed:
        assert served(student, now, attempt.id) == (item.question_id, True)
        rated(student, item.question_id, EASY, now)
    assert served(student, now, attempt.id) == (older, False)


def test_each_miss_comes_once_even_when_due_again(student, fixture_bank):
    attempt, missed, older = quiz_missing(student)
    now = utcnow()
    rated(student, missed[0].question_id, AGAIN, now)
    later = now + timedelta(days=1)  # the card forgotten is due again by now, as are the others
    assert served(student, later, attempt.id) == (missed[1].question_id, True)
    for item in missed[1:]:
        rated(student, item.question_id, GOOD, now)
    assert served(student, later, attempt.id) == served(student, later) == (older, False)


def test_a_miss_no_longer_due_is_passed_over(student, fixture_bank):
    attempt, missed, _older = quiz_missing(student)
    now = utcnow()
    rated(student, missed[0].question_id, EASY, now)  # from the question's feedback, say, before the results
    assert served(student, now, attempt.id) == (missed[1].question_id, True)


@pytest.mark.parametrize("whose", ["someone else's", "no such attempt", "all right"])
def test_a_quiz_that_is_not_the_students_own_leaves_the_usual_order(student, make_user, fixture_bank, whose):
    own, _missed, older = quiz_missing(student)
    other = practice(make_user())
    for index, item in enumerate(graded(other)):
        submit_answer(db.session, item, given_for(item, index not in MISSED))
    right = practice(student)
    for item in graded(right):
        submit_answer(db.session, item, given_for(item, True))
    db.session.commit()
    attempt_id = {"someone else's": other.id, "all right": right.id,
                  "no such attempt": db.session.scalar(select(func.max(QuizAttempt.id))) + 99}[whose]
    now = utcnow()
    assert served(student, now, attempt_id) == served(student, now) == (older, False)
    assert served(student, now, own.id)[1]


def test_misses_whose_feedback_is_held_back_do_not_come_first(student, instructor, fixture_bank):
    attempt = held_back(instructor, student, "submit")
    for item in graded(attempt):
        # Cards due already, as studying the bank before left them: the order must not tell which were missed.
        enqueue_missed(db.session, student.id, item.question_id, now=utcnow() - timedelta(hours=1))
    _attempt, missed, older = quiz_missing(student, attempt)
    now = utcnow()
    assert served(student, now, attempt.id) == served(student, now) == (older, False)
    attempt.finished_at = now  # handed in: the feedback is there, and the misses with it
    db.session.commit()
    assert served(student, now, attempt.id) == (missed[0].question_id, True)


def study_card(client, student: User, url: str) -> tuple[int, str]:
    """Open a study page, answer its card and rate it Good; the question studied and where the rating leads."""
    front = client.get(url).get_data(as_text=True)
    question_id = front_question(front)
    fields = {"csrf_token": csrf_from(front), "reviews": hidden(front, "reviews"),
              "shown_at": hidden(front, "shown_at"), "bank": hidden(front, "bank"), "quiz": hidden(front, "quiz")}
    answer_form = shown_form(db.session.get(Question, question_id), student.id, int(fields["reviews"]))
    back = client.post(f"/study/{question_id}/answer",
                       data=fields | {"revision": hidden(front, "revision")} | answer_form)
    assert back.status_code == 200
    back_html = back.get_data(as_text=True)
    assert hidden(back_html, "quiz") == fields["quiz"]  # carried on to the rating
    rating = client.post(f"/study/{question_id}/rate",
                         data=MultiDict({"csrf_token": csrf_from(back_html), "reviews": hidden(back_html, "reviews"),
                                         "shown_at": hidden(back_html, "shown_at"), "bank": hidden(back_html, "bank"),
                                         "quiz": hidden(back_html, "quiz"), "rating": str(GOOD)}))
    assert rating.status_code == 302
    return question_id, rating.location


def test_study_them_goes_over_the_misses_then_the_bank(logged_in, student, fixture_bank):
    attempt = practice(student)
    items = graded(attempt)
    missed = [items[index] for index in MISSED]
    for index, item in enumerate(items):
        answer(logged_in, item, fields_for(item, index not in MISSED))
    for item in attempt.items:
        if item.question.type == "flashcard":
            page = answer(logged_in, item, [])
            logged_in.post(f"/quiz/{attempt.id}/q/{item.position}/grade",
                           data={"csrf_token": csrf_from(page), "knew": "I knew it"})
    older = items[0].question_id
    enqueue_missed(db.session, student.id, older, now=utcnow() - timedelta(days=2))
    db.session.commit()
    results = logged_in.get(f"/quiz/{attempt.id}/results").get_data(as_text=True)
    assert "3 questions you did not get fully right are now in your study queue" in results and "Study them" in results
    url = study_link(results)
    assert url == f"/study/?bank={attempt.bank_id}&quiz={attempt.id}"
    for item in missed:
        question_id, url = study_card(logged_in, student, url)
        assert question_id == item.question_id and url.endswith(f"/study/?bank={attempt.bank_id}&quiz={attempt.id}")
    # The misses gone over, the bank's own queue: its overdue card, and the quiz no longer carried.
    front = logged_in.get(url).get_data(as_text=True)
    assert "You have gone over the questions you missed in that quiz." in front
    assert 'id="card-heading" class="card-kind" aria-describedby="notices"' in front
    question_id, url = study_card(logged_in, student, url)
    assert question_id == older and url.endswith(f"/study/?bank={attempt.bank_id}")
    # Followed again later, the link says the same and serves the usual queue.
    again = logged_in.get(f"/study/?bank={attempt.bank_id}&quiz={attempt.id}").get_data(as_text=True)
    assert "You have gone over the questions you missed in that quiz." in again


def test_a_quiz_asked_for_that_is_not_the_students_gets_the_usual_page(logged_in, student, make_user, fixture_bank):
    _own, _missed, older = quiz_missing(student)
    other = practice(make_user())
    for item in graded(other):
        submit_answer(db.session, item, given_for(item, False))
    db.session.commit()
    bank = other.bank_id
    for quiz in ("", other.id, other.id + 999):
        asked = logged_in.get(f"/study/?bank={bank}&quiz={quiz}")
        html = asked.get_data(as_text=True)
        assert asked.status_code == 200 and front_question(html) == older and hidden(html, "quiz") == ""
        assert ("You have gone over the questions you missed in that quiz." in html) == bool(quiz)
    assert logged_in.get(f"/study/?bank={bank}&quiz=x1").status_code == 404
