"""What students typed to numeric, short-text and cloze questions, grouped and counted for item statistics.

Answers that differ only in case and spacing are one answer, and so are numbers graded as the same number ("29",
"29%"); each is shown as most of its students typed it. An answer is never grouped with one graded otherwise.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from quizapp.grading import grade
from quizapp.grading.normalize import parse_number, unit_accepted
from quizapp.quiz.present import correct_answer

TYPED_TYPES = frozenset({"numeric", "short_text", "cloze"})
SHOWN_ANSWERS = 5  # on the statistics page, beside every other item's
ALL_ANSWERS = 50  # on the question's own page: enough for the rare ones, not so many that the page scrolls on
RIGHT, PARTLY, WRONG = "right", "partly right", "wrong"


@dataclass(frozen=True)
class TypedAnswer:
    text: str  # as most of the students who gave it typed it ("" for a cloze blank left empty)
    count: int
    verdict: str  # RIGHT, PARTLY or WRONG


@dataclass(frozen=True)
class AnswerTable:
    """The most common answers to a typed question, or to one blank of a cloze, most frequent first."""

    blank: int | None  # the blank's number, from 1; None for a numeric or short-text answer
    blanks: int
    key: str  # the right answer, as the other pages show it
    rows: list[TypedAnswer]
    other_answers: int  # answers past those shown, and how many students gave them
    other_students: int


@dataclass
class _Group:
    verdict: str
    spellings: Counter[str] = field(default_factory=Counter)


class AnswerTally:
    """The answers given to one version of a typed question, grouped as they are added."""

    def __init__(self, qtype: str, data: dict[str, Any]) -> None:
        self.qtype, self.data = qtype, data
        self._places = len(data["blanks"]) if qtype == "cloze" else 1
        # Insertion order breaks ties in frequency: the answer given first comes first.
        self._groups: list[dict[tuple[Any, ...], _Group]] = [{} for _ in range(self._places)]
        self._blank_verdicts: dict[tuple[str, ...], tuple[bool, ...]] = {}

    def add(self, given: Any, correct: bool, score: float) -> None:
        """Count one recorded answer, with the verdict and score it was recorded with."""
        if self.qtype == "cloze":
            typed = [text if isinstance(text, str) else "" for text in (given if isinstance(given, list) else [])]
            typed += [""] * (self._places - len(typed))
            parts = self._blank_parts(tuple(typed[:self._places]))
            for place, (text, right) in enumerate(zip(typed, parts, strict=False)):
                self._count(place, text, RIGHT if right else WRONG)
        elif isinstance(given, str):
            self._count(0, given, RIGHT if correct else PARTLY if score > 0 else WRONG)

    def tables(self, limit: int = SHOWN_ANSWERS) -> list[AnswerTable]:
        """One table per blank (or one for the answer), each with its `limit` most common answers."""
        tables = []
        for place, groups in enumerate(self._groups):
            if not groups:
                continue
            answers = sorted((TypedAnswer(group.spellings.most_common(1)[0][0], group.spellings.total(), group.verdict)
                              for group in groups.values()), key=lambda answer: -answer.count)
            rest = answers[limit:]
            cloze = self.qtype == "cloze"
            key = self.data["blanks"][place][0] if cloze else correct_answer(self.qtype, self.data)
            tables.append(AnswerTable(place + 1 if cloze else None, self._places, key, answers[:limit], len(rest),
                                      sum(answer.count for answer in rest)))
        return tables

    def _count(self, place: int, text: str, verdict: str) -> None:
        spelling = text.strip()
        group = self._groups[place].setdefault((verdict, *self._grouping_key(spelling)), _Group(verdict))
        group.spellings[spelling] += 1

    def _grouping_key(self, text: str) -> tuple[Any, ...]:
        if self.qtype == "numeric":
            parsed = parse_number(text)
            # The number as graded, when its unit was understood; otherwise the text, as for other answers.
            if parsed is not None and unit_accepted(parsed.unit, self.data.get("unit") or "",
                                                    tuple(self.data.get("unit_aliases") or ())):
                return ("number", parsed.value)
        return ("text", " ".join(unicodedata.normalize("NFC", text).casefold().split()))

    def _blank_parts(self, typed: tuple[str, ...]) -> tuple[bool, ...]:
        # Only the whole answer's verdict is stored: each blank's is worked out again, once per distinct answer.
        if typed not in self._blank_verdicts:
            self._blank_verdicts[typed] = grade("cloze", self.data, list(typed)).parts
        return self._blank_verdicts[typed]
