"""Compare parsed items by meaning: folded white space, fractions to 1e-6, formats by name."""

from __future__ import annotations

import re
from typing import Any

from quizapp.formats.model import Item, Text

_BLANK = re.compile(r"\s*_____\s*")


def fold(text: str) -> str:
    """Runs of white space as one space, and none needed around a missing-word blank."""
    return " ".join(_BLANK.sub(" _____ ", text).split())


def text_pair(text: Text | None) -> tuple[str, str] | None:
    """A text as (format, folded text), or None when empty."""
    if text is None or not text.text.strip():
        return None
    return text.format, fold(text.text)


def close(a: float | None, b: float | None) -> bool:
    """Two numbers equal to 1e-6 (None only equals None)."""
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-6


def differences(expected: dict[str, Any], item: Item) -> list[str]:
    """What differs between an item and the expected fields (only the fields given are compared)."""
    found = describe(item)
    problems = []
    for key, value in expected.items():
        have = found.get(key)
        if not _same(value, have):
            problems.append(f"{key}: expected {value!r}, got {have!r}")
    return problems


def _same(expected: Any, have: Any) -> bool:
    if isinstance(expected, float) or isinstance(have, float):
        return isinstance(expected, int | float) and isinstance(have, int | float) and close(expected, have)
    if isinstance(expected, list | tuple) and isinstance(have, list | tuple):
        return len(expected) == len(have) and all(_same(e, h) for e, h in zip(expected, have, strict=True))
    if isinstance(expected, str) and isinstance(have, str):
        return fold(expected) == fold(have)
    return expected == have


def describe(item: Item) -> dict[str, Any]:
    """The meaning of an item as plain values: type, name, texts as (format, text), answers as tuples."""
    return {
        "qtype": item.qtype, "name": item.name, "text": (item.text.format, item.text.text),
        "general_feedback": (item.general_feedback.format, item.general_feedback.text),
        "answers": [(a.text.format, a.text.text, a.fraction, a.feedback.format, a.feedback.text) for a in item.answers],
        "answer_texts": [(a.text.text, a.fraction, a.feedback.text) for a in item.answers],
        "tolerances": [a.tolerance for a in item.answers],
        "single": item.single, "shuffle": item.shuffle, "correct": item.correct,
        "feedback_true": (item.feedback_true.format, item.feedback_true.text),
        "feedback_false": (item.feedback_false.format, item.feedback_false.text),
        "pairs": [(left.format, left.text, right) for left, right in item.pairs],
        "idnumber": item.idnumber, "tags": list(item.tags), "category": item.category,
        "embedded": item.embedded,
    }
