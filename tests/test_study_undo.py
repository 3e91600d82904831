"""Undoing the last rating given in study: the card exactly as it was (a new one new again), only while nothing has
happened to it since, only the student's own; and through the pages, the same card shown again to be rated."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Card, Question, ReviewLog, User
from quizapp.srs.missed import enqueue_missed
from quizapp.srs.queue import new_cards_today, next_card, record_rating, record_review
from quizapp.srs.scheduling import AGAIN, EASY, GOOD, HARD, REVIEW_STATE
from quizapp.srs.undo import UndoRefused, undo_entry, undo_rating
from tests.conftest import csrf_from, login
from tests.test_study_pages import answer, front_of, rate

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CARD_FIELDS = ("id", "user_id", "question_id", "state", "step", "stability", "difficulty", "due", "last_review",
               "origin", "created_at")
LOG_FIELDS = ("id", "card_id", "user_id", "question_id", "revision_id", "rating", "state_before", "reviewed_at",
              "duration_ms", "source")


def first_question() -> Question:
    return db.session.scalar(select(Question).order_by(Question.id))


def stored(user: User, question: Question) -> tuple[tuple | None, list[tuple]]:
    """The user's card of the question, every field, and its review log rows, as the database holds them."""
    db.session.expire_all()
    card = db.session.scalar(select(Card).where(Card.user_id == user.id, Card.question_id == question.id))
    logs = db.session.scalars(select(ReviewLog).where(ReviewLog.question_id == question.id).order_by(ReviewLog.id))
    return (None if card is None else tuple(getattr(card, name) for name in CARD_FIELDS),
            [tuple(getattr(log, name) for name in LOG_FIELDS) for log in logs])


def studied(user: User, question: Question, ratings: list[int]) -> datetime:
    """Rate the card in turn, each rating when the last made it due; when the next rating may come."""
    now = T0
    for reviews, rating in enumerate(ratings):
        card = record_review(db.session, user, question, rating, reviews, now=now, fuzz=False)
        db.session.commit()
        now = max(now, card.due) + timedelta(minutes=1)
    return now


def rated(user: User, question: Question, rating: int, now: datetime) -> dict:
    """Rate the card (shown after every rating so far) and commit; the undo entry, through a JSON round trip as
    the session cookie takes it."""
    reviews = db.session.scalar(select(func.count()).select_from(ReviewLog).where(
        ReviewLog.question_id == question.id, ReviewLog.user_id == user.id))
    result = record_rating(db.session, user, question, rating, reviews, now=now, fuzz=False)
    entry = json.loads(json.dumps(undo_entry(result)))
    db.session.commit()
    return entry


@pytest.mark.parametrize(("history", "state"), [([], None), ([AGAIN], "learning"), ([GOOD, GOOD, GOOD], "review"),
                                                 ([GOOD, GOOD, GOOD, AGAIN], "relearning")])
def test_undo_puts_the_card_back_exactly_as_it_was(student, fixture_bank, history, state):
    question = first_question()
    now = studied(student, question, history)
    before = stored(student, question)
    if state is not None:
        assert before[0][CARD_FIELDS.index("state")] == {"learning": 1, "review": REVIEW_STATE, "relearning": 3}[state]
    entry = rated(student, question, EASY, now)
    assert stored(student, question) != before
    assert undo_rating(db.session, student, entry) == question.id
    db.session.commit()
    assert stored(student, question) == before


def test_a_new_card_undone_is_new_again_and_counts_no_more_against_today(student, fixture_bank):
    question = first_question()
    student.new_cards_per_day = 1
    db.session.commit()
    entry = rated(student, question, GOOD, T0)
    assert new_cards_today(db.session, student, T0) == 1 and next_card(db.session, student, T0) is None
    undo_rating(db.session, student, entry)
    db.session.commit()
    assert stored(student, question) == (None, [])
    assert new_cards_today(db.session, student, T0) == 0
    # Served again as a new card, before a card that has come due meanwhile, and within the day's limit.
    other = db.session.scalars(select(Question).order_by(Question.id)).all()[1]
    enqueue_missed(db.session, student.id, other.id, now=T0)
    db.session.commit()
    again = next_card(db.session, student, T0, new_first=question.id)
    assert again.question.id == question.id and again.card is None and again.chosen
    assert next_card(db.session, student, T0).question.id == other.id
    student.new_cards_per_day = 0
    db.session.commit()
    assert next_card(db.session, student, T0, new_first=question.id).question.id == other.id


@pytest.mark.parametrize("since", ["rated again", "undone already", "missed in a quiz"])
def test_an_undo_after_something_happened_to_the_card_is_refused(student, fixture_bank, since):
    question = first_question()
    now = studied(student, question, [GOOD, GOOD, GOOD])
    entry = rated(student, question, HARD, now)
    if since == "rated again":
        rated(student, question, GOOD, now + timedelta(days=30))
    elif since == "undone already":
        undo_rating(db.session, student, entry)
        db.session.commit()
    else:  # a lapse, logged as coming from the quiz
        enqueue_missed(db.session, student.id, question.id, now=now + timedelta(hours=1))
        db.session.commit()
    after = stored(student, question)
    with pytest.raises(UndoRefused):
        undo_rating(db.session, student, entry)
    db.session.commit()
    assert stored(student, question) == after


