"""Per-user statistics over recorded answers, independent of HTTP."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from quizapp.banks.schema import CLOZE_BLANK
from quizapp.content.markdown import plain_text
from quizapp.figures import percent_of
from quizapp.models import Bank, Question, QuestionRevision, QuizAttempt, QuizItem, Response
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import feedback_visible, graded_answers
from quizapp.quiz.service import NEXT_POSITION


@dataclass(frozen=True)
class Accuracy:
    label: str
    answered: int
    correct: int

    @property
    def percent(self) -> float:
        """The share right, as a percentage with one decimal; 0.0 before any answer."""
        return percent_of(self.correct, self.answered)


@dataclass(frozen=True)
class AttemptRow:
    attempt: QuizAttempt
    bank_title: str
    answered: int
    total: int
    score: float | None  # None while an assignment's feedback policy still holds the score back
    next_position: int | None  # the first item without a (complete) answer; None when all are answered


@dataclass(frozen=True)
class MissedQuestion:
    question: Question
    prompt: str
    misses: int
    answered: int
    last_item: QuizItem


def overall_accuracy(session: Session, user_id: int) -> Accuracy:
    """Answers given and answers right, over all of a user's quizzes."""
    answered, correct = session.execute(
        select(func.count(), func.coalesce(func.sum(case((Response.is_correct, 1), else_=0)), 0))
        .where(Response.user_id == user_id, graded_answers())
    ).one()
    return Accuracy("All topics", answered, int(correct))


def accuracy_by_topic(session: Session, user_id: int) -> list[Accuracy]:
    """Accuracy per topic, weakest first."""
    rows = session.execute(
        select(Question.topic, func.count(), func.sum(case((Response.is_correct, 1), else_=0)).cast(Integer))
        .join(Question, Question.id == Response.question_id)
        .where(Response.user_id == user_id, graded_answers())
        .group_by(Question.topic)
    ).all()
    results = [Accuracy(topic, answered, correct or 0) for topic, answered, correct in rows]
    return sorted(results, key=lambda a: (a.percent, a.label))


# The progress page lists this many quizzes at most, and says so when a student has more.
RECENT_ATTEMPTS = 50


def recent_attempts(session: Session, user_id: int, limit: int = RECENT_ATTEMPTS) -> list[AttemptRow]:
    """The user's latest attempts with how far they got, where to go on, and their score."""
    # A flashcard whose back was shown is answered only once self-graded, as Continue (NEXT_POSITION) has it.
    complete = or_(Question.type != "flashcard", Response.given.is_not(None))
    latest = (QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
    shown = select(QuizAttempt.id).where(QuizAttempt.user_id == user_id).order_by(*latest).limit(limit)
    # Only the items of the attempts shown are counted: without the filter, every item of every user was.
    counts = (
        select(QuizItem.attempt_id, func.count(QuizItem.id).label("total"),
               func.count(case((complete, Response.id))).label("answered"),
               func.coalesce(func.sum(Response.score), 0.0).label("score"))
        .join(Question, Question.id == QuizItem.question_id)
        .outerjoin(Response, Response.item_id == QuizItem.id)
        .where(QuizItem.attempt_id.in_(shown))
        .group_by(QuizItem.attempt_id)
        .subquery()
    )
    rows = session.execute(
        select(QuizAttempt, Bank.title, counts.c.answered, counts.c.total, counts.c.score, NEXT_POSITION)
        .join(Bank, Bank.id == QuizAttempt.bank_id)
        .join(counts, counts.c.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.user_id == user_id)
        .options(selectinload(QuizAttempt.assignment))  # feedback_visible reads it for every row
        .order_by(*latest)
        .limit(limit)
    ).all()
    now = utcnow()
    return [AttemptRow(a, title, answered, total, round(float(score), 2) if feedback_visible(a, now) else None,
                       following)
            for a, title, answered, total, score, following in rows]


def attempt_count(session: Session, user_id: int) -> int:
    """How many quizzes and assignment attempts the user has started."""
    return session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == user_id))


def most_missed(session: Session, user_id: int, limit: int = 10) -> list[MissedQuestion]:
    """Questions the user got wrong most often (then those least often right), with the last quiz item to revisit."""
    misses = func.sum(case((Response.is_correct, 0), else_=1)).label("misses")
    answered = func.count().label("answered")
    rows = session.execute(
        select(Response.question_id, misses, answered, func.max(Response.item_id))
        .where(Response.user_id == user_id, graded_answers())
        .group_by(Response.question_id)
        .having(misses > 0)
        # Between equal misses, the question answered right less often comes first: one since got right must
        # not push one never got right off the list.
        .order_by(misses.desc(), answered, Response.question_id)
        .limit(limit)
    ).all()
    questions = {q.id: q for q in session.scalars(select(Question).where(Question.id.in_([r[0] for r in rows])))}
    items = {item.id: (item, data) for item, data in session.execute(
        select(QuizItem, QuestionRevision.data).join(QuestionRevision, QuestionRevision.id == QuizItem.revision_id)
        .where(QuizItem.id.in_([r[3] for r in rows])))}
    return [MissedQuestion(questions[question_id], question_text(items[item_id][1]), int(miss_count), answered,
                           items[item_id][0])
            for question_id, miss_count, answered, item_id in rows]


def question_text(data: dict) -> str:
    """The words a question is asked with, whatever its type (cloze blanks without their answers)."""
    if "text" in data:
        return CLOZE_BLANK.sub("_____", plain_text(data["text"]))
    return plain_text(data.get("prompt") or data.get("front") or "")


def question_gist(data: dict, limit: int = 90) -> str:
    """A question's words up to about `limit` characters, cut between words and ended by an ellipsis where cut."""
    text = " ".join(question_text(data).split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    # A word cut in two reads as another word ("closest t"): drop it, unless it is the only one.
    if text[limit] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
