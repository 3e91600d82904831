"""Answers sent as JSON, checked and turned into the checkers' terms (as the answer forms do for pages)."""

from __future__ import annotations

from typing import Any

from quizapp.grading.checkers import numeric_refusal

MAX_TEXT = 500


class BadAnswer(ValueError):
    """The answer does not fit the question; the message says what was expected."""


def whole_number(value: Any) -> int | None:
    """A JSON number without a fraction (7 or 7.0, as JSON Schema's integer allows) as an int; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    return value if isinstance(value, int) else None


def _position(value: Any, order: list[int]) -> int:
    position = whole_number(value)
    if position is None or not 0 <= position < len(order):
        raise BadAnswer(f"a choice position from 0 to {len(order) - 1}")
    return order[position]


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadAnswer("a string")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise BadAnswer(f"at most {MAX_TEXT} characters")
    return text


def parse_answer(qtype: str, data: dict[str, Any], choice_order: list[int] | None, value: Any) -> Any:
    """The given answer for grading, or BadAnswer naming what the question type expects."""
    order = choice_order or []
    if qtype == "single_choice":
        return _position(value, order)
    if qtype == "multiple_response":
        if not isinstance(value, list):
            raise BadAnswer("a list of choice positions")
        picked = {_position(v, order) for v in value}
        if len(picked) != len(value):
            raise BadAnswer("a list of distinct choice positions")
        if not picked:
            raise BadAnswer("a list of at least one choice position")
        return sorted(picked)
    if qtype in ("true_false", "flashcard"):
        if not isinstance(value, bool):
            raise BadAnswer("true or false" if qtype == "true_false" else "true if you knew it, false if not")
        return value
    if qtype in ("numeric", "short_text"):
        text = _text(value)
        if not text:
            raise BadAnswer("a non-empty answer")
        refusal = numeric_refusal(text) if qtype == "numeric" else None
        if refusal:
            raise BadAnswer(f"a number that reads only one way. {refusal}")
        return text
    if qtype == "cloze":
        blanks = len(data["blanks"])
        if not isinstance(value, list) or len(value) != blanks:
            raise BadAnswer(f"a list of {blanks} strings, one per blank")
        typed = [_text(v) for v in value]
        if not any(typed):
            raise BadAnswer(f"a list of {blanks} strings, one per blank, at least one of them not empty")
        return typed
    raise BadAnswer(f"nothing: questions of type {qtype} cannot be answered here")