def test_a_new_cards_undo_is_refused_once_it_is_rated_again(student, fixture_bank):
    question = first_question()
    entry = rated(student, question, AGAIN, T0)
    rated(student, question, GOOD, T0 + timedelta(minutes=5))
    after = stored(student, question)
    with pytest.raises(UndoRefused):
        undo_rating(db.session, student, entry)
    assert stored(student, question) == after


def test_nobody_undoes_someone_elses_rating(student, make_user, fixture_bank):
    other = make_user()
    for question, history in zip(db.session.scalars(select(Question).order_by(Question.id).limit(2)).all(),
                                 ([], [GOOD, GOOD]), strict=True):
        entry = rated(student, question, EASY, studied(student, question, history))
        after = stored(student, question)
        with pytest.raises(UndoRefused):
            undo_rating(db.session, other, entry)
        assert stored(student, question) == after


def undo_button(html: str) -> str | None:
    found = re.search(r'<form method="post" action="/study/undo"[^>]*id="study-undo">.*?</form>', html, re.S)
    return found and found.group(0)


def assert_undo_refused(client, page: str, student, question_id: int) -> None:
    """Undo sent from `page` is refused, says so, and leaves the student's card as it was."""
    before = stored(student, db.session.get(Question, question_id))
    refused = client.post("/study/undo", data={"csrf_token": csrf_from(page), "bank": "", "quiz": ""})
    assert "Nothing was undone" in client.get(refused.location).get_data(as_text=True)
    assert stored(student, db.session.get(Question, question_id)) == before


def test_rate_undo_and_rate_again_through_the_pages(logged_in, student, fixture_bank):
    question_id, front = front_of(logged_in, "flashcard")
    assert undo_button(front) is None
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    assert rate(logged_in, question_id, back, EASY).status_code == 302
    done = logged_in.get("/study/").get_data(as_text=True)  # the only card left active was that one
    form = undo_button(done)
    assert form and "Undo last rating (Easy)" in form and 'name="csrf_token"' in form
    assert logged_in.post("/study/undo", data={"bank": "", "quiz": ""}).status_code == 400  # no CSRF token
    undone = logged_in.post("/study/undo", data={"csrf_token": csrf_from(done), "bank": "", "quiz": ""})
    assert undone.status_code == 302 and undone.location.endswith(f"/study/?card={question_id}")
    again = logged_in.get(undone.location).get_data(as_text=True)
    assert f'action="/study/{question_id}/answer"' in again and "New card" in again
    assert "Your last rating was undone." in again and undo_button(again) is None
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0
    # Sent twice (a double click), the second changes nothing and says so.
    stale = logged_in.post("/study/undo", data={"csrf_token": csrf_from(done), "bank": "", "quiz": ""})
    assert "Nothing was undone" in logged_in.get(stale.location).get_data(as_text=True)
    question_id, front = front_of(logged_in)
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    rate(logged_in, question_id, back, GOOD)
    assert db.session.scalars(select(ReviewLog.rating)).all() == [GOOD]


def test_a_review_card_undone_is_shown_again_as_it_was(logged_in, student, fixture_bank):
    question_id, front = front_of(logged_in, "flashcard")
    question = db.session.get(Question, question_id)
    # Studied long ago and due now, so that the queue serves it.
    studied(student, question, [GOOD, GOOD, GOOD])
    card = db.session.scalar(select(Card))
    card.due = datetime.now(UTC) - timedelta(days=1)
    db.session.commit()
    before = stored(student, question)
    front = logged_in.get("/study/").get_data(as_text=True)
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    rate(logged_in, question_id, back, AGAIN)
    done = logged_in.get("/study/").get_data(as_text=True)
    assert "Undo last rating (Again)" in done
    undone = logged_in.post("/study/undo", data={"csrf_token": csrf_from(done), "bank": "", "quiz": ""})
    assert stored(student, question) == before
    again = logged_in.get(undone.location).get_data(as_text=True)
    assert f'action="/study/{question_id}/answer"' in again and "Review" in again
    back = answer(logged_in, question_id, again, {}).get_data(as_text=True)
    rate(logged_in, question_id, back, GOOD)
    assert db.session.scalars(select(ReviewLog.rating).order_by(ReviewLog.id)).all() == [GOOD] * 4


def test_the_next_account_on_the_same_browser_is_not_offered_the_last_ones_undo(logged_in, student, make_user,
                                                                               fixture_bank):
    question_id, front = front_of(logged_in, "flashcard")
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    rate(logged_in, question_id, back, EASY)
    done = logged_in.get("/study/").get_data(as_text=True)
    assert undo_button(done)
    logged_in.post("/auth/logout", data={"csrf_token": csrf_from(done)})
    other = make_user()
    assert login(logged_in, other.email).status_code == 302
    page = logged_in.get("/study/").get_data(as_text=True)
    assert undo_button(page) is None
    assert_undo_refused(logged_in, page, student, question_id)


def test_a_rating_is_offered_for_undoing_for_ten_minutes_only(logged_in, student, fixture_bank):
    question_id, front = front_of(logged_in, "flashcard")
    back = answer(logged_in, question_id, front, {}).get_data(as_text=True)
    rate(logged_in, question_id, back, GOOD)
    assert undo_button(logged_in.get("/study/").get_data(as_text=True))
    with logged_in.session_transaction() as kept:
        kept["study_undo"] = {**kept["study_undo"], "at": kept["study_undo"]["at"] - 10 * 60 - 1}
    page = logged_in.get("/study/").get_data(as_text=True)
    assert undo_button(page) is None
    assert_undo_refused(logged_in, page, student, question_id)
