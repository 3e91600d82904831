"""`questions import` and `questions export`, convert_upload, and banks whose items carry no source."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.extensions import db
from quizapp.formats import FormatError, convert_upload
from quizapp.models import QuizAttempt
from tests.conftest import QUESTIONS, csrf_from
from tests.formats_helpers import SHARED
from tests.test_quiz_flow import right_answer_form, start

GIFT = "$CATEGORY: $course$/top/Physics\n\n::g::Gravity pulls down. {T####Newton.}\n\nEssay? {}\n\nBroken {=a\n"
READABLE_GIFT = GIFT.removesuffix("Broken {=a\n")
SAMPLES = {
    "gift": GIFT,
    "aiken": "Which is red?\nA) Rose\nB) Sky\nANSWER: A\n\nA) orphan\n",
    "moodlexml": ('<quiz><question type="truefalse"><name><text>t</text></name><questiontext><text>Up?</text>'
                  '</questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false'
                  '</text></answer></question><question type="essay"><questiontext><text>Why</text></questiontext>'
                  "</question></quiz>"),
    "anki": "#separator:tab\n#html:true\n#notetype column:1\nBasic\tFront\tBack\nCloze\t{{c1::Gap}} here\t\n",
    "csv": "front,back\nQ,A\n",
}


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_import_writes_a_bank_that_passes_the_check(runner, tmp_path: Path, fmt: str) -> None:
    source = tmp_path / f"sample.{fmt}"
    source.write_bytes(b"\xef\xbb\xbf" + SAMPLES[fmt].replace("\n", "\r\n").encode())
    out = tmp_path / "bank"
    result = runner.invoke(args=["questions", "import", str(source), "--format", fmt, "--output", str(out),
                                 "--bank", "imported-sample", "--title", "Sample"])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    checked = check_paths([out], QUESTIONS)
    assert checked.ok, checked.problems
    assert checked.banks[0].slug == "imported-sample" and checked.banks[0].sources_optional
    assert (out / "questions.yaml").read_text(encoding="utf-8").startswith("# Imported from sample.")


def test_import_reports_each_item_it_skips_with_its_line(runner, tmp_path: Path) -> None:
    source = tmp_path / "physics.gift"
    source.write_text(GIFT, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(source), "--output", str(tmp_path / "p.yaml")])
    assert result.exit_code == 0, result.output
    assert f"{source}:5: essay not imported" in result.output
    assert f"{source}:7: question 'Broken': its answer block starts with {{ but never ends" in result.output
    questions = check_paths([tmp_path / "p.yaml"], QUESTIONS).banks[0].questions
    assert [(q.key, q.topic, q.data["explanation"]) for q in questions] == [("g", "Physics", "Newton.")]


@pytest.mark.parametrize(("content", "args", "message"), [
    (b"<quiz><question", ["--format", "moodlexml"], "not well-formed XML"),
    (b"\xff\xfe\x00", ["--format", "gift"], "not valid UTF-16"),
    (b"caf\xe9 {T}", ["--format", "gift"], "not UTF-8"),
    (b"Essay? {}", ["--format", "gift"], "no question could be converted"),
    (b"x", [], "cannot tell the format"),
])
def test_invalid_input_is_a_clear_error(runner, tmp_path: Path, content: bytes, args: list, message: str) -> None:
    source = tmp_path / "input.dat"
    source.write_bytes(content)
    result = runner.invoke(args=["questions", "import", str(source), "--output", str(tmp_path / "o"), *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_import_will_not_overwrite_without_force(runner, tmp_path: Path) -> None:
    source = tmp_path / "q.gift"
    source.write_text("Up? {T}", encoding="utf-8")
    args = ["questions", "import", str(source), "--output", str(tmp_path / "b")]
    assert runner.invoke(args=args).exit_code == 0
    assert "already exists" in runner.invoke(args=args).output
    assert runner.invoke(args=[*args, "--force"]).exit_code == 0


def test_import_refuses_an_id_another_bank_uses(runner, tmp_path: Path) -> None:
    source = tmp_path / "q.gift"
    source.write_text("Up? {T}", encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(source), "--bank", "key-terms",
                                 "--output", str(tmp_path / "b")])
    assert result.exit_code == 1 and "already used by" in result.output


@pytest.mark.parametrize("fmt", ["gift", "aiken", "moodlexml", "anki", "csv"])
def test_export_writes_each_format(runner, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"bank.{fmt}"
    result = runner.invoke(args=["questions", "export", "referendum-2022", "--format", fmt, "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Tokayev" in text
    if fmt != "aiken":
        assert "Source" in text and "Cornell" in text


def test_questions_help_names_import_and_export(runner) -> None:
    result = runner.invoke(args=["--help"])
    line = next(line for line in result.output.splitlines() if line.strip().startswith("questions "))
    assert "import" in line and "export" in line
    summary = runner.invoke(args=["questions", "--help"]).output
    assert "import and export" in summary


def test_export_to_stdout_and_errors(runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["questions", "export", "referendum-2022", "--format", "gift"])
    assert result.exit_code == 0 and "$CATEGORY:" in result.output
    assert "no bank 'nope'" in runner.invoke(args=["questions", "export", "nope", "--format", "gift"]).output
    cards = runner.invoke(args=["questions", "export", "key-terms", "--format", "gift"])
    assert cards.exit_code == 1 and "none of the bank's questions can be written as GIFT" in cards.output


@pytest.mark.parametrize(("filename", "fmt"), [("q.gift", None), ("quiz.xml", None), ("cards.txt", "anki")])
def test_convert_upload_gives_bank_yaml_and_problems(tmp_path: Path, filename: str, fmt: str | None) -> None:
    data = {"q.gift": READABLE_GIFT, "quiz.xml": SAMPLES["moodlexml"], "cards.txt": SAMPLES["anki"]}[filename]
    text, problems = convert_upload(filename, data.encode("utf-8"), fmt)
    path = tmp_path / "upload.yaml"
    path.write_text(text, encoding="utf-8")
    checked = check_paths([path], QUESTIONS)
    assert checked.ok, checked.problems
    assert all(problem.line >= 1 and problem.reason for problem in problems)


@pytest.mark.parametrize(("fmt", "data", "line"), [
    ("gift", GIFT, 7), ("aiken", SAMPLES["aiken"], 6), ("csv", "front,back\nQ,A\nlonely\n", 3),
])
def test_an_upload_with_an_item_that_cannot_be_read_is_refused_whole(fmt: str, data: str, line: int) -> None:
    with pytest.raises(FormatError, match=rf"1 item\(s\) cannot be read \(line {line}: .*nothing was loaded"):
        convert_upload(f"broken.{fmt}", data.encode(), fmt)


def test_convert_upload_errors() -> None:
    with pytest.raises(FormatError, match="cannot tell the format"):
        convert_upload("notes.doc", b"hello", None)
    with pytest.raises(FormatError, match="no question could be converted"):
        convert_upload("q.gift", b"Essay? {}", "gift")


def test_sources_optional_only_when_the_bank_says_so(tmp_path: Path) -> None:
    question = "questions:\n  - {id: q, type: true_false, prompt: Up, answer: true, topic: T, difficulty: recall}\n"
    for number, (policy, ok) in enumerate((("", False), ("sources: required\n", False), ("sources: optional\n", True))):
        folder = tmp_path / f"bank{number}"
        folder.mkdir()
        (folder / "bank.yaml").write_text(f"id: b{number}\ntitle: B\n{policy}", encoding="utf-8")
        (folder / "questions.yaml").write_text(question, encoding="utf-8")
        result = check_paths([folder], QUESTIONS)
        assert result.ok is ok, result.problems
    (folder / "bank.yaml").write_text("id: bad\ntitle: B\nsources: none\n", encoding="utf-8")
    problems = check_paths([folder], QUESTIONS).problems
    assert "bank sources must be one of: required, optional" in problems[0].message and problems[0].line == 3


def test_source_less_question_has_feedback_without_a_passage(logged_in, tmp_path: Path) -> None:
    text, _ = convert_upload("physics.gift", READABLE_GIFT.encode(), "gift")
    path = tmp_path / "physics.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_paths([path], QUESTIONS)
    load_banks(db.session, result)
    start(logged_in, length=1)
    attempt = db.session.scalar(select(QuizAttempt))
    item = attempt.items[0]
    url = f"/quiz/{attempt.id}/q/1"
    page = logged_in.get(url).get_data(as_text=True)
    logged_in.post(url, data={"csrf_token": csrf_from(page), **right_answer_form(item)})
    feedback = logged_in.get(url)
    html = feedback.get_data(as_text=True)
    assert feedback.status_code == 200
    assert "Newton." in html and "Correct answer" in html
    assert 'class="sources"' not in html and "Read this passage" not in html


def test_conformance_suites_meet_their_bar(capsys) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/formats is not beside this checkout")
    from quizapp.formats.conformance import main

    assert main([str(SHARED)]) == 0
    output = capsys.readouterr().out
    assert "gift-pegjs:" in output and "aiken-moodle: 11/11" in output
