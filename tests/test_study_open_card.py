"""A study card that changes while the student has it open: put back in the queue by a quiz.
Nothing the student did is lost."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.extensions import db
from quizapp.models import Card, Question, ReviewLog, User
from quizapp.models.types import utcnow
from quizapp.srs.queue import enqueue_missed, record_review
from quizapp.srs.scheduling import AGAIN, GOOD
from tests.conftest import csrf_from
from tests.test_quiz_flow import start
from tests.test_study_pages import answer, front_of, rate, retire_all_but


def reviews() -> int:
    return db.session.scalar(select(func.count()).select_from(ReviewLog))


def test_a_quiz_missing_the_open_card_does_not_refuse_its_first_rating(logged_in, fixture_bank):
    question_id, front = front_of(logged_in, "numeric")
    back = answer(logged_in, question_id, front, {"answer": "1"}).get_data(as_text=True)
    # In another tab, a quiz gets the same question wrong: it goes into the review queue.
    retire_all_but("numeric")
    start(logged_in, length=1)
    quiz_page = logged_in.get("/quiz/1/q/1").get_data(as_text=True)
    logged_in.post("/quiz/1/q/1", data={"csrf_token": csrf_from(quiz_page), "answer": "1"})
    assert db.session.scalar(select(Card.origin).where(Card.question_id == question_id)) == "missed"

    response = rate(logged_in, question_id, back, AGAIN)
    assert response.status_code == 302
    assert "already been rated" not in logged_in.get("/study/").get_data(as_text=True)
    assert db.session.scalar(select(ReviewLog.rating).where(ReviewLog.question_id == question_id)) == AGAIN
    # A second submission of that rating is still refused.
    rate(logged_in, question_id, back, GOOD)
    assert reviews() == 1 and "already been rated" in logged_in.get("/study/").get_data(as_text=True)


def test_a_card_put_back_in_the_queue_after_its_reviews_is_still_rated(student, fixture_bank):
    question = db.session.scalar(select(Question).order_by(Question.id))
    now = utcnow()
    assert record_review(db.session, student, question, GOOD, 0, now=now, fuzz=False) is not None
    db.session.commit()
    enqueue_missed(db.session, student.id, question.id, now=now)  # due earlier: the card changes
    db.session.commit()
    assert record_review(db.session, student, question, AGAIN, 1, now=now, fuzz=False) is not None
    db.session.commit()
    assert reviews() == 2


def test_two_ratings_of_a_missed_card_at_once_record_one(student, fixture_bank):
    question = db.session.scalar(select(Question).order_by(Question.id))
    enqueue_missed(db.session, student.id, question.id)
    db.session.commit()
    user_id, question_id, engine, results = student.id, question.id, db.engine, {}

    def rating(name: str, hold: float) -> None:
        with Session(engine) as session:
            user, card = session.get(User, user_id), session.get(Question, question_id)
            rated = record_review(session, user, card, GOOD, 0, fuzz=False)
            time.sleep(hold)
            session.commit()
            results[name] = "rated" if rated is not None else "refused"

    # The first holds its rating uncommitted a moment; the second, sent meanwhile, must wait and see it.
    holder = threading.Thread(target=rating, args=("first", 0.5))
    holder.start()
    time.sleep(0.2)
    rating("second", 0)
    holder.join(timeout=30)
    assert results == {"first": "rated", "second": "refused"}
    db.session.remove()
    assert reviews() == 1
