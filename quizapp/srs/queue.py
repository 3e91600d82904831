"""What to study next: due cards first, then new ones up to the daily limit of the user's own study day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, cast, exists, func, literal, null, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from quizapp.banks.visibility import visible_banks
from quizapp.models import Bank, Card, Question, QuestionRevision, ReviewLog, User
from quizapp.models.content import is_current_revision
from quizapp.models.locks import share_lock
from quizapp.models.types import UTCDateTime, utcnow
from quizapp.srs.days import day_bounds, study_day_start
from quizapp.srs.scheduling import REVIEW_STATE, STUDY, copy_state, fresh_state, review, scheduler_for, scheduling_of


@dataclass(frozen=True)
class NextCard:
    question: Question
    card: Card | None  # None: a new card, not yet introduced
    chosen: bool = False  # one of the cards chosen to come first


def new_cards_today(session: Session, user: User, now: datetime) -> int:
    """How many new cards the user has started since their study day began."""
    return session.scalar(
        select(func.count()).select_from(Card)
        .where(Card.user_id == user.id, Card.origin == "new", Card.created_at >= study_day_start(user, now))
    )


def _visible_bank_ids(user: User) -> Select[tuple[int]]:
    # Cards of banks the student may no longer practise with (closed, unpublished, left class) stay out of study.
    return visible_banks(user).with_only_columns(Bank.id)


def _active(query: Select[Any], user: User, bank_id: int | None) -> Select[Any]:
    """The query kept to active questions of banks the user may still practise with (and to one bank)."""
    query = query.where(Question.retired_at.is_(None), Question.bank_id.in_(_visible_bank_ids(user)))
    return query.where(Question.bank_id == bank_id) if bank_id else query


def _active_questions(user: User, bank_id: int | None) -> Select[tuple[Question]]:
    return _active(select(Question), user, bank_id)


def in_study(query: Select[Any], user: User, bank_id: int | None = None) -> Select[Any]:
    """A query over cards joined to their questions, kept to the user's cards in study (and to one bank):
    active questions of banks the user may still practise with."""
    return _active(query.where(Card.user_id == user.id), user, bank_id)


def is_due(user: User, now: datetime) -> ColumnElement[bool]:
    """Whether a card is due: a card in the review state from the start of the user's study day it falls due on
    (scheduled in whole days, it is "due today" all day, as the forecast counts it); a learning step's minutes
    count to the minute."""
    return or_(Card.due <= now, and_(Card.state == REVIEW_STATE, Card.due < day_bounds(user, now, -1)))


def due_cards(session: Session, user: User, now: datetime, bank_id: int | None = None, limit: int = 50) -> list[Card]:
    """Cards due by now, most overdue first."""
    query = select(Card).join(Question, Question.id == Card.question_id).where(is_due(user, now))
    return list(session.scalars(in_study(query, user, bank_id).order_by(Card.due, Card.id).limit(limit)))


def chosen_question(question_id: int) -> Select[tuple[int, int, datetime | None]]:
    """One question to study first (see due_card), as the feedback of a quiz answer links to it."""
    return select(literal(question_id, Integer).label("question_id"), literal(0, Integer).label("rank"),
                  cast(null(), UTCDateTime()).label("since"))


def due_card(session: Session, user: User, now: datetime, chosen: Select[tuple[int, int, datetime | None]],
             bank_id: int | None = None) -> Card | None:
    """The user's own card of the first chosen question, by rank, that is in study (in one bank, if given), due by
    now and not rated in study since the moment chosen with it (`since`, if any); else None.

    `chosen` selects rows of question_id, rank and since: one question (chosen_question), or the misses of a quiz,
    each gone over once."""
    # Only a card already there and due: a new card chosen this way would go round the daily new-card limit, and
    # anyone else's card, or one of a bank the user may not see, is answered as if there were none.
    picks = chosen.subquery()
    rated_since = exists().where(ReviewLog.card_id == Card.id, ReviewLog.source == STUDY,
                                 ReviewLog.reviewed_at >= picks.c.since)
    query = (select(Card).join(Question, Question.id == Card.question_id)
             .join(picks, picks.c.question_id == Card.question_id)
             .where(is_due(user, now), or_(picks.c.since.is_(None), ~rated_since)).order_by(picks.c.rank).limit(1))
    return session.scalar(in_study(query, user, bank_id))


def due_count(session: Session, user: User, now: datetime, bank_id: int | None = None) -> int:
    """How many cards are due by now."""
    query = select(func.count()).select_from(Card).join(Question, Question.id == Card.question_id)
    return session.scalar(in_study(query.where(is_due(user, now)), user, bank_id))


def unseen_questions(user: User, bank_id: int | None) -> Select[tuple[Question]]:
    """Active questions the user has no card for yet, in bank file order."""
    has_card = exists().where(and_(Card.user_id == user.id, Card.question_id == Question.id))
    return _active_questions(user, bank_id).where(~has_card).order_by(Question.bank_id, Question.id)


def new_allowance(session: Session, user: User, now: datetime) -> int:
    """How many more new cards the user may start today."""
    return max(0, user.new_cards_per_day - new_cards_today(session, user, now))


def next_card(session: Session, user: User, now: datetime, bank_id: int | None = None,
              first: Select[tuple[int, int, datetime | None]] | None = None,
              new_first: int | None = None) -> NextCard | None:
    """The next thing to study: the user's due card of the questions chosen `first` (see due_card), else question
    `new_first` as a new card (one whose first rating was undone) if today's limit allows and the user has no card of
    it, else the most overdue card, else a new one if today's limit allows."""
    chosen = due_card(session, user, now, first, bank_id) if first is not None else None
    if chosen is not None:
        return NextCard(chosen.question, chosen, chosen=True)
    if new_first is not None and new_allowance(session, user, now) > 0:
        again = session.scalar(unseen_questions(user, bank_id).where(Question.id == new_first))
        if again is not None:
            return NextCard(again, None, chosen=True)
    due = due_cards(session, user, now, bank_id, limit=1)
    if due:
        return NextCard(due[0].question, due[0])
    if new_allowance(session, user, now) <= 0:
        return None
    question = session.scalar(unseen_questions(user, bank_id).limit(1))
    return NextCard(question, None) if question is not None else None


