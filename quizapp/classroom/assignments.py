"""Assignments: which questions each student gets, when they may answer, and when they see feedback."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from quizapp.classroom.gradebook import AttemptScore, attempt_scores, counted_attempt
from quizapp.classroom.membership import roster_ids
from quizapp.collation import folded
from quizapp.models import (
    Assignment,
    Classroom,
    Membership,
    Question,
    QuestionRevision,
    QuizAttempt,
    QuizItem,
    User,
)
from quizapp.models.content import is_current_revision
from quizapp.models.locks import write_lock
from quizapp.quiz.deadlines import (
    close_if_expired,
    closed_to_new_attempts,
    deadline_for,
    feedback_visible,
    late_at,
)
from quizapp.quiz.service import CHOICE_TYPES

FEEDBACK_POLICIES = {"each": "After each question", "submit": "After handing in", "due": "After the due date"}
LATE_POLICIES = {"refuse": "Refuse late work", "mark": "Accept late work and mark it late"}
GRADING_POLICIES = {"best": "Best attempt", "first": "First attempt", "last": "Last attempt"}
SELECTIONS = {"all": "The whole bank", "topics": "Some topics", "tags": "Some tags",
              "questions": "Hand-picked questions"}
# Self-graded flashcards show their answer to be graded, so an assignment draws only auto-graded questions.
GRADED_TYPES = ("single_choice", "multiple_response", "true_false", "numeric", "short_text", "cloze")


class AttemptRefused(Exception):
    """The student may not start (or go on with) an attempt; the message says why."""


def selected_questions(session: Session, assignment: Assignment) -> list[tuple[int, str, int, dict[str, Any]]]:
    """The active, auto-graded questions the assignment selects: (question id, type, revision id, data)."""
    query = (
        select(Question.id, Question.type, QuestionRevision.id, QuestionRevision.data, Question.topic, Question.tags)
        .join(QuestionRevision, is_current_revision())
        .where(Question.bank_id == assignment.bank_id, Question.retired_at.is_(None),
               Question.type.in_(GRADED_TYPES))
        .order_by(Question.id)
    )
    rows = session.execute(query).all()
    chosen = selection_test(assignment.selection, assignment.topics, assignment.tags, assignment.question_ids)
    return [(r[0], r[1], r[2], r[3]) for r in rows if chosen(r[0], r.topic, r.tags or [])]


def gradable_counts(session: Session, bank_ids: list[int]) -> dict[int, int]:
    """How many active questions an assignment could grade in each bank (banks with none are left out)."""
    if not bank_ids:
        return {}
    return dict(session.execute(
        select(Question.bank_id, func.count()).where(Question.bank_id.in_(bank_ids), Question.retired_at.is_(None),
                                                     Question.type.in_(GRADED_TYPES))
        .group_by(Question.bank_id)
    ).all())


def selection_test(selection: str, topics: list[str], tags: list[str],
                   question_ids: list[int]) -> Callable[[int, str, list[str]], bool]:
    """Whether a question (id, topic, tags) is in a selection: all, some topics, some tags or some questions."""
    if selection == "topics":
        wanted = set(topics or [])
        return lambda _qid, topic, _tags: topic in wanted
    if selection == "tags":
        wanted = set(tags or [])
        return lambda _qid, _topic, question_tags: bool(set(question_tags) & wanted)
    if selection == "questions":
        wanted = set(question_ids or [])
        return lambda qid, _topic, _tags: qid in wanted
    return lambda _qid, _topic, _tags: True


def holds_question(session: Session, assignment: Assignment, question: Question) -> bool:
    """Whether the question is one of the assignment's: drawn for an attempt at it, or in its selection now
    (as selected_questions chooses them)."""
    chosen = selection_test(assignment.selection, assignment.topics, assignment.tags, assignment.question_ids)
    if (question.bank_id == assignment.bank_id and question.retired_at is None and question.type in GRADED_TYPES
            and chosen(question.id, question.topic, question.tags or [])):
        return True
    drawn = select(QuizItem.id).join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id).where(
        QuizAttempt.assignment_id == assignment.id, QuizItem.question_id == question.id)
    return bool(session.scalar(select(drawn.exists())))


def drawn_for(session: Session, assignment: Assignment, user: User,
              previous: Sequence[QuizAttempt] = ()) -> list[tuple[int, str, int, dict[str, Any]]]:
    """The questions this student gets: the same ones on every attempt, different from student to student."""
    candidates = selected_questions(session, assignment)
    count = min(assignment.draw_count or len(candidates), len(candidates))
    by_id = {candidate[0]: candidate for candidate in candidates}
    # Those of the first attempt that are still selected, in its order: a question retired from the bank (or
    # left out of an edited selection) since then is the only one another takes the place of.
    first = sorted(previous[0].items, key=lambda item: item.position) if previous else []
    kept = [by_id[item.question_id] for item in first if item.question_id in by_id]
    taken = {candidate[0] for candidate in kept}
    # Then the rest in an order of this student's own, which a question added or retired does not reshuffle.
    rest = sorted((c for c in candidates if c[0] not in taken), key=lambda c: _draw_rank(assignment.id, user.id, c[0]))
    return (kept + rest)[:count]


def _draw_rank(assignment_id: int, user_id: int, question_id: int) -> bytes:
    return hashlib.sha256(f"assignment:{assignment_id}:student:{user_id}:question:{question_id}".encode()).digest()


def attempts_of(session: Session, assignment: Assignment, user: User) -> list[QuizAttempt]:
    """The student's attempts at the assignment, first first."""
    return list(session.scalars(
        select(QuizAttempt).where(QuizAttempt.assignment_id == assignment.id, QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.number)
    ))


