"""Shared helpers for the format tests: our checked banks, and comparing questions after a round trip."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from quizapp.banks.checker import CheckResult, ParsedBank, check_paths
from quizapp.banks.schema import ParsedQuestion
from quizapp.formats.service import bank_yaml, export_bank, import_text
from tests.conftest import QUESTIONS

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "formats"


@cache
def our_banks() -> CheckResult:
    """Every bank under questions/, checked once per test session."""
    result = check_paths([QUESTIONS], QUESTIONS)
    assert result.ok, result.problems[:3]
    return result


def bank(slug: str) -> ParsedBank:
    return next(b for b in our_banks().banks if b.slug == slug)


def reimport(parsed_bank: ParsedBank, fmt: str) -> tuple[dict[str, ParsedQuestion], list[str], list[Any]]:
    """Export a bank, import the text again, write and check the YAML; the questions back by id."""
    documents = our_banks().documents
    text, notes = export_bank(parsed_bank, fmt, documents)
    imported = import_text(text, fmt, parsed_bank.slug, parsed_bank.title, documents)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{parsed_bank.slug}.yaml"
        path.write_text(bank_yaml(imported, "export", fmt, documents), encoding="utf-8")
        result = check_paths([path], QUESTIONS)
    assert result.ok, result.problems[:3]
    return {q.key: q for q in result.banks[0].questions}, notes, imported.problems


def meaning(question: ParsedQuestion, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """Everything a student sees or is graded on, less the given data fields."""
    data = {key: value for key, value in question.data.items() if key not in leave_out}
    return {"type": question.type, "topic": question.topic, "difficulty": question.difficulty,
            "tags": question.tags, "data": data}
