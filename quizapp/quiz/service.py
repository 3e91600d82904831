"""Quiz operations on the database, independent of HTTP."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, contains_eager, joinedload, selectinload

from quizapp.banks.visibility import practice_allowed, visible_banks
from quizapp.grading import grade
from quizapp.models import Assignment, Bank, Card, Question, QuestionRevision, QuizAttempt, QuizItem, Response, User
from quizapp.models.content import is_current_revision
from quizapp.models.locks import share_lock
from quizapp.models.types import UTCDateTime, utcnow
from quizapp.quiz.deadlines import close_if_expired, graded_answers
from quizapp.srs.missed import enqueue_missed
from quizapp.srs.scheduling import REVIEW_STATE

CHOICE_TYPES = ("single_choice", "multiple_response")
# An attempt with every item's question, revision and answer, for the pages that go through all of them.
WHOLE_ATTEMPT = selectinload(QuizAttempt.items).options(
    joinedload(QuizItem.question), joinedload(QuizItem.revision), joinedload(QuizItem.response))


class NoQuestions(Exception):
    """The selection holds no active question."""


class BankGone(Exception):
    """The bank was deleted while the quiz was being started."""


@dataclass(frozen=True)
class BankOverview:
    bank: Bank
    total: int
    topics: list[tuple[str, int]]


def bank_overviews(session: Session, user: User | None) -> list[BankOverview]:
    """Each visible bank with its number of active questions per topic."""
    banks = session.scalars(visible_banks(user).order_by(Bank.title)).all()
    counts = session.execute(
        select(Question.bank_id, Question.topic, func.count())
        .where(Question.retired_at.is_(None), Question.bank_id.in_([b.id for b in banks]))
        .group_by(Question.bank_id, Question.topic)
        .order_by(Question.topic)
    ).all()
    topics: dict[int, list[tuple[str, int]]] = {}
    for bank_id, topic, count in counts:
        topics.setdefault(bank_id, []).append((topic, count))
    return [
        BankOverview(bank, sum(c for _, c in topics.get(bank.id, [])), topics.get(bank.id, []))
        for bank in banks
        if bank.id in topics
    ]


def start_quiz(
    session: Session, user: User, bank: Bank, topic: str | None, length: int, rng: random.Random | None = None
) -> QuizAttempt:
    """Draw up to `length` active questions at random and pin each to its current revision; BankGone if its owner
    deleted the bank meanwhile."""
    # Share-lock the bank first: its owner deleting it at this moment either goes first (and the quiz is not
    # started) or waits for this start and then finds the bank used, instead of counting no use and then
    # deleting the attempt just begun with it.
    if not share_lock(session, Bank, Bank.id == bank.id):
        raise BankGone(bank.id)
    rng = rng or random.Random()
    query = (
        select(Question.id, Question.type, QuestionRevision.id, QuestionRevision.data)
        .join(QuestionRevision, is_current_revision())
        .where(Question.bank_id == bank.id, Question.retired_at.is_(None))
        .order_by(Question.id)
    )
    if topic:
        query = query.where(Question.topic == topic)
    candidates = session.execute(query).all()
    if not candidates:
        raise NoQuestions(topic or bank.title)
    drawn = rng.sample(candidates, min(length, len(candidates)))
    attempt = QuizAttempt(user_id=user.id, bank_id=bank.id, topic=topic or None)
    for position, (question_id, qtype, revision_id, data) in enumerate(drawn, start=1):
        attempt.items.append(QuizItem(position=position, question_id=question_id, revision_id=revision_id,
                                      choice_order=choice_order(qtype, data, rng)))
    session.add(attempt)
    session.flush()
    return attempt


def choice_order(qtype: str, data: dict[str, Any], rng: random.Random) -> list[int] | None:
    """The order a choice question's choices are shown in, shuffled by rng unless the bank says not to."""
    if qtype not in CHOICE_TYPES:
        return None
    order = list(range(len(data["choices"])))
    if data.get("shuffle", True):
        rng.shuffle(order)
    return order


@dataclass(frozen=True)
class Progress:
    total: int
    next_position: int | None  # the first item without a (complete) answer; None when all are answered