def start_attempt(session: Session, assignment: Assignment, user: User, now: datetime) -> QuizAttempt:
    """Resume the student's open attempt, or start a new one if the assignment's rules allow."""
    _one_start_at_a_time(session, assignment, user)
    # Read the settings again, share-locked: an instructor's edit saved meanwhile gives this attempt its new
    # deadline, and one saved later waits for this start and then moves the attempt's deadline itself.
    session.refresh(assignment, with_for_update={"read": True})
    previous = attempts_of(session, assignment, user)
    for attempt in previous:
        close_if_expired(attempt, now)
        if attempt.finished_at is None:
            return attempt  # begun while it was open: a later opening date does not shut it
    if assignment.opens_at is not None and now < assignment.opens_at:
        raise AttemptRefused("This assignment is not open yet.")
    if closed_to_new_attempts(assignment, now):
        raise AttemptRefused("The due date has passed; this assignment no longer takes answers.")
    if assignment.attempt_limit is not None and len(previous) >= assignment.attempt_limit:
        raise AttemptRefused("You have used all your attempts at this assignment.")
    drawn = drawn_for(session, assignment, user, previous)
    if not drawn:
        raise AttemptRefused("This assignment has no questions to answer.")
    rng = random.Random()
    attempt = QuizAttempt(user_id=user.id, bank_id=assignment.bank_id, assignment_id=assignment.id,
                          number=len(previous) + 1, started_at=now, deadline_at=deadline_for(assignment, now))
    for position, (question_id, qtype, revision_id, data) in enumerate(drawn, start=1):
        order = list(range(len(data["choices"]))) if qtype in CHOICE_TYPES else None
        if order is not None and assignment.shuffle_choices and data.get("shuffle", True):
            rng.shuffle(order)
        attempt.items.append(QuizItem(position=position, question_id=question_id, revision_id=revision_id,
                                      choice_order=order))
    session.add(attempt)
    session.flush()
    return attempt


def _one_start_at_a_time(session: Session, assignment: Assignment, user: User) -> None:
    """Write-lock the student's membership row until the transaction ends.

    Two starts at once (a double click, two tabs) then run one after the other: the second finds the attempt
    the first opened and resumes it, instead of both finding none and opening two."""
    write_lock(session, Membership, Membership.classroom_id == assignment.classroom_id, Membership.user_id == user.id)


def student_assignments(session: Session, user: User, classroom_ids: list[int]) -> list[Assignment]:
    """Assignments in the given classes, soonest due first (those without a due date last)."""
    if not classroom_ids:
        return []
    return list(session.scalars(
        select(Assignment).where(Assignment.classroom_id.in_(classroom_ids))
        .order_by(Assignment.due_at.is_(None), Assignment.due_at, Assignment.id)
    ))


@dataclass(frozen=True)
class StudentTask:
    """An assignment as a student meets it: their attempts, and what they can do next."""

    assignment: Assignment
    attempts: list[QuizAttempt]
    step: str  # continue | start | again | not_open | used_up | closed
    # The score of each attempt handed in whose results the student may see, by attempt id.
    scores: dict[int, AttemptScore] = field(default_factory=dict)
    # The attempt the gradebook counts, once the results of every attempt handed in may be seen (before, naming
    # the best would tell how they compare).
    counted_id: int | None = None

    @property
    def open_attempt(self) -> QuizAttempt | None:
        """The attempt still under way, if any."""
        return next((a for a in self.attempts if a.finished_at is None), None)


_STEP_ORDER = {"continue": 0, "start": 0, "again": 0, "not_open": 1, "used_up": 2, "closed": 2}


