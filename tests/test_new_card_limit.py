"""The daily new-card limit holds when first ratings arrive together: two tabs, two cards submitted at once.

A first rating write-locks the student's row before it counts today's new cards, so of two at once the second
waits, counts the first one's card and, at the limit, is refused: that card stays new and nothing is recorded
for it. Ratings under the limit all go in. Each thread below has its own database session and connection.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from quizapp.extensions import db
from quizapp.models import Card, Question, ReviewLog, User
from quizapp.srs.queue import NewCardLimitReached, new_allowance, record_review
from quizapp.srs.scheduling import GOOD
from tests.concurrent_clients import at_once, serve
from tests.test_concurrency import log_in_all, make_students, rate

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def question_ids(count: int) -> list[int]:
    return list(db.session.scalars(select(Question.id).order_by(Question.id).limit(count)))


def set_limit(user: User, limit: int) -> None:
    user.new_cards_per_day = limit
    db.session.commit()


def first_rating(engine: Engine, user_id: int, question_id: int, now: datetime = T0,
                 hold: float = 0.0) -> str:
    """Rate a new card in a session of its own, committing after `hold` seconds: rated, refused or stale."""
    with Session(engine) as session:
        user, question = session.get(User, user_id), session.get(Question, question_id)
        try:
            card = record_review(session, user, question, GOOD, 0, now=now, fuzz=False)
        except NewCardLimitReached:
            return "refused"
        time.sleep(hold)
        session.commit()
        return "rated" if card is not None else "stale"


def stored() -> tuple[Counter, int]:
    """New cards per user, and review logs, as the database now holds them."""
    db.session.remove()
    cards = Counter(db.session.scalars(select(Card.user_id).where(Card.origin == "new")))
    return cards, db.session.scalar(select(func.count()).select_from(ReviewLog))


def test_a_first_rating_over_the_limit_is_refused_and_the_card_stays_new(student, fixture_bank):
    set_limit(student, 1)
    user_id, (first, second) = student.id, question_ids(2)

    def rate_now(question_id: int, reviews: int, now: datetime) -> Card | None:
        user, question = db.session.get(User, user_id), db.session.get(Question, question_id)
        card = record_review(db.session, user, question, GOOD, reviews, now=now, fuzz=False)
        db.session.commit()
        return card

    assert rate_now(first, 0, T0) is not None
    with pytest.raises(NewCardLimitReached) as refused:
        rate_now(second, 0, T0 + timedelta(minutes=1))
    assert refused.value.limit == 1
    assert stored() == ({user_id: 1}, 1)
    # Reviewing a card already started is not limited; the refused card is offered again the next day.
    assert rate_now(first, 1, T0 + timedelta(minutes=2)) is not None
    assert new_allowance(db.session, db.session.get(User, user_id), T0 + timedelta(days=1)) == 1
    assert rate_now(second, 0, T0 + timedelta(days=1)) is not None
    assert stored() == ({user_id: 2}, 3)


def test_a_first_rating_waits_for_one_in_progress_and_counts_its_card(student, fixture_bank):
    set_limit(student, 1)
    user_id, (first, second), engine = student.id, question_ids(2), db.engine
    results: dict[str, str] = {}
    # The first rating holds its new card uncommitted for a moment, the second starts meanwhile: without
    # the lock it would count no card yet and start a second one.
    holder = threading.Thread(target=lambda: results.update(first=first_rating(engine, user_id, first, hold=0.5)))
    holder.start()
    time.sleep(0.2)
    results["second"] = first_rating(engine, user_id, second)
    holder.join(timeout=30)
    assert results == {"first": "rated", "second": "refused"}
    assert stored() == ({user_id: 1}, 1)


@pytest.mark.parametrize("limit, accepted", [(1, 1), (2, 2), (4, 4)])
def test_first_ratings_at_once_keep_to_the_limit_and_lose_none(student, fixture_bank, limit, accepted):
    set_limit(student, limit)
    user_id, engine = student.id, db.engine
    tasks = [lambda q=q: [first_rating(engine, user_id, q)] for q in question_ids(4)]
    assert Counter(at_once(tasks)) == +Counter(rated=accepted, refused=4 - accepted)
    assert stored() == ({user_id: accepted}, accepted)


def test_two_tabs_rating_two_new_cards_at_once_start_one_at_the_limit(app, fixture_bank):
    students = make_students(10, ratings=2)
    db.session.execute(User.__table__.update().values(new_cards_per_day=1))
    db.session.commit()
    with serve(app) as address:
        log_in_all(address, students)
        tabs = [(tab, question_id) for s in students
                for tab, question_id in zip((s.browser, s.browser.twin()), s.to_rate, strict=True)]
        tasks = [lambda b=tab, q=question_id: [rate(b, q)] for tab, question_id in tabs]
        statuses = at_once(tasks)
        assert Counter(statuses) == {302: len(tasks)}
        cards, reviews = stored()
        assert cards == {s.user_id: 1 for s in students} and reviews == len(students)
        # The tab whose rating was refused says so on the page it lands on.
        student = students[0]
        rated = db.session.scalar(select(Card.question_id).where(Card.user_id == student.user_id))
        other = next(q for q in student.to_rate if q != rated)
        status, _ = student.browser.request("POST", f"/study/{other}/rate",
                                            {"rating": GOOD, "reviews": 0, "shown_at": "", "bank": ""})
        _, page = student.browser.request("GET", "/study/")
    assert status == 302 and "limit of new cards (1)" in page and "stays new" in page
    assert stored() == ({s.user_id: 1 for s in students}, len(students))