# The statements every question page and answer runs are built once, with bound parameters: building and
# cache-keying a statement costs more than running it on a small table.
# One query brings what the question and feedback pages read: the attempt and its bank, the question, the
# pinned revision and the answer if any.
_ITEM = (
    select(QuizItem).join(QuizItem.attempt)
    .options(contains_eager(QuizItem.attempt).joinedload(QuizAttempt.bank), joinedload(QuizItem.question),
             joinedload(QuizItem.revision), joinedload(QuizItem.response))
    .where(QuizAttempt.id == bindparam("attempt_id"), QuizAttempt.user_id == bindparam("user_id"),
           QuizItem.position == bindparam("position"))
)
# The progress of the attempt a statement selects from: its item count, and the first item without a
# (complete) answer, which a flashcard lacks until it is self-graded.
_other_item, _other_response, _other_question = aliased(QuizItem), aliased(Response), aliased(Question)
ATTEMPT_TOTAL = select(func.count()).where(_other_item.attempt_id == QuizAttempt.id).scalar_subquery()
NEXT_POSITION = (
    select(func.min(_other_item.position))
    .join(_other_question, _other_question.id == _other_item.question_id)
    .outerjoin(_other_response, _other_response.item_id == _other_item.id)
    .where(_other_item.attempt_id == QuizAttempt.id,
           or_(_other_response.id.is_(None),
               and_(_other_question.type == "flashcard", _other_response.given.is_(None))))
    .scalar_subquery()
)
_PROGRESS = select(ATTEMPT_TOTAL, NEXT_POSITION).where(QuizAttempt.id == bindparam("attempt_id"))
_items, _responses = QuizItem.__table__, Response.__table__
# Core statements on the tables: ORM-enabled DML would synchronise the session and cost a query of its own.
INSERT_RESPONSE = insert(_responses)
FINISH_ATTEMPT = (
    update(QuizAttempt.__table__)
    .where(QuizAttempt.__table__.c.id == bindparam("attempt_id"), QuizAttempt.__table__.c.finished_at.is_(None),
           ~exists(select(_items.c.id).outerjoin(_responses, _responses.c.item_id == _items.c.id)
                   .where(_items.c.attempt_id == bindparam("attempt_id"), _responses.c.id.is_(None))))
    .values(finished_at=bindparam("now", type_=UTCDateTime()))
)


def get_item(session: Session, user: User, attempt_id: int, position: int) -> QuizItem | None:
    """The item at a position of one of the user's own attempts, with what its pages show, or None."""
    return session.scalar(_ITEM, {"attempt_id": attempt_id, "user_id": user.id, "position": position})


def own_attempt(session: Session, user: User, attempt_id: int) -> QuizAttempt | None:
    """One of the user's own attempts with all its items, or None."""
    return session.scalar(select(QuizAttempt).where(QuizAttempt.id == attempt_id, QuizAttempt.user_id == user.id)
                          .options(WHOLE_ATTEMPT))


def attempt_progress(session: Session, attempt_id: int) -> Progress:
    """How many items the attempt has and which comes next, in one query."""
    row = session.execute(_PROGRESS, {"attempt_id": attempt_id}).first()
    return Progress(*row) if row is not None else Progress(0, None)