class NewCardLimitReached(Exception):
    """A first rating refused: the user has already started today's allowance of new cards."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the daily limit of {limit} new cards is reached")
        self.limit = limit


class QuestionGone(Exception):
    """A rating refused: the question's bank was deleted while the card was shown."""


def review_count(session: Session, user: User, question_id: int) -> int:
    """How many times the user has rated their card of a question in study."""
    # A lapse a quiz miss recorded is not counted: a rating of the card shown before it still applies, after it.
    return session.scalar(select(func.count()).select_from(ReviewLog).where(
        ReviewLog.user_id == user.id, ReviewLog.question_id == question_id, ReviewLog.source == STUDY))


def rating_after(session: Session, user: User, question_id: int, reviews: int) -> int | None:
    """The rating the user gave their card of a question in study after its first `reviews` ratings, if any."""
    return session.scalar(
        select(ReviewLog.rating)
        .where(ReviewLog.user_id == user.id, ReviewLog.question_id == question_id, ReviewLog.source == STUDY)
        .order_by(ReviewLog.reviewed_at, ReviewLog.id).offset(reviews).limit(1))


@dataclass(frozen=True)
class Rated:
    """A rating recorded: the card as it now is, the log row written, and the card's scheduling fields as they were
    before (None: the rating started the card)."""

    card: Card
    log: ReviewLog
    before: dict[str, Any] | None


def record_review(
    session: Session, user: User, question: Question, rating: int, reviews: int, now: datetime | None = None,
    fuzz: bool = True, duration_ms: int | None = None,
) -> Card | None:
    """Apply a rating given to a card shown after `reviews` ratings of it (0: never rated); see record_rating."""
    rated = record_rating(session, user, question, rating, reviews, now, fuzz, duration_ms)
    return None if rated is None else rated.card


def record_rating(
    session: Session, user: User, question: Question, rating: int, reviews: int, now: datetime | None = None,
    fuzz: bool = True, duration_ms: int | None = None,
) -> Rated | None:
    """Apply a rating given to a card shown after `reviews` ratings of it (0: never rated), flushed, with what it
    takes to undo it.

    Returns None, with the session rolled back, when the card has been rated since (a double submit, a second
    tab): the rating that came first stands. Other changes to the card, such as a quiz putting it back in the
    queue or counting a miss as a lapse, do not refuse the rating. Raises NewCardLimitReached, with the session
    rolled back, when the rating would start a new card beyond the user's daily limit: the card stays new;
    QuestionGone when the question's bank has been deleted since the card was shown."""
    now = now or utcnow()
    for _attempt in range(2):
        try:
            return _apply_rating(session, user, question, rating, reviews, now, fuzz, duration_ms)
        except (IntegrityError, StaleDataError):
            # On PostgreSQL a quiz's enqueue_missed, which takes none of these locks, can insert the card a
            # first rating found missing: look again, now that the card is there.
            session.rollback()
    return None


