"""The registry of answer checkers keyed by question type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Grade:
    """The outcome of checking one answer: score is between 0 and 1."""

    correct: bool
    score: float
    message: str = ""
    parts: tuple[bool, ...] = field(default=())


Checker = Callable[[dict[str, Any], Any], Grade]
CHECKERS: dict[str, Checker] = {}


def register(question_type: str) -> Callable[[Checker], Checker]:
    """Register the checker for a question type."""

    def decorate(checker: Checker) -> Checker:
        CHECKERS[question_type] = checker
        return checker

    return decorate


def grade(question_type: str, data: dict[str, Any], given: Any) -> Grade:
    """Check an answer against a question's stored data."""
    try:
        checker = CHECKERS[question_type]
    except KeyError:
        raise ValueError(f"unknown question type {question_type!r}") from None
    return checker(data, given)