def submit_answer(session: Session, item: QuizItem, given: Any, replace: bool = False) -> bool:
    """Grade and record an answer; False when the item has one already (a double click, a second tab).
    With `replace`, an answer already there is changed instead: assignments that show feedback only later
    let students change answers until they hand in."""
    if item.response is not None:
        if replace:
            _replace(item.response, item, given)
        return replace
    pending_self_grade = item.question.type == "flashcard"
    result = None if pending_self_grade else grade(item.question.type, item.revision.data, given)
    user_id, now = item.attempt.user_id, utcnow()
    try:
        session.execute(INSERT_RESPONSE, {
            "item_id": item.id, "user_id": user_id, "question_id": item.question_id,
            "revision_id": item.revision_id, "given": None if pending_self_grade else given,
            "is_correct": bool(result and result.correct), "score": result.score if result else 0.0,
            "answered_at": now,
        })
    except IntegrityError:
        # Another request recorded this item first (a double click, a second tab): nothing else is
        # pending, so roll back; the answer that won stands (the unique item_id makes a second one
        # impossible), or is changed where changing is allowed.
        session.rollback()
        existing = session.scalar(select(Response).where(Response.item_id == item.id))
        if existing is None:
            raise
        if replace:
            _replace(existing, item, given)
        return replace
    # The row went in through Core: let the item load its answer afresh when next asked.
    session.expire(item, ["response"])
    if result is not None and not result.correct and feedback_at_once(item.attempt):
        enqueue_missed(session, user_id, item.question_id, now, revision_id=item.revision_id)
    if item.attempt.assignment_id is None:  # assignment attempts are handed in, or closed by their deadline
        session.execute(FINISH_ATTEMPT, {"attempt_id": item.attempt_id, "now": now})
    return True


def _replace(response: Response, item: QuizItem, given: Any) -> Response:
    result = grade(item.question.type, item.revision.data, given)
    response.given, response.is_correct, response.score = given, result.correct, result.score
    response.answered_at = utcnow()
    return response


def feedback_at_once(attempt: QuizAttempt) -> bool:
    """Whether the student sees each answer's feedback at once (and so may meet the question in study)."""
    return attempt.assignment is None or attempt.assignment.feedback_policy == "each"


def is_miss(item: QuizItem) -> bool:
    """Whether the item's answer missed: wrong, partly right, or a flashcard the student did not know (one whose
    back was shown but not yet self-graded has no verdict)."""
    response = item.response
    return response is not None and response.given is not None and not response.is_correct


def queued_for_study(item: QuizItem, bank_open: bool) -> bool:
    """Whether a missed question, its feedback shown, is in the student's study queue now: study shows it only while
    it is active and its bank (`bank_open`: practice_allowed for the attempt's bank) stays open to the student.

    Misses join the queue as their feedback comes: at the answer or self-grade, else when held-back feedback is
    released (release_held_misses, which a page showing such feedback runs first)."""
    return bank_open and is_miss(item) and item.question.retired_at is None


def queued_count(session: Session, user: User, attempt: QuizAttempt) -> int:
    """How many questions missed in an attempt whose feedback is shown are in the student's study queue now."""
    missed = [item for item in attempt.items if is_miss(item)]
    # The bank is asked about only when something was missed: a quiz all right costs no query.
    if not missed or not practice_allowed(session, user, attempt.bank_id):
        return 0
    return sum(queued_for_study(item, bank_open=True) for item in missed)


def misses_to_study(user: User, attempt_id: int, now: datetime) -> Select[tuple[int, int, datetime]]:
    """The questions the user missed in their own attempt, as far as its feedback shows them now, in the quiz's
    order and each with when it was missed: the choice that study serves first (next_card), each once."""
    # Another user's attempt, or one that is not there, gives no rows; verdicts held back give none either, so the
    # order of study tells nothing the feedback does not.
    return (select(QuizItem.question_id.label("question_id"), QuizItem.position.label("rank"),
                   Response.answered_at.label("since"))
            .join(Response, Response.item_id == QuizItem.id)
            .where(QuizItem.attempt_id == attempt_id, Response.user_id == user.id, ~Response.is_correct,
                   graded_answers(now)))


def release_held_misses(session: Session, attempt: QuizAttempt) -> int:
    """Queue the misses of an attempt whose held-back feedback the caller shows now, whichever page shows it
    first; returns how many were queued now (the caller commits if any). Feedback given at once costs nothing:
    its misses were queued as they were answered."""
    return 0 if feedback_at_once(attempt) else enqueue_attempt_misses(session, attempt)


def enqueue_attempt_misses(session: Session, attempt: QuizAttempt) -> int:
    """Queue every question missed in an attempt for review, once its feedback may be seen (the caller checks):
    on every later view of the results, or a hand-in sent again, a card reviewed since the miss keeps the
    schedule that review gave it. Returns how many were queued now."""
    return enqueue_released_misses(session, attempt.user_id, utcnow(), attempt.id)


