"""Hostile and broken bank files found by the property tests, kept as plain cases: each a clear problem, fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quizapp.banks.checker import check_paths
from quizapp.banks.schema import CLOZE_BLANK
from quizapp.grading import grade
from quizapp.grading.normalize import parse_number
from tests.conftest import QUESTIONS
from tests.fuzzing import bomb, cached_catalogue, deep

HEAD = "bank: {id: hostile, title: Hostile}\nquestions:\n"
COMMON = "explanation: E, topic: T, difficulty: recall, source: {document: osw-2022, quote: the Basic Law}"


def question(fields: str) -> str:
    return HEAD + f"- {{id: q, {fields}, {COMMON}}}\n"


# Each case: the whole file, the line of the problem, and a fragment of its message.
CASES = {
    "impossible date": (HEAD + "- {id: q, topic: 2022-13-45}\n", 3, "cannot read this timestamp value"),
    "bad bool tag": (HEAD + "- {id: q, shuffle: !!bool maybe}\n", 3, "cannot read this bool value"),
    "mapping tag on a list": ("!!map [1]\n", 1, "expected a mapping, but found sequence"),
    "python tag": (HEAD + "- !!python/object:os.system {}\n", 3, "could not determine a constructor"),
    "deep nesting": (deep(5000, "flow"), 2, "nested more than 40 levels deep"),
    "deep block nesting": (deep(100, "block"), 42, "nested more than 40 levels deep"),
    "billion laughs": (bomb(9, 10), 6, "aliases expand to far more than a bank could hold"),
    "recursive alias": (HEAD + "- &q {id: q, type: flashcard, front: *q, back: b}\n", 3,
                        "alias *q refers to a structure that contains it"),
    "huge integer": (question("type: numeric, prompt: P, answer: " + "9" * 5000), 3, "integer longer than 100 digits"),
    "huge hex integer": (question("type: numeric, prompt: P, answer: 0x" + "f" * 100), 3,
                         "integer longer than 100 digits"),
    "NUL escape": (question('type: short_text, prompt: "P\\0", answers: [a]'), 3, "NUL character"),
    "surrogate escape": (question('type: short_text, prompt: "P\\ud800", answers: [a]'), 3, "lone surrogate"),
    "not a number": (question("type: numeric, prompt: P, answer: .nan"), 3,
                     "answer: must be a finite number (got nan)"),
    "overflowing float": (question("type: numeric, prompt: P, answer: 1.0e+400"), 3, "must be a finite number"),
    "infinite tolerance": (question("type: numeric, prompt: P, answer: 1, tolerance: .inf"), 3,
                           "tolerance: must be a finite number of zero or more"),
    "feedback not text": (question("type: single_choice, prompt: P, answer: a, choices: [{text: a, feedback: [x]}, b]"),
                          3, "a choice mapping has 'text' and optional 'feedback', both texts"),
    "empty choice text": (question("type: single_choice, prompt: P, answer: a, choices: [{text: ''}, a]"), 3,
                          "a choice mapping has 'text'"),
    "description not text": ("bank: {id: h, title: H, description: [a, b]}\nquestions: []\n", 1,
                             "bank description must be text"),
    "line separator": ("bank: {id: h, title: H}\u2028\nquestions: [\n", 3, "invalid YAML"),
    "unprintable character": (HEAD + "- a\x07\n", 3, "unacceptable character #x0007"),
}


@pytest.mark.parametrize(("text", "line", "fragment"), CASES.values(), ids=CASES.keys())
def test_hostile_file_is_one_clear_problem(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    with cached_catalogue():
        result = check_paths([tmp_path], QUESTIONS)
    assert time.monotonic() - started < 2.0
    found = [(p.line, p.message) for p in result.problems]
    assert any(at == line and fragment in message for at, message in found), found


def test_long_runs_are_read_in_linear_time() -> None:
    started = time.monotonic()
    assert parse_number(" " * 5000 + "x") is None  # was cubic: about 7 s for 1000 spaces
    assert parse_number("+" + " " * 5000 + "1 seat").value == 1.0
    assert CLOZE_BLANK.findall("{{" * 50_000) == []  # was quadratic: 12 s for 10 000 openings
    assert CLOZE_BLANK.findall("a {{b|c}} and {{d}}") == ["b|c", "d"]
    assert time.monotonic() - started < 1.0


def test_choice_checkers_take_only_real_choice_indexes() -> None:
    choices = [{"text": t, "feedback": ""} for t in ("a", "b")]
    every_choice = {"choices": choices, "correct": [0, 1]}
    assert grade("multiple_response", every_choice, [0, 1, 7]).correct  # 7 is no choice: nothing picked
    assert grade("multiple_response", every_choice, [0, 7]).score == 0.5
    assert not grade("single_choice", {"choices": choices, "correct": [1]}, True).correct


def test_answers_without_letters_or_digits_can_be_matched() -> None:
    assert grade("short_text", {"answers": ["%"]}, " % ").correct
    assert not grade("short_text", {"answers": ["%"]}, "‰").correct
    assert not grade("short_text", {"answers": ["%"]}, "").correct
    cloze = {"text": "Bamboo is {{⺮}}, {{98}}", "blanks": [["⺮"], ["98"]]}
    assert grade("cloze", cloze, ["⺮", "98"]).correct
    assert grade("short_text", {"answers": ["The Senate", "%"]}, "senate").correct