def student_tasks(session: Session, user: User, classroom_ids: list[int],
                  now: datetime) -> tuple[list[StudentTask], bool]:
    """The student's assignments: those they can work on first, then those not open yet, then the finished
    ones, each group soonest due first; and whether any attempt whose time ran out was handed in on the way
    (then the caller commits), so that it shows as done."""
    assignments = student_assignments(session, user, classroom_ids)
    by_assignment: dict[int, list[QuizAttempt]] = {assignment.id: [] for assignment in assignments}
    for attempt in session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.assignment_id.in_(by_assignment))
        .order_by(QuizAttempt.number)
    ):
        by_assignment[attempt.assignment_id].append(attempt)
    closed = False
    for attempts in by_assignment.values():
        closed = any([close_if_expired(attempt, now) for attempt in attempts]) or closed
    scores: dict[int, list[AttemptScore]] = {}
    for score in attempt_scores(session, list(by_assignment), user.id, now):
        scores.setdefault(score.assignment_id, []).append(score)
    tasks = [_task(assignment, by_assignment[assignment.id], scores.get(assignment.id, []), now)
             for assignment in assignments]
    return sorted(tasks, key=lambda task: _STEP_ORDER[task.step]), closed


def _task(assignment: Assignment, attempts: list[QuizAttempt], scores: list[AttemptScore],
          now: datetime) -> StudentTask:
    handed_in = [attempt for attempt in attempts if attempt.finished_at is not None]
    shown = {attempt.id for attempt in handed_in if feedback_visible(attempt, now)}
    counted = counted_attempt(scores, assignment.grading) if len(shown) == len(handed_in) else None
    return StudentTask(assignment, attempts, _next_step(assignment, attempts, now),
                       {score.attempt_id: score for score in scores if score.attempt_id in shown},
                       counted.attempt_id if counted is not None else None)


def _next_step(assignment: Assignment, attempts: list[QuizAttempt], now: datetime) -> str:
    if any(a.finished_at is None for a in attempts):
        return "continue"
    if assignment.opens_at is not None and now < assignment.opens_at:
        return "not_open"
    if closed_to_new_attempts(assignment, now):
        return "closed"
    if assignment.attempt_limit is not None and len(attempts) >= assignment.attempt_limit:
        return "used_up"
    return "again" if attempts else "start"


def reschedule_open_attempts(session: Session, assignment: Assignment, now: datetime) -> int:
    """After an assignment's due date or time limit changed, give each attempt still under way the deadline it
    would have had under the new settings. Attempts handed in, or whose time ran out before the change, stay
    as they are (the latter are handed in now, as of their deadline). Returns how many changed."""
    changed = 0
    for attempt in session.scalars(select(QuizAttempt).where(QuizAttempt.assignment_id == assignment.id,
                                                             QuizAttempt.finished_at.is_(None))):
        if close_if_expired(attempt, now):
            continue
        deadline = deadline_for(assignment, attempt.started_at)
        if deadline != attempt.deadline_at:
            attempt.deadline_at, changed = deadline, changed + 1
    return changed


def remark_late_attempts(session: Session, assignment: Assignment) -> None:
    """After an assignment's due date changed, mark each handed-in attempt late or on time by the new one: an
    extension clears the mark of work handed in before it, as every page that shows the due date implies."""
    for attempt in session.scalars(select(QuizAttempt).where(QuizAttempt.assignment_id == assignment.id,
                                                             QuizAttempt.finished_at.is_not(None))):
        attempt.is_late = late_at(assignment.due_at, attempt.finished_at)


def title_taken(session: Session, classroom_id: int, title: str, other_than: int | None = None) -> Assignment | None:
    """The class's assignment of that title (any case), besides the one being edited; the class's row stays
    write-locked, so that a form sent twice at once is checked one send after the other."""
    write_lock(session, Classroom, Classroom.id == classroom_id)
    others = session.scalars(select(Assignment).where(
        Assignment.classroom_id == classroom_id, Assignment.id != (other_than or 0)).order_by(Assignment.id))
    return next((assignment for assignment in others if folded(assignment.title) == folded(title)), None)


def attempt_counts(session: Session, assignment: Assignment) -> dict[int, int]:
    """Attempts per student at the assignment."""
    rows = session.execute(
        select(QuizAttempt.user_id, func.count()).where(QuizAttempt.assignment_id == assignment.id)
        .group_by(QuizAttempt.user_id)
    )
    return dict(rows.all())


def students_started(session: Session, assignment: Assignment) -> tuple[int, int]:
    """How many students on the class's roster have started the assignment, and how many who had and have been
    taken off it since (their work is kept, but the gradebook lists the roster only)."""
    started = set(session.scalars(select(QuizAttempt.user_id).distinct().where(
        QuizAttempt.assignment_id == assignment.id)))
    roster = roster_ids(session, assignment.classroom_id)
    return len(started & roster), len(started - roster)


def delete_assignment(session: Session, assignment_id: int) -> None:
    """Delete an assignment; the schema's cascades take every attempt at it, their items and answers.

    One statement, not a row loaded then deleted: of two sends at once (a double click), the second finds
    nothing left to delete instead of deleting a row gone meanwhile."""
    session.execute(delete(Assignment).where(Assignment.id == assignment_id))
