"""Studying one chosen card first (the question just missed in a quiz): served only while it is the student's own
card, due, in a bank open to them; anything else leaves the queue's usual order."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.extensions import db
from quizapp.models import Bank, Question, User
from quizapp.models.types import utcnow
from quizapp.srs.missed import enqueue_missed
from quizapp.srs.queue import chosen_question, next_card, record_review
from quizapp.srs.scheduling import AGAIN, EASY
from tests.conftest import QUESTIONS, csrf_from
from tests.test_missed_in_study import answer, item_of, practice, study_link
from tests.test_study_pages import hidden

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def banks() -> tuple[Bank, Bank]:
    """The two example banks, loaded: the referendum's and the key terms'."""
    load_banks(db.session, check_paths([QUESTIONS], QUESTIONS))
    db.session.commit()
    return tuple(db.session.scalar(select(Bank).where(Bank.slug == slug))  # type: ignore[return-value]
                 for slug in ("referendum-2022", "key-terms"))


def questions_of(bank: Bank) -> list[Question]:
    return list(db.session.scalars(select(Question).where(Question.bank_id == bank.id).order_by(Question.id)))


def missed(user: User, question: Question, at: datetime) -> None:
    enqueue_missed(db.session, user.id, question.id, now=at)
    db.session.commit()


def served(user: User, bank_id: int | None = None, first: int | None = None) -> tuple[int, int | None] | None:
    """The question and card next_card serves at T0, or None for nothing."""
    upcoming = next_card(db.session, user, T0, bank_id, first=None if first is None else chosen_question(first))
    return None if upcoming is None else (upcoming.question.id, upcoming.card and upcoming.card.id)


@pytest.mark.parametrize("narrowed", [False, True])
def test_the_chosen_card_comes_before_more_overdue_ones(student, narrowed):
    referendum, _terms = banks()
    older, chosen = questions_of(referendum)[:2]
    missed(student, older, T0 - timedelta(days=2))
    missed(student, chosen, T0)
    bank_id = referendum.id if narrowed else None
    assert served(student, bank_id)[0] == older.id  # the queue's own order: most overdue first
    assert served(student, bank_id, first=chosen.id)[0] == chosen.id
    # Once rated (and so no longer due), the queue goes on in its usual order.
    record_review(db.session, student, chosen, EASY, 0, now=T0, fuzz=False)
    db.session.commit()
    assert served(student, bank_id, first=chosen.id)[0] == older.id


@pytest.mark.parametrize("case", ["someone else's", "not due", "bank hidden", "outside the bank chosen", "retired",
                                  "no such question", "never studied"])
def test_a_card_the_student_may_not_study_now_leaves_the_usual_order(student, make_user, case):
    referendum, terms = banks()
    older, chosen = questions_of(referendum)[:2]
    missed(student, older, T0 - timedelta(days=2))
    bank_id, chosen_id = None, chosen.id
    if case == "someone else's":
        missed(make_user(), chosen, T0)
    elif case == "not due":
        missed(student, chosen, T0 - timedelta(hours=1))
        record_review(db.session, student, chosen, EASY, 0, now=T0 - timedelta(hours=1), fuzz=False)
    elif case == "bank hidden":
        chosen_id = questions_of(terms)[0].id
        missed(student, questions_of(terms)[0], T0)
        terms.is_published = False
    elif case == "outside the bank chosen":
        chosen_id, bank_id = questions_of(terms)[0].id, referendum.id
        missed(student, questions_of(terms)[0], T0)
    elif case == "retired":
        missed(student, chosen, T0)
        chosen.retired_at = T0
    elif case == "no such question":
        chosen_id = max(q.id for q in db.session.scalars(select(Question))) + 99
    db.session.commit()
    expected = served(student, bank_id)
    assert expected is not None and expected[0] == older.id
    assert served(student, bank_id, first=chosen_id) == expected


def test_a_question_never_studied_is_not_started_past_the_new_card_limit(student):
    referendum, _terms = banks()
    student.new_cards_per_day = 0
    db.session.commit()
    unseen = questions_of(referendum)[3]
    assert served(student, first=unseen.id) is None
    student.new_cards_per_day = 5
    db.session.commit()
    # Within the limit, new cards still come in the banks' own order, not the one asked for.
    usual = served(student)
    assert usual[1] is None and usual[0] != unseen.id and served(student, first=unseen.id) == usual


def front_question(page: str) -> int:
    return int(re.search(r'action="/study/(\d+)/answer"', page).group(1))


def test_the_feedback_link_opens_the_question_missed_then_the_bank_goes_on(logged_in, student, fixture_bank):
    attempt = practice(student)
    item = item_of(attempt, "numeric")
    older = next(i for i in attempt.items if i.question_id != item.question_id)
    enqueue_missed(db.session, student.id, older.question_id, now=utcnow() - timedelta(days=2))
    db.session.commit()
    page = answer(logged_in, item, [("answer", "-1")])
    assert "Study this question now" in page
    link = study_link(page)
    assert link == f"/study/?bank={attempt.bank_id}&card={item.question_id}"
    # Without the card asked for, the bank's most overdue card comes first.
    assert front_question(logged_in.get(f"/study/?bank={attempt.bank_id}").get_data(as_text=True)) == older.question_id
    front = logged_in.get(link).get_data(as_text=True)
    assert front_question(front) == item.question_id and "Missed in a quiz" in front
    assert "That question is not due for study now." not in front
    assert 'id="card-heading" class="card-kind">' in front  # no notice to describe it
    fields = {"csrf_token": csrf_from(front), "reviews": hidden(front, "reviews"),
              "shown_at": hidden(front, "shown_at"), "bank": hidden(front, "bank")}
    back = logged_in.post(f"/study/{item.question_id}/answer",
                          data=fields | {"revision": hidden(front, "revision"), "answer": "-1"})
    assert back.status_code == 200
    rated = logged_in.post(f"/study/{item.question_id}/rate",
                           data=fields | {"csrf_token": csrf_from(back.get_data(as_text=True)), "rating": str(AGAIN)})
    assert rated.status_code == 302 and rated.location.endswith(f"/study/?bank={attempt.bank_id}")
    assert front_question(logged_in.get(rated.location).get_data(as_text=True)) == older.question_id
    # The link followed again once the card is no longer due: said, and the usual queue.
    again = logged_in.get(link).get_data(as_text=True)
    assert "That question is not due for study now." in again and front_question(again) == older.question_id


def test_a_card_asked_for_that_is_not_the_students_gets_the_usual_page(logged_in, student, make_user, fixture_bank):
    attempt = practice(student)
    item = item_of(attempt, "numeric")
    older = next(i for i in attempt.items if i.question_id != item.question_id)
    enqueue_missed(db.session, student.id, older.question_id, now=utcnow() - timedelta(days=2))
    enqueue_missed(db.session, make_user().id, item.question_id, now=utcnow())
    db.session.commit()
    bank = attempt.bank_id
    for card in ("", item.question_id, item.question_id + 999):
        asked = logged_in.get(f"/study/?bank={bank}&card={card}")
        html = asked.get_data(as_text=True)
        assert asked.status_code == 200 and front_question(html) == older.question_id
        assert ("That question is not due for study now." in html) == bool(card)
    assert logged_in.get(f"/study/?bank={bank}&card=x1").status_code == 404
