"""Checkers for each question type.

`data` is a question revision's stored content (see quizapp.banks.schema);
`given` is the answer as the answer form hands it over: choice indexes into
data["choices"], a bool, a string, or a list of strings for cloze blanks.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from quizapp.grading.normalize import hedged, normalize_text, parse_number, unit_accepted
from quizapp.grading.registry import Grade, register

_EPSILON = 1e-9


def _is_choice(data: dict[str, Any], given: Any) -> bool:
    """Whether a given value is the index of one of the question's choices (True is not 1 here)."""
    return isinstance(given, int) and not isinstance(given, bool) and 0 <= given < len(data["choices"])


@register("single_choice")
def check_single_choice(data: dict[str, Any], given: Any) -> Grade:
    """Right if the one choice given is the correct one."""
    correct = _is_choice(data, given) and given in data["correct"]
    return Grade(correct, 1.0 if correct else 0.0)


@register("multiple_response")
def check_multiple_response(data: dict[str, Any], given: Any) -> Grade:
    """Right only for exactly the correct choices; otherwise each correct one picked earns a share of the point and
    each wrong one costs a share, never below 0."""
    # Values that are not choice indexes are not choices picked: they neither earn nor cost points.
    picked = {i for i in given if _is_choice(data, i)} if isinstance(given, list | tuple | set) else set()
    expected = set(data["correct"])
    wrong_choices = len(data["choices"]) - len(expected)
    gained = len(picked & expected) / len(expected)
    lost = len(picked - expected) / wrong_choices if wrong_choices else 0.0
    score = max(0.0, gained - lost)
    correct = picked == expected
    return Grade(correct, 1.0 if correct else round(score, 4))


@register("true_false")
def check_true_false(data: dict[str, Any], given: Any) -> Grade:
    """Right if the answer matches."""
    correct = isinstance(given, bool) and given is data["answer"]
    return Grade(correct, 1.0 if correct else 0.0)


def numeric_refusal(given: str) -> str | None:
    """Why a typed number is handed back ungraded (it reads two ways), or None when it can be graded."""
    parsed = parse_number(given)
    if parsed is None or not parsed.readings:
        return None
    # Guessing which reading was meant would grade some students on a number they did not mean; the readings
    # depend on the text alone, so asking again says nothing about the key.
    whole, decimal = parsed.readings
    return (f"Did you mean {whole} or {decimal}? “{given.strip()}” could be either, so it has not been graded. "
            "Type the number again without a thousands separator.")


@register("numeric")
def check_numeric(data: dict[str, Any], given: Any) -> Grade:
    """Right if the number, in an accepted unit, is within the tolerance."""
    parsed = parse_number(given) if isinstance(given, str) else None
    if parsed is None:
        return Grade(False, 0.0, "That is not a number.")
    unit = data.get("unit") or ""
    if not unit_accepted(parsed.unit, unit, tuple(data.get("unit_aliases") or ())):
        expected = f"; the answer is in {unit}" if unit else ""
        return Grade(False, 0.0, f"The unit “{parsed.unit}” was not understood{expected}.")
    correct = abs(parsed.value - float(data["answer"])) <= float(data.get("tolerance") or 0) + _EPSILON
    return Grade(correct, 1.0 if correct else 0.0)


def text_matches(given: str, accepted: list[str]) -> bool:
    """Whether a typed answer equals any accepted variant once normalised."""
    typed = normalize_text(given)
    if typed:
        return any(typed == normalize_text(variant) for variant in accepted)
    # Normalising keeps letters and digits only: an answer without any ("%", a CJK radical such as ⺮) would match
    # nothing, so it is compared as written, less case and spacing.
    bare = _as_written(given)
    return bool(bare) and any(not normalize_text(variant) and bare == _as_written(variant) for variant in accepted)


def _as_written(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@register("short_text")
def check_short_text(data: dict[str, Any], given: Any) -> Grade:
    """Right if the text matches an accepted answer, ignoring case, accents, punctuation and a leading article."""
    correct = isinstance(given, str) and text_matches(given, data["answers"])
    return Grade(correct, 1.0 if correct else 0.0)


def _blank_matches(given: str, accepted: list[str]) -> bool:
    expected_number = parse_number(accepted[0])
    if expected_number is not None and not expected_number.unit:
        # A blank takes the number itself: it has no tolerance for "about 98" to be judged by.
        typed = None if hedged(given) else parse_number(given)
        if typed is not None and not typed.unit:
            return any(
                (number := parse_number(a)) is not None and abs(number.value - typed.value) <= _EPSILON
                for a in accepted
            )
    return text_matches(given, accepted)


@register("cloze")
def check_cloze(data: dict[str, Any], given: Any) -> Grade:
    """Each blank graded on its own; the score is the share right."""
    blanks: list[list[str]] = data["blanks"]
    answers = list(given) if isinstance(given, list | tuple) else []
    answers += [""] * (len(blanks) - len(answers))
    parts = tuple(isinstance(a, str) and _blank_matches(a, b) for a, b in zip(answers, blanks, strict=False))
    score = sum(parts) / len(blanks)
    return Grade(all(parts), round(score, 4), parts=parts)


@register("flashcard")
def check_flashcard(data: dict[str, Any], given: Any) -> Grade:
    """Flashcards are graded by the student; nothing to check."""
    knew = given == "knew"
    return Grade(knew, 1.0 if knew else 0.0)