def catch_up_assignments(session: Session, user_id: int, now: datetime) -> int:
    """Hand in the student's attempts whose time ran out while no page had them open, then queue for review the
    questions missed in assignments whose feedback has come since; returns how many changes (the caller commits
    if any). Study, progress and the API call this, so that neither waits for the student to open the class."""
    lapsed = session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.finished_at.is_(None), QuizAttempt.deadline_at <= now)).all()
    closed = sum(close_if_expired(attempt, now) for attempt in lapsed)
    return closed + enqueue_released_misses(session, user_id, now)


def enqueue_released_misses(session: Session, user_id: int, now: datetime, attempt_id: int | None = None) -> int:
    """Queue for review the questions the student missed in assignments (or in one attempt) whose feedback has
    come since (handed in, or the due date passed); returns how many. A learned card missed counts a lapse at
    the time of the answer, as enqueue_missed explains."""
    already = exists(select(Card.id).where(
        Card.user_id == user_id, Card.question_id == Response.question_id,
        # Reviewed since the miss, which took it into account (a lapse counted for the miss is such a review); or
        # still in its learning steps and due already, which the miss cannot change.
        or_(Card.last_review >= Response.answered_at, and_(Card.state != REVIEW_STATE, Card.due <= now))))
    # Answers with feedback after each question were queued as they were given.
    held_until_later = (select(QuizItem.id).join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id)
                        .join(Assignment, Assignment.id == QuizAttempt.assignment_id)
                        .where(QuizAttempt.user_id == user_id, Assignment.feedback_policy != "each"))
    if attempt_id is not None:
        held_until_later = held_until_later.where(QuizAttempt.id == attempt_id)
    misses = session.execute(
        select(Response.question_id, Response.answered_at, Response.revision_id)
        .where(Response.user_id == user_id, Response.item_id.in_(held_until_later), ~Response.is_correct,
               graded_answers(now), ~already)
        .order_by(Response.answered_at, Response.id)
    ).all()
    # The first miss of each question not yet taken into account is the lapse; after it the card is relearning,
    # which later misses of it do not change.
    first: dict[int, tuple[datetime, int]] = {}
    for question_id, answered_at, revision_id in misses:
        first.setdefault(question_id, (answered_at, revision_id))
    for question_id, (answered_at, revision_id) in first.items():
        enqueue_missed(session, user_id, question_id, now, missed_at=answered_at, revision_id=revision_id)
    return len(first)


def record_self_grade(session: Session, item: QuizItem, knew: bool) -> bool:
    """Store a flashcard's self-grade once; later grades do not overwrite the first. True if this one was stored."""
    response = item.response
    if response is None or item.question.type != "flashcard" or response.given is not None:
        return False
    given = "knew" if knew else "missed"
    result = grade("flashcard", item.revision.data, given)
    # One statement that fills only an empty grade: of two sent at once (two tabs), the first stands and the
    # other changes nothing, not even the review queue.
    responses = Response.__table__
    filled = session.execute(
        update(responses).where(responses.c.id == response.id, responses.c.given.is_(None))
        .values(given=given, is_correct=result.correct, score=result.score)
    ).rowcount
    user_id = response.user_id
    session.expire(response)
    if filled and not knew:
        enqueue_missed(session, user_id, item.question_id, revision_id=item.revision_id)
    return bool(filled)


def attempt_score(attempt: QuizAttempt) -> tuple[float, int]:
    """Points earned and points possible."""
    earned = sum(item.response.score for item in attempt.items if item.response is not None)
    # To four places, as the gradebook sums them: at two, a percentage could come out a tenth apart from its own.
    return round(earned, 4), len(attempt.items)


def is_answered(item: QuizItem) -> bool:
    """Whether the item has a complete answer: a flashcard whose back was shown still waits for its grade."""
    return item.response is not None and not (item.question.type == "flashcard" and item.response.given is None)


def next_unanswered(attempt: QuizAttempt) -> QuizItem | None:
    """The first item without a (complete) answer."""
    return next((item for item in attempt.items if not is_answered(item)), None)
