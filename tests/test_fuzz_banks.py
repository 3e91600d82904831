"""Bank files, random, mutated and hostile: always reported as path:line: message, never a crash, never half loaded."""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from sqlalchemy import select

from quizapp.authoring.uploads import load_upload
from quizapp.banks.checker import CheckResult, check_paths, content_hash
from quizapp.banks.loader import InvalidBanks, load_banks
from quizapp.extensions import db
from quizapp.grading import grade
from quizapp.models import Bank, Question, QuestionRevision, SourceDocument
from tests.conftest import QUESTIONS
from tests.fuzzing import (
    HOSTILE,
    SEED_TREES,
    SEEDS,
    SNIPPETS,
    cached_catalogue,
    dump,
    fuzz,
    key_answer,
    mutated_text,
    mutated_tree,
    write_bank,
)

PROBLEM = re.compile(r"[^\n]+:[1-9][0-9]*: [^\n]*\S[^\n]*")


def check(folder: Path, files: list[Path]) -> CheckResult:
    """Check a folder of bank files and hold the result to the properties every check must have."""
    with cached_catalogue():
        result = check_paths([folder], QUESTIONS)
    assert_reported(result, folder, files)
    return result


def line_count(data: bytes) -> int:
    """Lines as the checker reads a file: a line ends at LF, CRLF or a lone CR."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1


def assert_reported(result: CheckResult, folder: Path, files: list[Path]) -> None:
    """Every problem reads path:line: message on one line, names a file checked, and a line inside it."""
    event("accepted" if result.ok else "refused")
    lines = {path.resolve(): line_count(path.read_bytes()) for path in files}
    for problem in result.problems:
        assert PROBLEM.fullmatch(str(problem)), str(problem)
        path = Path(problem.path).resolve()
        assert path in lines or path == folder.resolve(), str(problem)
        assert 1 <= problem.line <= lines.get(path, 1), str(problem)
    if result.ok:
        for bank in result.banks:
            for question in bank.questions:
                assert_storable_and_answerable(question.type, question.data)
                content_hash(question)


def assert_storable_and_answerable(qtype: str, data: dict) -> None:
    """What passes the checker goes into any database's JSON, and its own key is graded right."""
    text = json.dumps(data, allow_nan=False, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogates
    assert "\x00" not in text
    assert grade(qtype, data, key_answer(qtype, data)).correct


@fuzz(60)
@given(meta_or_questions=st.booleans(), pieces=st.lists(SNIPPETS | st.text(max_size=20), max_size=30))
def test_random_text(meta_or_questions: bool, pieces: list[str]) -> None:
    meta, questions = SEEDS[-1]
    text = "".join(pieces)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bank"
        files = write_bank(folder, text if meta_or_questions else meta, questions if meta_or_questions else text)
        check(folder, files)


@fuzz(60)
@given(data=st.data())
def test_mutated_text(data: st.DataObject) -> None:
    meta, questions = data.draw(st.sampled_from(SEEDS))
    if data.draw(st.booleans()):
        questions = data.draw(mutated_text(questions))
    else:
        meta = data.draw(mutated_text(meta))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bank"
        check(folder, write_bank(folder, meta, questions))


@fuzz(40)
@given(data=st.data())
def test_mutated_structure(data: st.DataObject) -> None:
    meta, questions = data.draw(st.sampled_from(SEED_TREES))
    if data.draw(st.integers(0, 3)):
        questions = data.draw(mutated_tree(questions))
    else:
        meta = data.draw(mutated_tree(meta))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bank"
        check(folder, write_bank(folder, dump(meta), dump(questions)))


@fuzz(40)
@given(data=st.data())
def test_random_and_damaged_bytes(data: st.DataObject) -> None:
    meta, questions = SEEDS[0]
    raw = questions.encode()
    if data.draw(st.booleans()):
        raw = data.draw(st.binary(max_size=200))
    else:
        for _ in range(data.draw(st.integers(1, 5))):
            at = data.draw(st.integers(0, len(raw) - 1))
            raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=3)) + raw[at + 1:]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bank"
        check(folder, write_bank(folder, meta, raw))


@fuzz(30)
@given(text=HOSTILE)
def test_hostile_documents(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bank"
        folder.mkdir()
        path = folder / "hostile.yaml"
        path.write_text(text, encoding="utf-8")
        result = check(folder, [path])
        assert not result.ok


TABLES = (Bank, Question, QuestionRevision, SourceDocument)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of the tables a load writes."""
    return {model.__tablename__: sorted((tuple(row) for row in db.session.execute(select(model.__table__))), key=repr)
            for model in TABLES}


def zipped(meta: str, questions: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bank/bank.yaml", meta.encode("utf-8", "surrogatepass"))
        archive.writestr("bank/questions.yaml", questions.encode("utf-8", "surrogatepass"))
    return buffer.getvalue()


@fuzz(25)
@given(data=st.data())
def test_invalid_banks_change_nothing_in_the_database(app, fixture_bank, instructor, data: st.DataObject) -> None:
    meta, questions = SEEDS[0]
    if data.draw(st.booleans()):
        questions = data.draw(mutated_text(questions))
    else:
        questions = dump(data.draw(mutated_tree(SEED_TREES[0][1])))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bank"
        result = check(folder, write_bank(folder, meta, questions))
    before = snapshot()
    if result.ok:
        load_banks(db.session, result)  # whatever the checker accepts, every database stores
    else:
        with pytest.raises(InvalidBanks):
            load_banks(db.session, result)
        assert snapshot() == before
    # The same through an upload, under a bank id of the instructor's own.
    before = snapshot()
    upload = zipped(meta.replace("id: fixture-bank", "id: fuzz-upload"), questions)
    with cached_catalogue():
        outcome = load_upload(db.session, instructor, "bank.zip", upload, QUESTIONS)
    for problem in outcome.problems:
        assert PROBLEM.fullmatch(str(problem)), str(problem)
    if not outcome.ok:
        assert snapshot() == before
    db.session.rollback()
