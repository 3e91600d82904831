"""`questions load`: all or nothing, revisions on edit, retirement on removal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import InvalidBanks, load_banks
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionRevision, SourceDocument
from tests.conftest import FIXTURE_BANKS, QUESTIONS


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    target = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANKS / "bank", target)
    return target


def load(path: Path):
    return load_banks(db.session, check_paths([path], QUESTIONS))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def edit(bank_dir: Path, old: str, new: str) -> None:
    path = bank_dir / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_load_creates_bank_questions_revisions_and_sources(app, bank_dir):
    report = load(bank_dir)
    assert (report.created, report.revised, report.retired) == (8, 0, 0)
    assert count(Bank) == 1 and count(Question) == 8 and count(QuestionRevision) == 8
    assert count(SourceDocument) == 2
    question = db.session.scalar(select(Question).where(Question.key == "eu-share"))
    assert question.section == "Appendix: trade in 2021"
    source = question.revisions[0].data["sources"][0]
    text = db.session.get(SourceDocument, "osw-2022").text
    assert text[source["start"]:source["end"]] == "It accounted for 29.4% of Kazakhstan’s foreign trade"


def test_reloading_unchanged_files_changes_nothing(app, bank_dir):
    load(bank_dir)
    report = load(bank_dir)
    assert (report.created, report.revised, report.retired, report.unchanged) == (0, 0, 0, 8)
    assert count(QuestionRevision) == 8


def test_editing_a_question_adds_a_revision(app, bank_dir):
    load(bank_dir)
    edit(bank_dir, "The EU as a whole was Kazakhstan's largest trading partner.",
         "The EU as a whole was the largest partner.")
    report = load(bank_dir)
    assert report.revised == 1
    question = db.session.scalar(select(Question).where(Question.key == "eu-share"))
    assert question.revision == 2
    assert [r.number for r in question.revisions] == [1, 2]
    assert question.revisions[0].data["explanation"] != question.revisions[1].data["explanation"]


def test_removed_question_is_retired_then_restored(app, bank_dir):
    load(bank_dir)
    edit(bank_dir, "  - id: eu-share", "  - id: eu-share-renamed")
    report = load(bank_dir)
    assert (report.created, report.retired) == (1, 1)
    old = db.session.scalar(select(Question).where(Question.key == "eu-share"))
    assert old.retired_at is not None
    assert old.revisions, "history is kept"
    edit(bank_dir, "  - id: eu-share-renamed", "  - id: eu-share")
    report = load(bank_dir)
    db.session.refresh(old)
    assert old.retired_at is None
    # Every question of the file is counted once, the one back from retirement as restored.
    assert (report.created, report.revised, report.restored, report.retired, report.unchanged) == (0, 0, 1, 1, 7)
    assert str(report) == "0 new, 0 revised, 1 restored, 1 retired, 7 unchanged"


def test_an_invalid_file_loads_nothing(app, bank_dir):
    load(bank_dir)
    edit(bank_dir, "The EU as a whole was Kazakhstan's largest trading partner.", "A new explanation.")
    (bank_dir / "broken.yaml").write_text("questions:\n  - id: x\n    type: numeric\n", encoding="utf-8")
    with pytest.raises(InvalidBanks) as error:
        load(bank_dir)
    assert any("broken.yaml:2" in str(p) for p in error.value.result.problems)
    assert count(QuestionRevision) == 8, "the valid edit was not applied either"


def test_failure_midway_rolls_everything_back(app, bank_dir, monkeypatch):
    import quizapp.banks.loader as loader

    original = loader._sync_bank
    calls = []

    def failing(*args):
        original(*args)
        calls.append(args[1].slug)
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_sync_bank", failing)
    with pytest.raises(RuntimeError):
        load(bank_dir)
    assert calls == ["fixture-bank"]
    assert count(Question) == 0 and count(SourceDocument) == 0


def test_cli_load_refuses_invalid_banks(runner, bank_dir):
    (bank_dir / "broken.yaml").write_text("questions: [", encoding="utf-8")
    result = runner.invoke(args=["questions", "load", str(bank_dir)])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    assert count(Question) == 0


def test_cli_load_real_banks(runner):
    result = runner.invoke(args=["questions", "load"])
    assert result.exit_code == 0, result.output
    assert "Loaded 2 bank(s)" in result.output


def test_loading_files_never_takes_over_an_uploaded_bank(runner, bank_dir, instructor):
    from quizapp.authoring.uploads import load_upload

    slug = check_paths([bank_dir], QUESTIONS).banks[0].slug
    upload = f"bank: {{id: {slug}, title: Mine, sources: optional}}\nquestions:\n" \
             "  - {id: q1, type: true_false, prompt: 'Is it mine?', answer: true, topic: T, difficulty: recall}\n"
    assert load_upload(db.session, instructor, "mine.yaml", upload.encode(), QUESTIONS).ok
    result = runner.invoke(args=["questions", "load", str(bank_dir)])
    assert result.exit_code == 1 and f"Bank id(s) {slug} belong to banks an instructor uploaded" in result.output
    db.session.expire_all()
    mine = db.session.scalar(select(Bank).where(Bank.slug == slug))
    assert mine.title == "Mine" and mine.owner_id == instructor.id and count(Question) == 1


@pytest.mark.parametrize("command", ["check", "load"])
@pytest.mark.parametrize("content", ["", "\ufeff", "# only a comment\n"])
def test_a_named_file_without_a_bank_is_an_error(runner, tmp_path, command, content):
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["questions", command, str(path)])
    assert result.exit_code == 1 and "No bank found in" in result.output


SINGLE = """\
bank: {id: colours, title: Colours, sources: optional}
questions:
  - id: q2
    type: %s
    prompt: Is yellow between orange and green?
    %s
    topic: Colours
    difficulty: recall
"""


def test_a_question_id_keeps_its_type(runner, tmp_path):
    path = tmp_path / "colours.yaml"
    path.write_text(SINGLE % ("single_choice", 'choices: ["yes", "no"]\n    answer: "yes"'), encoding="utf-8")
    assert runner.invoke(args=["questions", "load", str(path)]).exit_code == 0
    path.write_text(SINGLE % ("true_false", "answer: true"), encoding="utf-8")
    with pytest.raises(InvalidBanks) as refused:
        load(path)
    [problem] = refused.value.result.problems
    assert problem.line == 4 and "question 'q2': type:" in problem.message
    result = runner.invoke(args=["questions", "load", str(path)])
    assert result.exit_code == 1 and "colours.yaml:4: question 'q2': type:" in result.output
    assert "its own id" in result.output and "nothing was loaded" in result.output
    db.session.expire_all()
    question = db.session.scalar(select(Question).where(Question.key == "q2"))
    assert question.type == "single_choice" and question.revision == 1
