"""The gradebook: each student's counted attempt at each assignment of a class."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.classroom.membership import members
from quizapp.figures import percent_of
from quizapp.models import STUDENT, Assignment, Classroom, QuizAttempt, QuizItem, Response, User
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import closed_to_new_attempts, lapsed, late_at


@dataclass(frozen=True)
class AttemptScore:
    attempt_id: int
    user_id: int
    assignment_id: int
    number: int
    started_at: datetime
    finished_at: datetime | None
    is_late: bool
    points: float
    possible: int

    @property
    def percent(self) -> float:
        """The attempt's score as a percentage of what it could earn, with one decimal, halves up."""
        return percent_of(self.points, self.possible)


@dataclass
class Cell:
    """One student at one assignment: every attempt, and the one that counts under the grading policy."""

    attempts: list[AttemptScore] = field(default_factory=list)
    counted: AttemptScore | None = None


@dataclass
class Gradebook:
    classroom: Classroom
    students: list[User]
    assignments: list[Assignment]
    cells: dict[tuple[int, int], Cell]
    built_at: datetime  # the moment the book stands at: whether an assignment still takes attempts

    def cell(self, user_id: int, assignment_id: int) -> Cell:
        """A student's attempts at an assignment and the one that counts."""
        return self.cells.get((user_id, assignment_id)) or Cell()

    def standing(self, user_id: int, assignment: Assignment) -> str:
        """Where the student stands at the assignment, one of STANDINGS."""
        return standing(self.cell(user_id, assignment.id), assignment, self.built_at)


# Where a student stands at an assignment: the exports give these words, the gradebook pages say them.
STANDINGS = ("handed_in", "in_progress", "missed", "not_started")


def standing(cell: Cell, assignment: Assignment, now: datetime) -> str:
    """One of STANDINGS: an attempt handed in, one begun, none and none possible any more, or none yet."""
    if cell.counted is not None:
        return "handed_in"
    if cell.attempts:
        return "in_progress"
    return "missed" if closed_to_new_attempts(assignment, now) else "not_started"


def counted_attempt(attempts: list[AttemptScore], grading: str) -> AttemptScore | None:
    """The handed-in attempt that counts: the best (by percentage), the first or the last."""
    done = [a for a in attempts if a.finished_at is not None]
    if not done:
        return None
    if grading == "first":
        return min(done, key=lambda a: a.number)
    if grading == "last":
        return max(done, key=lambda a: a.number)
    # By share of the maximum, not points: attempts may hold different numbers of questions when the
    # assignment's selection or draw changed between them (or the bank gained questions).
    return max(done, key=lambda a: (a.points / a.possible if a.possible else 0.0, -a.number))


def attempt_scores(session: Session, assignment_ids: list[int], user_id: int | None = None,
                   now: datetime | None = None) -> list[AttemptScore]:
    """Points and possible points of every attempt at the given assignments (unanswered items score 0). An
    attempt whose time ran out while nobody had it open counts as handed in at its deadline, as it would be
    the moment its student came back (late, if that deadline is past the due time)."""
    if not assignment_ids:
        return []
    now = now or utcnow()
    query = (
        select(QuizAttempt.id, QuizAttempt.user_id, QuizAttempt.assignment_id, QuizAttempt.number,
               QuizAttempt.started_at, QuizAttempt.finished_at, QuizAttempt.is_late,
               func.coalesce(func.sum(Response.score), 0.0), func.count(QuizItem.id),
               QuizAttempt.deadline_at, Assignment.due_at)
        .join(Assignment, Assignment.id == QuizAttempt.assignment_id)
        .join(QuizItem, QuizItem.attempt_id == QuizAttempt.id)
        .outerjoin(Response, Response.item_id == QuizItem.id)
        .where(QuizAttempt.assignment_id.in_(assignment_ids))
        .group_by(QuizAttempt.id, Assignment.due_at)
        .order_by(QuizAttempt.assignment_id, QuizAttempt.user_id, QuizAttempt.number)
    )
    if user_id is not None:
        query = query.where(QuizAttempt.user_id == user_id)
    scores = []
    for row in session.execute(query):
        finished_at, is_late, deadline_at, due_at = row[5], row[6], row[9], row[10]
        if lapsed(finished_at, deadline_at, now):
            finished_at, is_late = deadline_at, late_at(due_at, deadline_at)
        scores.append(AttemptScore(*row[:5], finished_at, is_late, round(float(row[7]), 4), int(row[8])))
    return scores


def build_gradebook(session: Session, classroom: Classroom) -> Gradebook:
    """Students (by name) by assignments (in order set), each cell with its counted attempt."""
    students = members(session, classroom, STUDENT)
    assignments = list(classroom.assignments)
    policies = {a.id: a.grading for a in assignments}
    cells: dict[tuple[int, int], Cell] = {}
    for score in attempt_scores(session, list(policies)):
        cells.setdefault((score.user_id, score.assignment_id), Cell()).attempts.append(score)
    for (_user_id, assignment_id), cell in cells.items():
        cell.counted = counted_attempt(cell.attempts, policies[assignment_id])
    return Gradebook(classroom, students, assignments, cells, utcnow())
