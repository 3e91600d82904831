"""The gift-pegjs test suite: each X.gift against the expected parse in X.json, compared by meaning.

gift-pegjs writes weights as percents (null when none is given) and marks
correctness by the sign used (`=` or `~`); Moodle, and we, keep a fraction.
Both are turned into the same plain description before comparing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from quizapp.formats.conformance import Suite
from quizapp.formats.conformance.compare import close, fold, text_pair
from quizapp.formats.gift import read_gift
from quizapp.formats.model import Item

_TYPES = {"multichoice": "MC", "shortanswer": "Short", "truefalse": "TF", "numerical": "Numerical",
          "essay": "Essay", "match": "Matching", "description": "Description", "category": "Category"}


def _text(value: dict[str, str] | None) -> tuple[str, str] | None:
    if not value or not str(value.get("text", "")).strip():
        return None
    return value["format"], fold(value["text"])


def _fraction(choice: dict[str, Any], default_right: float) -> float:
    if choice.get("weight") is not None:
        return choice["weight"] / 100
    return default_right if choice.get("isCorrect") else 0.0


def _number(value: dict[str, Any]) -> tuple[float, float]:
    if value.get("type") == "high-low":
        low, high = value["numberLow"], value["numberHigh"]
        return (low + high) / 2, (high - low) / 2
    return value["number"], value.get("range", 0)


def expected_meaning(entry: dict[str, Any]) -> dict[str, Any]:
    """A gift-pegjs item as the plain values we compare."""
    kind = entry["type"]
    if kind == "Category":
        return {"type": kind, "title": fold(entry["title"])}
    meaning: dict[str, Any] = {
        "type": kind, "title": entry.get("title"), "id": entry.get("id"), "tags": entry.get("tags") or [],
        "stem": _text(entry.get("stem")), "embedded": bool(entry.get("hasEmbeddedAnswers")),
        "feedback": _text(entry.get("globalFeedback")),
    }
    if kind == "MC":
        meaning["answers"] = [(_text(c["text"]), _fraction(c, 1.0), _text(c.get("feedback"))) for c in entry["choices"]]
    elif kind == "Short":
        meaning["answers"] = [(fold(c["text"]["text"]), _fraction(c, 1.0), _text(c.get("feedback")))
                              for c in entry["choices"]]
    elif kind == "TF":
        meaning.update(correct=entry["isTrue"], true=_text(entry.get("trueFeedback")),
                       false=_text(entry.get("falseFeedback")))
    elif kind == "Numerical":
        choices = entry["choices"] if isinstance(entry["choices"], list) else [
            {"isCorrect": True, "weight": None, "text": entry["choices"], "feedback": None}]
        answers = []
        for choice in choices:
            if "type" in choice["text"]:
                number, tolerance = _number(choice["text"])
                answers.append((float(number), float(tolerance), _fraction(choice, 1.0), _text(choice.get("feedback"))))
            else:
                answers.append(("*", None, _fraction(choice, 1.0), _text(choice.get("feedback"))))
        meaning["answers"] = answers
    elif kind == "Matching":
        meaning["pairs"] = [(_text(p["subquestion"]), fold(p["subanswer"])) for p in entry["matchPairs"]]
    return meaning


def our_meaning(item: Item) -> dict[str, Any]:
    """One of our items as the same plain values."""
    kind = _TYPES.get(item.qtype, item.qtype)
    if kind == "Category":
        return {"type": kind, "title": fold(item.category)}
    meaning: dict[str, Any] = {
        "type": kind, "title": item.name or None, "id": item.idnumber or None, "tags": item.tags,
        "stem": text_pair(item.text), "embedded": item.embedded, "feedback": text_pair(item.general_feedback),
    }
    if kind == "MC":
        meaning["answers"] = [(text_pair(a.text), a.fraction, text_pair(a.feedback)) for a in item.answers]
    elif kind == "Short":
        meaning["answers"] = [(fold(a.text.text), a.fraction, text_pair(a.feedback)) for a in item.answers]
    elif kind == "TF":
        meaning.update(correct=item.correct, true=text_pair(item.feedback_true), false=text_pair(item.feedback_false))
    elif kind == "Numerical":
        meaning["answers"] = [
            ("*", None, a.fraction, text_pair(a.feedback)) if a.text.text == "*"
            else (float(a.text.text), float(a.tolerance or 0), a.fraction, text_pair(a.feedback))
            for a in item.answers]
    elif kind == "Matching":
        meaning["pairs"] = [(text_pair(left), fold(right)) for left, right in item.pairs]
    return meaning


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and close(float(a), float(b))
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def compare_case(gift_text: str, expected: list[dict[str, Any]]) -> str:
    """'' when the parse means what the JSON says, else the first difference."""
    parsed = read_gift(gift_text)
    if parsed.problems:
        return f"problems: {parsed.problems}"
    if len(parsed.items) != len(expected):
        return f"expected {len(expected)} items, got {len(parsed.items)}"
    for number, (item, entry) in enumerate(zip(parsed.items, expected, strict=True), start=1):
        ours, theirs = our_meaning(item), expected_meaning(entry)
        for key in theirs:
            if not _same(theirs[key], ours.get(key)):
                return f"item {number}, {key}: expected {theirs[key]!r}, got {ours.get(key)!r}"
    return ""


def run(shared: Path) -> Suite:
    """Every gift-pegjs case (a .gift file with its .json)."""
    suite = Suite("gift-pegjs", "cases", minimum=0.95)
    folder = shared / "gift" / "peer-gift-pegjs" / "questions"
    for gift_path in sorted(folder.glob("*.gift")):
        expected = json.loads(gift_path.with_suffix(".json").read_text(encoding="utf-8"))
        problem = compare_case(gift_path.read_text(encoding="utf-8"), expected)
        suite.check(gift_path.stem, not problem, problem)
    return suite
