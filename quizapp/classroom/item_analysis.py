"""Item analysis of an assignment, as Moodle's quiz statistics report defines it.

Facility index: the mean score on the item as a percentage of its maximum. Discrimination index: the
correlation between the score on the item and the score on the rest of the attempt. Both are computed
over the attempts the gradebook counts (one per student, by the assignment's grading policy).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.classroom.gradebook import attempt_scores, counted_attempt
from quizapp.models import Assignment, Question, QuestionRevision, QuizItem, Response

LOW_FACILITY, HIGH_FACILITY, LOW_DISCRIMINATION = 20.0, 95.0, 0.2
MIN_ATTEMPTS_FOR_DISCRIMINATION = 3


@dataclass
class ItemStatistics:
    question: Question
    revision: QuestionRevision
    attempts: int = 0
    scores: list[float] = field(default_factory=list)
    rest: list[float] = field(default_factory=list)
    options: Counter[int] = field(default_factory=Counter)
    unanswered: int = 0

    @property
    def facility(self) -> float | None:
        """Mean score as a percentage of the maximum (1 point per item)."""
        return round(100 * statistics.fmean(self.scores), 1) if self.scores else None

    @property
    def discrimination(self) -> float | None:
        """Pearson correlation of the item score with the rest-of-attempt score; None when undefined."""
        if len(self.scores) < MIN_ATTEMPTS_FOR_DISCRIMINATION:
            return None
        if statistics.pvariance(self.scores) == 0 or statistics.pvariance(self.rest) == 0:
            return None
        return round(statistics.correlation(self.scores, self.rest), 3)

    @property
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
        """For choice questions: each choice with how often it was picked and whether it is correct."""
        data = self.revision.data
        if "choices" not in data:
            return []
        return [(index, choice["text"], self.options[index], index in data["correct"])
                for index, choice in enumerate(data["choices"])]


def item_statistics(session: Session, assignment: Assignment) -> list[ItemStatistics]:
    """Per question of the assignment, over the counted attempts, flagged items first."""
    by_student: dict[int, list] = {}
    for score in attempt_scores(session, [assignment.id]):
        by_student.setdefault(score.user_id, []).append(score)
    counted = [counted_attempt(attempts, assignment.grading) for attempts in by_student.values()]
    attempt_ids = [a.attempt_id for a in counted if a is not None]
    totals = {a.attempt_id: a.points for a in counted if a is not None}
    if not attempt_ids:
        return []
    rows = session.execute(
        select(QuizItem, Response)
        .outerjoin(Response, Response.item_id == QuizItem.id)
        .where(QuizItem.attempt_id.in_(attempt_ids))
    ).all()
    stats: dict[int, ItemStatistics] = {}
    for item, response in rows:
        entry = stats.get(item.question_id)
        if entry is None:
            entry = stats[item.question_id] = ItemStatistics(item.question, item.revision)
        score = response.score if response is not None else 0.0
        entry.attempts += 1
        entry.scores.append(score)
        entry.rest.append(totals[item.attempt_id] - score)
        if response is None or response.given is None:
            entry.unanswered += 1
        elif isinstance(response.given, list) and "choices" in item.revision.data:
            entry.options.update(response.given)
        elif isinstance(response.given, int) and not isinstance(response.given, bool):
            entry.options[response.given] += 1
    return sorted(stats.values(), key=lambda s: (not s.flags, s.question.id))
