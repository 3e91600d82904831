"""Item analysis of an assignment, as Moodle's quiz statistics report defines it.

Facility index: the mean score on the item as a percentage of its maximum. Discrimination index: the
correlation between the score on the item and the score on the rest of the attempt. Both are computed
over the attempts the gradebook counts (one per student of the class, by the assignment's grading policy),
for each version of a question apart: a bank updated while students answered may have reordered, added or
changed its choices. Beside them, how often each choice (or True and False) was picked, or the answers most
often typed.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.classroom.gradebook import attempt_scores, counted_attempt
from quizapp.classroom.membership import roster_ids
from quizapp.classroom.typed_answers import ALL_ANSWERS, TYPED_TYPES, AnswerTable, AnswerTally
from quizapp.figures import rounded_correlation, rounded_percent
from quizapp.models import Assignment, Question, QuestionRevision, QuizItem, Response

LOW_FACILITY, HIGH_FACILITY, LOW_DISCRIMINATION = 20.0, 95.0, 0.2
MIN_ATTEMPTS_FOR_DISCRIMINATION = 3
# A true/false question's two answers, as its quiz page offers them: counted as the choices of a choice question.
TRUE_FALSE = ((True, "True"), (False, "False"))


@dataclass
class ItemStatistics:
    question: Question
    revision: QuestionRevision
    attempts: int = 0
    scores: list[float] = field(default_factory=list)
    rest: list[float] = field(default_factory=list)
    options: Counter[int] = field(default_factory=Counter)
    unanswered: int = 0
    typed: AnswerTally | None = None  # for numeric, short-text and cloze questions
    # Whether students answered more than one version of this question (each has its own statistics).
    several_versions: bool = False

    # Worked out once, when item_statistics has gathered every attempt: the page reads each several times.
    @cached_property
    def facility(self) -> float | None:
        """Mean score as a percentage of the maximum (1 point per item)."""
        return rounded_percent(100 * statistics.fmean(self.scores)) if self.scores else None

    @cached_property
    def discrimination(self) -> float | None:
        """Pearson correlation of the item score with the rest-of-attempt score; None when undefined."""
        if len(self.scores) < MIN_ATTEMPTS_FOR_DISCRIMINATION:
            return None
        # A constant series has no correlation; comparing values is exact where a variance of floats is slow.
        if len(set(self.scores)) == 1 or len(set(self.rest)) == 1:
            return None
        return rounded_correlation(statistics.correlation(self.scores, self.rest))

    @cached_property
    def no_discrimination(self) -> str | None:
        """Why the discrimination is not shown, in words; None when it is."""
        if self.discrimination is not None:
            return None
        if len(self.scores) < MIN_ATTEMPTS_FOR_DISCRIMINATION:
            return f"shown from {MIN_ATTEMPTS_FOR_DISCRIMINATION} attempts"
        if len(set(self.scores)) == 1:
            return "every attempt scored the same on this item"
        return "every attempt scored the same on the rest of the attempt"

    @cached_property
    def flags(self) -> list[str]:
        """Why the item deserves a look, in words."""
        reasons = []
        if self.facility is not None and self.facility < LOW_FACILITY:
            reasons.append(f"very hard (facility under {LOW_FACILITY:.0f}%)")
        if self.facility is not None and self.facility > HIGH_FACILITY:
            reasons.append(f"very easy (facility over {HIGH_FACILITY:.0f}%)")
        if self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION:
            reasons.append(f"weak discrimination (under {LOW_DISCRIMINATION})")
        return reasons

    def option_rows(self) -> list[tuple[int, str, int, bool]]:
        """For choice and true/false questions: each choice with how often it was picked and whether it is correct."""
        data = self.revision.data
        if self.question.type == "true_false":
            return [(index, text, self.options[index], data["answer"] == value)
                    for index, (value, text) in enumerate(TRUE_FALSE)]
        if "choices" not in data:
            return []
        return [(index, choice["text"], self.options[index], index in data["correct"])
                for index, choice in enumerate(data["choices"])]

    def answer_tables(self) -> list[AnswerTable]:
        """For typed answers: the most common ones, per blank of a cloze, with how often each was given."""
        return self.typed.tables() if self.typed is not None else []


def counted_attempts(session: Session, assignment: Assignment) -> dict[int, float]:
    """The attempts the gradebook counts at the assignment, one per student of the class, with their points."""
    # The class's students only, as in the gradebook: those taken off the roster keep their work but leave
    # both reports.
    students = roster_ids(session, assignment.classroom_id)
    by_student: dict[int, list] = {}
    for score in attempt_scores(session, [assignment.id]):
        if score.user_id in students:
            by_student.setdefault(score.user_id, []).append(score)
    counted = (counted_attempt(attempts, assignment.grading) for attempts in by_student.values())
    return {a.attempt_id: a.points for a in counted if a is not None}


def item_statistics(session: Session, assignment: Assignment) -> list[ItemStatistics]:
    """Per question (and version of it) of the assignment, over the counted attempts, flagged items first."""
    totals = counted_attempts(session, assignment)
    if not totals:
        return []
    # Plain columns for the items and answers, of which a large class has thousands; each question and revision
    # is then read once.
    rows = session.execute(
        select(QuizItem.attempt_id, QuizItem.question_id, QuizItem.revision_id, Response.id, Response.score,
               Response.given, Response.is_correct)
        .outerjoin(Response, Response.item_id == QuizItem.id)
        .where(QuizItem.attempt_id.in_(list(totals)))
        .order_by(QuizItem.id)
    ).all()
    # Answers are kept as indexes into the choices of the version shown, so each version is counted apart.
    versions: dict[int, int] = {row.revision_id: row.question_id for row in rows}
    questions = {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(set(versions.values()))))}
    revisions = {r.id: r for r in session.scalars(select(QuestionRevision).where(QuestionRevision.id.in_(versions)))}
    stats = {revision_id: ItemStatistics(questions[question_id], revisions[revision_id])
             for revision_id, question_id in versions.items()}
    per_question = Counter(versions.values())
    for entry in stats.values():
        entry.several_versions = per_question[entry.question.id] > 1
        if entry.question.type in TYPED_TYPES:
            entry.typed = AnswerTally(entry.question.type, entry.revision.data)
    for attempt_id, _question_id, revision_id, response_id, score, given, correct in rows:
        entry, score = stats[revision_id], score if response_id is not None else 0.0
        entry.attempts += 1
        entry.scores.append(score)
        entry.rest.append(totals[attempt_id] - score)
        if response_id is None or given is None:
            entry.unanswered += 1
        elif entry.typed is not None:
            entry.typed.add(given, correct, score)
        elif entry.question.type == "true_false":
            entry.options[0 if given else 1] += 1  # the answer's index in TRUE_FALSE
        elif isinstance(given, list) and "choices" in entry.revision.data:
            entry.options.update(given)
        elif isinstance(given, int) and not isinstance(given, bool):
            entry.options[given] += 1
    return sorted(stats.values(), key=lambda s: (not s.flags, s.question.id, s.revision.number))


def typed_answers(session: Session, assignment: Assignment, qtype: str,
                  revision: QuestionRevision) -> list[AnswerTable] | None:
    """The answers typed to one version of a question, over the same attempts as its statistics, the most common
    first (up to ALL_ANSWERS of them); None for a question whose answers are not typed."""
    if qtype not in TYPED_TYPES:
        return None
    attempt_ids = counted_attempts(session, assignment)
    if not attempt_ids:
        return []
    # Only this version's answers, in the order item_statistics adds them: the first given wins a tie.
    rows = session.execute(
        select(Response.given, Response.is_correct, Response.score)
        .join(QuizItem, QuizItem.id == Response.item_id)
        .where(QuizItem.attempt_id.in_(list(attempt_ids)), QuizItem.revision_id == revision.id,
               Response.given.is_not(None))
        .order_by(QuizItem.id)
    )
    tally = AnswerTally(qtype, revision.data)
    for given, correct, score in rows:
        tally.add(given, correct, score)
    return tally.tables(ALL_ANSWERS)
