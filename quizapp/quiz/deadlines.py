"""Deadlines and feedback timing of attempts at assignments: when answers are taken and keys are shown."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import object_session

from quizapp.classroom.membership import enrolled_class
from quizapp.models import Assignment, QuizAttempt, QuizItem, Response, User
from quizapp.models.locks import write_lock
from quizapp.models.types import utcnow

# Answers sent in the last moments before a deadline still count: a slow network is not the student's fault.
GRACE = timedelta(seconds=30)
# An attempt's countdown is shown from a day before its deadline: further off, the time it closes says enough.
COUNTDOWN_FROM = timedelta(days=1)
SUBMITTED = "This attempt has been handed in; its answers can no longer change."
LEFT_CLASS = ("You are no longer a student of this class, so this attempt takes no more answers and cannot be "
              "handed in. The answers you gave are kept: join the class again to carry on.")
NO_HAND_IN = ("Only assignment attempts are handed in: a practice quiz is never handed in. It is done once every "
              "question is answered, and its results show then.")


def is_past_due(assignment: Assignment, now: datetime) -> bool:
    """Whether the due time (with the grace period) has passed."""
    return late_at(assignment.due_at, now)


def closed_to_new_attempts(assignment: Assignment, now: datetime) -> bool:
    """Whether the due time has come for an assignment that refuses late work. The grace period is for
    answers already on their way, not for attempts begun after the due time."""
    return assignment.late_policy == "refuse" and assignment.due_at is not None and now >= assignment.due_at


def deadline_for(assignment: Assignment, started: datetime) -> datetime | None:
    """When an attempt started now must end: its time limit, and the due date if late work is refused."""
    ends = []
    if assignment.time_limit_minutes:
        ends.append(started + timedelta(minutes=assignment.time_limit_minutes))
    if assignment.due_at is not None and assignment.late_policy == "refuse":
        ends.append(assignment.due_at)
    return min(ends) if ends else None


def lapsed(finished_at: datetime | None, deadline_at: datetime | None, now: datetime) -> bool:
    """Whether an attempt still open has run past its deadline and the grace period after it."""
    return finished_at is None and deadline_at is not None and now > deadline_at + GRACE


def late_at(due_at: datetime | None, moment: datetime) -> bool:
    """Whether work handed in at that moment is late for the due time."""
    return due_at is not None and moment > due_at + GRACE


def close_if_expired(attempt: QuizAttempt, now: datetime) -> bool:
    """Submit an attempt whose deadline has passed, as of its deadline (late if that is past the due time);
    True if this closed it."""
    if lapsed(attempt.finished_at, attempt.deadline_at, now):
        attempt.finished_at = attempt.deadline_at
        assignment = attempt.assignment
        attempt.is_late = assignment is not None and late_at(assignment.due_at, attempt.deadline_at)
        return True
    return False


def seconds_left(attempt: QuizAttempt, now: datetime | None = None) -> int | None:
    """Whole seconds until an open attempt's deadline (0 once it has come), or None when no countdown is shown:
    no deadline, handed in already, or more than COUNTDOWN_FROM away."""
    if attempt.finished_at is not None or attempt.deadline_at is None:
        return None
    left = attempt.deadline_at - (now or utcnow())
    if left > COUNTDOWN_FROM:
        return None
    return max(0, int(left.total_seconds()))


def duration_text(seconds: int) -> str:
    """A time left in words, as static/time_left.js writes it: 1 h 5 min, 4 min 30 s, 45 s."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def due_soon_text(due_at: datetime | None, now: datetime) -> str | None:
    """How soon a due time comes, in words ("in 45 min", "in 3 h 20 min"), when it is less than a day away."""
    if due_at is None or not now < due_at <= now + COUNTDOWN_FROM:
        return None
    minutes = int((due_at - now).total_seconds()) // 60
    if minutes < 1:
        return "in less than a minute"
    hours, minutes = divmod(minutes, 60)
    return f"in {hours} h {minutes} min" if hours else f"in {minutes} min"


def hold_attempt(attempt: QuizAttempt) -> None:
    """Write-lock the attempt until the transaction ends, and read afresh whether it has been handed in."""
    # An answer and a hand-in sent at the same moment (two tabs) take turns: the answer is saved before the
    # hand-in or refused after it, never saved into an attempt already handed in.
    session = object_session(attempt)
    write_lock(session, QuizAttempt, QuizAttempt.id == attempt.id)
    session.refresh(attempt, ["finished_at", "is_late"])


def answer_refusal(attempt: QuizAttempt, now: datetime) -> str | None:
    """Why an answer to this attempt cannot be taken now, or None if it can."""
    if attempt.assignment_id is None:
        return None
    hold_attempt(attempt)
    close_if_expired(attempt, now)
    if attempt.finished_at is not None:
        return SUBMITTED
    return LEFT_CLASS if off_the_roster(attempt) else None


def hand_in_refusal(attempt: QuizAttempt) -> str | None:
    """Why an assignment attempt cannot be handed in now, or None if it can (or has been handed in already).

    Asked after close_if_expired: an attempt whose time ran out is handed in already, on the roster or not."""
    return LEFT_CLASS if attempt.finished_at is None and off_the_roster(attempt) else None


def off_the_roster(attempt: QuizAttempt) -> bool:
    """Whether the student of an assignment attempt has left its class (or been taken off it) since starting.

    Work given after leaving the roster would reach no report (the gradebook counts the class's students only), so
    such an attempt takes no more answers, nor a hand-in that would show its keys, until they join again."""
    session = object_session(attempt)
    # The student is the logged-in account, already in the session: get() finds it without a query.
    return enrolled_class(session, session.get(User, attempt.user_id), attempt.assignment.classroom_id) is None


def submit_attempt(attempt: QuizAttempt, now: datetime) -> None:
    """Hand in the attempt; work handed in after the due date is marked late."""
    hold_attempt(attempt)
    if close_if_expired(attempt, now) or attempt.finished_at is not None:
        return
    attempt.finished_at = now
    assignment = attempt.assignment
    attempt.is_late = assignment is not None and is_past_due(assignment, now)


def feedback_visible(attempt: QuizAttempt, now: datetime) -> bool:
    """Whether the student may see keys and explanations for this attempt's answered questions yet."""
    assignment = attempt.assignment
    if assignment is None or assignment.feedback_policy == "each":
        return True
    if attempt.finished_at is None:
        return False
    # Keys wait until the grace period is over too: until then, answers on their way are still taken.
    return assignment.feedback_policy == "submit" or assignment.due_at is None or is_past_due(assignment, now)


def graded_answers(now: datetime | None = None) -> ColumnElement[bool]:
    """Responses whose verdict the student may see, as feedback_visible decides for their attempts: flashcards
    revealed but not yet self-graded have none, and answers to assignments that show feedback later count only
    once the policy allows. Every figure that counts a student's right answers must keep to these."""
    now = now or utcnow()
    held_back = (
        select(QuizItem.id)
        .join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id)
        .join(Assignment, Assignment.id == QuizAttempt.assignment_id)
        .where(QuizItem.id == Response.item_id, Assignment.feedback_policy != "each",
               or_(QuizAttempt.finished_at.is_(None),
                   and_(Assignment.feedback_policy == "due", Assignment.due_at.is_not(None),
                        Assignment.due_at >= now - GRACE)))
    )
    return and_(Response.given.is_not(None), ~exists(held_back))
