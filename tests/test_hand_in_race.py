"""An answer and the hand-in of the same assignment attempt sent at the same moment (two tabs): they take
turns, so the answer is either saved before the hand-in, and handed in with it, or refused after it.

Run on PostgreSQL too, where an answer's insert does not wait for the hand-in's update of the attempt."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.extensions import db
from quizapp.models import QuizAttempt, QuizItem, Response
from quizapp.quiz import routes
from quizapp.quiz.deadlines import SUBMITTED
from tests.conftest import csrf_from
from tests.test_assignment_student_edges import flashes, started_attempt
from tests.test_classroom_edges import teaching  # noqa: F401
from tests.test_quiz_flow import right_answer_form

HELD = 0.5  # how long the first request holds its transaction open after its write


def committed_answers(attempt_id: int) -> int:
    """Answers of the attempt committed so far, read in a session of their own."""
    with Session(db.engine) as session:
        return session.scalar(select(func.count()).select_from(Response).join(QuizItem)
                              .where(QuizItem.attempt_id == attempt_id)) or 0


def held_open(monkeypatch, name: str) -> None:
    """The quiz routes' function of that name keeps its transaction open a while after it has written."""
    done = getattr(routes, name)

    def slowly(*args, **kwargs):
        result = done(*args, **kwargs)
        db.session.flush()
        time.sleep(HELD)
        return result

    monkeypatch.setattr(routes, name, slowly)


def second_tab(app, client):
    """Another client with the same login: a second tab of the same browser."""
    tab = app.test_client()
    tab.set_cookie("session", client.get_cookie("session").value)
    return tab


def both_tabs_open(app, teaching, make_user):  # noqa: F811
    """A student's attempt at a new assignment, its first question open in one tab and the hand-in in another:
    the client, the attempt, and each tab's address and form, ready to send."""
    student_client, attempt = started_attempt(app, teaching, make_user, feedback_policy="submit")
    url, hand_in = f"/quiz/{attempt.id}/q/1", f"/quiz/{attempt.id}/hand-in"
    answer = {"csrf_token": csrf_from(student_client.get(url).get_data(as_text=True)),
              **right_answer_form(attempt.items[0])}
    hand_in_form = {"csrf_token": csrf_from(student_client.get(hand_in).get_data(as_text=True))}
    return student_client, attempt, (url, answer), (hand_in, hand_in_form)


def test_an_answer_sent_while_the_attempt_is_handed_in_is_refused(app, teaching, make_user,  # noqa: F811
                                                                  monkeypatch):
    student_client, attempt, (url, answer), (hand_in, hand_in_form) = both_tabs_open(app, teaching, make_user)
    held_open(monkeypatch, "submit_attempt")
    tab = second_tab(app, student_client)
    handing_in = threading.Thread(target=lambda: tab.post(hand_in, data=hand_in_form))
    handing_in.start()
    time.sleep(HELD / 2)
    sent = student_client.post(url, data=answer, follow_redirects=True)
    handing_in.join(timeout=30)
    assert SUBMITTED in flashes(sent.get_data(as_text=True))
    assert committed_answers(attempt.id) == 0
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).finished_at is not None


def test_a_hand_in_sent_while_an_answer_is_saved_hands_the_answer_in(app, teaching, make_user,  # noqa: F811
                                                                      monkeypatch):
    student_client, attempt, (url, answer), (hand_in, hand_in_form) = both_tabs_open(app, teaching, make_user)
    held_open(monkeypatch, "submit_answer")
    tab = second_tab(app, student_client)
    answering = threading.Thread(target=lambda: tab.post(url, data=answer))
    answering.start()
    time.sleep(HELD / 2)
    assert student_client.post(hand_in, data=hand_in_form).status_code == 302
    # The hand-in waited for the answer: it was committed before the hand-in was.
    assert committed_answers(attempt.id) == 1
    answering.join(timeout=30)
    db.session.expire_all()
    handed_in = db.session.get(QuizAttempt, attempt.id)
    assert handed_in.finished_at is not None
    assert handed_in.items[0].response.answered_at <= handed_in.finished_at