def _apply_rating(session: Session, user: User, question: Question, rating: int, reviews: int, now: datetime,
                  fuzz: bool, duration_ms: int | None) -> Rated | None:
    # Ratings lock the user's row before looking, so two at once (a double submit, two tabs, the day's last
    # new cards) take turns, and the second counts the first's review and card.
    limit = _lock_ratings(session, user)
    # Held until the commit, as a quiz start holds it: a bank deletion that counted no use of it waits for the
    # rating and then finds the card, or the rating waits for the deletion and finds the bank gone. Without it,
    # on PostgreSQL, the deletion would take the new card and its review with the bank.
    if not share_lock(session, Bank, Bank.id == question.bank_id):
        session.rollback()
        raise QuestionGone()
    card = session.scalar(select(Card).where(Card.user_id == user.id, Card.question_id == question.id)
                          .with_for_update())
    # Only a rating in study moves the count: a card a quiz put back in the queue meanwhile, or failed as a lapse,
    # is still the one shown, and the rating applies to the card as the lapse left it.
    if review_count(session, user, question.id) != reviews:
        session.rollback()
        return None
    before = None if card is None else scheduling_of(card)
    if card is None:
        if new_cards_today(session, user, now) >= limit:
            session.rollback()
            raise NewCardLimitReached(limit)
        card = Card(user_id=user.id, question_id=question.id, origin="new", created_at=now)
        copy_state(fresh_state(now), card)
        session.add(card)
    state_before = None if card.last_review is None else card.state
    review(scheduler_for(user, fuzz), card, rating, now, user)
    session.flush()
    log = ReviewLog(card_id=card.id, user_id=user.id, question_id=question.id,
                    revision_id=_current_revision_id(session, question), rating=rating, state_before=state_before,
                    reviewed_at=now, duration_ms=duration_ms, source=STUDY)
    session.add(log)
    session.flush()  # the log's id, for undoing the rating; the commit would write it anyway
    return Rated(card, log, before)


def _lock_ratings(session: Session, user: User) -> int:
    """Write-lock the user's row until the transaction ends; their daily new-card limit as it now stands.

    An UPDATE that changes nothing: PostgreSQL locks the row, so a second rating waits for the first to commit
    and then sees its review and card; SQLite takes its single write lock, which serializes the same way (the
    statement opens the transaction, so it starts on the latest snapshot). On PostgreSQL the card's own row
    lock (FOR UPDATE; SQLite's write lock already covers it) keeps a quiz's enqueue_missed from changing the
    card between the rating's look and its write."""
    users = User.__table__
    return session.execute(
        update(users).where(users.c.id == user.id)
        .values(new_cards_per_day=users.c.new_cards_per_day).returning(users.c.new_cards_per_day)
    ).scalar_one()


def _current_revision_id(session: Session, question: Question) -> int | None:
    return session.scalar(select(QuestionRevision.id).where(
        QuestionRevision.question_id == question.id, QuestionRevision.number == question.revision))


def studyable(session: Session, user: User, question_id: int) -> tuple[Question, QuestionRevision] | None:
    """An active question the user may study, with its current revision; None otherwise."""
    row = session.execute(
        _active_questions(user, None).add_columns(QuestionRevision)
        .join(QuestionRevision, is_current_revision())
        .where(Question.id == question_id)
    ).first()
    return (row[0], row[1]) if row else None


def new_available(session: Session, user: User, now: datetime, bank_id: int | None = None) -> int:
    """New cards the user could still start today: the smaller of today's allowance and what is unseen."""
    allowance = new_allowance(session, user, now)
    if allowance == 0:
        return 0
    # Counting stops at the allowance: a student with thousands of unseen questions costs no more than one with few.
    unseen = unseen_questions(user, bank_id).order_by(None).limit(allowance).subquery()
    return session.scalar(select(func.count()).select_from(unseen))


def next_due_at(session: Session, user: User, bank_id: int | None = None) -> datetime | None:
    """When the user's next card in study (in one bank, if given) falls due, rounded up to the whole minute."""
    query = select(func.min(Card.due)).select_from(Card).join(Question, Question.id == Card.question_id)
    stepping = session.scalar(in_study(query.where(Card.state != REVIEW_STATE), user, bank_id))
    reviewing = session.scalar(in_study(query.where(Card.state == REVIEW_STATE), user, bank_id))
    if reviewing is not None:
        # A review card is due from the start of its study day (see is_due).
        reviewing = study_day_start(user, reviewing)
    due = min((moment for moment in (stepping, reviewing) if moment is not None), default=None)
    # Shown to the minute: rounding down would send the student back a few seconds early, to find nothing due.
    if due is None or (due.second == 0 and due.microsecond == 0):
        return due
    return due.replace(second=0, microsecond=0) + timedelta(minutes=1)


