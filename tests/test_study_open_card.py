"""A study card that changes while the student has it open: revised by a bank reload, taken out of study, or put
back in the queue by a quiz. Nothing the student did is graded against what they did not see, or lost."""

from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.extensions import db
from quizapp.models import Bank, Card, Question, ReviewLog, User
from quizapp.models.types import utcnow
from quizapp.srs.missed import enqueue_missed
from quizapp.srs.queue import record_review
from quizapp.srs.scheduling import AGAIN, GOOD
from tests.conftest import FIXTURE_BANKS, csrf_from
from tests.test_quiz_flow import start
from tests.test_study_pages import answer, front_of, hidden, rate, retire_all_but

CARD_GONE = "That card is no longer in study."
REVISED = "This card was revised while you had it open; here it is as it stands now."
BANK_CLOSED = "That bank is not open for study now"

SEATS = '''    choices:
      - "98"
      - text: "107"
        feedback: 107 was its size **before** the referendum.
      - "77"
    answer: "98"
'''
# The right choice reworded and moved to the end, as an edited bank file might have it.
SEATS_EDITED = '''    choices:
      - text: "107"
        feedback: 107 was its size **before** the referendum.
      - "77"
      - "98 deputies"
    answer: "98 deputies"
'''

FLASHCARD = '''
  - id: mazhilis-card
    type: flashcard
    front: Mazhilis
    back: The lower house of Kazakhstan's parliament; 98 deputies after the referendum.
    source: {document: osw-2022, quote: "the Mazhilis (lower house)"}
    topic: Parliament
    difficulty: recall
'''


def load_edited_bank(app, tmp_path: Path, old: str, new: str) -> None:
    """`flask questions load` of the fixture bank with one passage of its questions file changed."""
    bank = shutil.copytree(FIXTURE_BANKS / "bank", tmp_path / "bank")
    questions = bank / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    assert old in text
    questions.write_text(text.replace(old, new), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["questions", "load", str(bank)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def position_of(html: str, label: str) -> str:
    """The value of the choice shown with this label."""
    return re.search(rf'value="(\d+)"> <label for="answer-\d+">{re.escape(label)}</label>', html).group(1)


def reviews() -> int:
    return db.session.scalar(select(func.count()).select_from(ReviewLog))


def test_an_answer_to_a_revised_card_is_not_graded_and_its_new_front_is_shown(app, logged_in, fixture_bank,
                                                                               tmp_path):
    question_id, front = front_of(logged_in, "single_choice")
    picked = position_of(front, "98")  # the right choice when the page was shown
    load_edited_bank(app, tmp_path, SEATS, SEATS_EDITED)

    response = answer(logged_in, question_id, front, {"answer": picked})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert REVISED in html and "Wrong" not in html and "Your answer" not in html
    assert 'id="study-front"' in html and ">98 deputies</label>" in html
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0 and reviews() == 0
    assert not re.search(r"checked[^>]*name=\"answer\"", html)  # the old position is no choice of the new front

    # The new front pins the new revision and its own choice order: its right choice is graded right.
    back = answer(logged_in, question_id, html, {"answer": position_of(html, "98 deputies")})
    assert back.status_code == 200 and ">Right<" in back.get_data(as_text=True).replace("\n", "").replace("  ", "")


def test_an_answer_without_the_revision_shown_is_not_graded(logged_in, fixture_bank):
    question_id, front = front_of(logged_in, "numeric")
    response = logged_in.post(f"/study/{question_id}/answer", data={
        "csrf_token": csrf_from(front), "reviews": "0", "shown_at": "", "bank": "", "answer": "29.4"})
    assert response.status_code == 200 and REVISED in response.get_data(as_text=True)


def test_a_card_retired_while_open_goes_on_to_the_next_with_a_message(app, logged_in, fixture_bank, tmp_path):
    question_id, front = front_of(logged_in, "flashcard")
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    load_edited_bank(app, tmp_path, FLASHCARD, "")  # the bank reloaded without the card's question
    question = db.session.get(Question, question_id)
    assert question.retired_at is not None
    bank_id = question.bank_id
    data = {"csrf_token": csrf_from(back), "reviews": hidden(back, "reviews"), "shown_at": "",
            "bank": str(bank_id), "rating": str(GOOD)}
    for url in (f"/study/{question_id}/answer", f"/study/{question_id}/rate"):
        response = logged_in.post(url, data=data | {"revision": hidden(front, "revision")})
        # The bank is still open: studying goes on in it.
        assert response.status_code == 302 and response.location.endswith(f"/study/?bank={bank_id}"), url
        page = logged_in.get(response.location).get_data(as_text=True)
        assert CARD_GONE in page and BANK_CLOSED not in page
    assert reviews() == 0


def test_a_bank_closed_while_a_card_is_open_drops_the_filter_with_a_message(logged_in, fixture_bank):
    bank = db.session.scalar(select(Bank))
    question_id, front = front_of(logged_in, "numeric")
    back = answer(logged_in, question_id, front, {"answer": "1"}).get_data(as_text=True)
    bank.practice_open = False
    db.session.commit()
    response = logged_in.post(f"/study/{question_id}/rate", data={
        "csrf_token": csrf_from(back), "reviews": hidden(back, "reviews"), "shown_at": "", "bank": str(bank.id),
        "rating": str(AGAIN)})
    assert response.status_code == 302 and response.location.endswith("/study/")
    page = logged_in.get("/study/").get_data(as_text=True)
    assert CARD_GONE in page and BANK_CLOSED in page
    assert reviews() == 0


def test_a_hidden_bank_and_one_never_there_look_alike_in_the_filter(logged_in, fixture_bank):
    bank = db.session.scalar(select(Bank))
    assert logged_in.get(f"/study/?bank={bank.id}").status_code == 200
    bank.is_published = False
    db.session.commit()
    hidden_bank, unknown = logged_in.get(f"/study/?bank={bank.id}"), logged_in.get(f"/study/?bank={bank.id + 99}")
    assert (hidden_bank.status_code, hidden_bank.location) == (unknown.status_code, unknown.location) == (
        302, "/study/")
    assert BANK_CLOSED in logged_in.get("/study/").get_data(as_text=True)


def test_posts_for_a_card_never_there_get_the_answer_of_one_gone(logged_in, fixture_bank):
    page = logged_in.get("/study/").get_data(as_text=True)
    response = logged_in.post("/study/99999/rate", data={
        "csrf_token": csrf_from(page), "reviews": "0", "shown_at": "", "bank": "", "rating": str(GOOD)})
    assert response.status_code == 302 and response.location.endswith("/study/")
    assert CARD_GONE in logged_in.get("/study/").get_data(as_text=True)


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
