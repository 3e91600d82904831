"""One huge question: past 50 pairs, choices or answers it is an item that cannot be read, refused before its parts
are read, and YAML banks take no more."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.banks.schema import validate_question
from quizapp.formats import aiken, gift, moodlexml
from quizapp.formats.convert import convert_items
from quizapp.formats.model import (
    MAX_ANSWERS,
    MAX_BLANKS,
    MAX_CHOICES,
    MAX_PAIRS,
    Answer,
    FormatError,
    Item,
    Problem,
    Text,
)
from quizapp.formats.service import convert_upload, import_text, read_items
from tests.test_uploads import bank_count, upload

_XML_TRUE_FALSE = ('<question type="truefalse"><questiontext><text>Up?</text></questiontext><answer fraction="100">'
                   '<text>true</text></answer><answer fraction="0"><text>false</text></answer></question>')


def _xml(qtype: str, parts: str) -> str:
    """A Moodle XML file whose second question, on line 3, is of qtype with these parts."""
    return (f"<quiz>\n{_XML_TRUE_FALSE}\n<question type=\"{qtype}\"><name><text>Big</text></name><questiontext>"
            f"<text>Which?</text></questiontext>{parts}</question>\n</quiz>\n")


def _xml_answers(count: int) -> str:
    return "".join(f'<answer fraction="{100 if n == 0 else 0}"><text>{n}</text></answer>' for n in range(count))


# Each kind of huge question: its format, a file whose question on `line` has count pairs, choices or answers,
# and the reason it cannot be read past the limit.
KINDS: dict[str, tuple[str, Callable[[int], str], int, str, int]] = {
    "gift matching": ("gift", lambda n: "Up? {T}\n\n::m:: Match. {" + " ".join(f"=l{i} -> r{i}" for i in range(n))
                      + "}\n", 3, "question 'm': a matching question can have at most 50 pairs", MAX_PAIRS),
    "gift choices": ("gift", lambda n: "Up? {T}\n\n::c:: Pick. {=c0 " + " ".join(f"~c{i}" for i in range(1, n))
                     + "}\n", 3, "question 'c': a multiple-choice question can have at most 50 choices", MAX_CHOICES),
    "gift short answer": ("gift", lambda n: "Up? {T}\n\n::s:: Say. {" + " ".join(f"=a{i}" for i in range(n)) + "}\n",
                          3, "question 's': a short-answer question can have at most 50 answers", MAX_ANSWERS),
    "gift numerical": ("gift", lambda n: "Up? {T}\n\n::n:: Count. {#" + " ".join(f"={i}" for i in range(n)) + "}\n",
                       3, "question 'n': a numerical question can have at most 50 answers", MAX_ANSWERS),
    "moodlexml matching": ("moodlexml", lambda n: _xml("matching", "".join(
        f"<subquestion><text>l{i}</text><answer><text>r{i}</text></answer></subquestion>" for i in range(n))),
        3, "question 'Big': a matching question can have at most 50 pairs", MAX_PAIRS),
    "moodlexml choices": ("moodlexml", lambda n: _xml("multichoice", _xml_answers(n)), 3,
                          "question 'Big': a multichoice question can have at most 50 choices", MAX_CHOICES),
    "moodlexml short answer": ("moodlexml", lambda n: _xml("shortanswer", _xml_answers(n).replace(
        'fraction="0"', 'fraction="100"')), 3, "question 'Big': a shortanswer question can have at most 50 answers",
        MAX_ANSWERS),
    "moodlexml numerical": ("moodlexml", lambda n: _xml("numerical", _xml_answers(n)), 3,
                            "question 'Big': a numerical question can have at most 50 answers", MAX_ANSWERS),
    "aiken choices": ("aiken", lambda n: "Which is red?\nA. Rose\nB. Sky\nANSWER: A\n\nPick one?\n"
                      + "".join(f"A. c{i}\n" for i in range(n)) + "ANSWER: A\n", 6,
                      "Error importing question Pick one?: a question can have at most 50 choices", MAX_CHOICES),
}
EXTENSIONS = {"gift": "gift", "moodlexml": "xml", "aiken": "aiken"}


def test_the_limits_are_the_bank_schemas() -> None:
    assert MAX_PAIRS == MAX_CHOICES == MAX_ANSWERS == 50


@pytest.mark.parametrize("kind", KINDS)
def test_a_question_at_the_limit_is_read_and_converted(kind: str) -> None:
    fmt, make, _, _, limit = KINDS[kind]
    parsed = read_items(make(limit), fmt)
    assert parsed.problems == []
    big = parsed.questions[-1]
    assert len(big.pairs or big.answers) == limit
    imported = import_text(make(limit), fmt, "b", "B")
    assert imported.unreadable == [] and len(imported.questions) == (1 + limit if "matching" in kind else 2)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("extra", [1, 10000])
def test_a_question_past_the_limit_is_an_item_that_cannot_be_read_with_its_line(kind: str, extra: int) -> None:
    fmt, make, line, reason, limit = KINDS[kind]
    parsed = read_items(make(limit + extra), fmt)
    assert parsed.problems == [Problem(line, f"{reason} (this one has {limit + extra:,})")]
    assert len(parsed.questions) == 1  # the question before it


# What each reader does for each pair, choice or answer it reads.
PER_PART = {"gift": (gift, "_with_format"), "moodlexml": (moodlexml, "_child_text"), "aiken": (aiken, "Answer")}


@pytest.mark.parametrize("kind", KINDS)
def test_the_parts_of_a_question_past_the_limit_are_not_read(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fmt, make, _, _, limit = KINDS[kind]
    module, name = PER_PART[fmt]
    original, calls = getattr(module, name), []

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    read_items(make(10 * limit), fmt)
    # The question before it and the huge one's own texts; at most the first `limit` choices of an Aiken question,
    # which come before the line that shows there are too many.
    assert len(calls) <= (limit + 2 if fmt == "aiken" else 12)


@pytest.mark.parametrize("kind", KINDS)
def test_an_upload_with_a_question_past_the_limit_is_refused_whole(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fmt, make, line, reason, limit = KINDS[kind]
    converted: list[Item] = []
    original = convert_items

    def convert(items: list[Item], *args: object) -> object:
        converted.extend(items)
        return original(items, *args)

    monkeypatch.setattr("quizapp.formats.service.convert_items", convert)
    with pytest.raises(FormatError, match=rf"1 item\(s\) cannot be read \(line {line}: {re.escape(reason)} \(this one "
                                          r"has 1,000\)\).*nothing was loaded"):
        convert_upload(f"big.{EXTENSIONS[fmt]}", make(1000).encode(), fmt, max_questions=2000)
    assert len(converted) == 1  # only the question before it ever reached the converter


def test_the_upload_page_names_the_question_and_loads_nothing(teacher) -> None:
    before = bank_count()
    fmt, make, _, _, _ = KINDS["gift matching"]
    response = upload(teacher, "pairs.gift", make(1000).encode(), format=fmt)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("<code>pairs.gift:3</code>: question &#39;m&#39;: a matching question can have at most 50 pairs (this "
            "one has 1,000)") in page
    assert bank_count() == before


def test_the_command_line_import_reports_the_question_and_imports_the_rest(runner, tmp_path: Path) -> None:
    source = tmp_path / "pairs.gift"
    source.write_text(KINDS["gift matching"][1](1000), encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(source), "--output", str(tmp_path / "p.yaml")])
    assert result.exit_code == 0, result.output
    assert f"{source}:3: question 'm': a matching question can have at most 50 pairs (this one has 1,000)" \
        in result.output
    assert "1 question(s) from 2 item(s); 1 item(s) not converted" in result.output


def _yaml_question(**fields: object) -> dict[str, object]:
    return {"id": "q", "prompt": "Which?", "topic": "T", "difficulty": "recall", **fields}


@pytest.mark.parametrize(("fields", "message"), [
    ({"type": "single_choice", "choices": [f"c{n}" for n in range(51)], "answer": "c0"},
     "a question can have at most 50 choices (this one has 51)"),
    ({"type": "multiple_response", "choices": [f"c{n}" for n in range(51)], "answers": ["c0"]},
     "a question can have at most 50 choices (this one has 51)"),
    ({"type": "short_text", "answers": [f"a{n}" for n in range(51)]},
     "a question can accept at most 50 answers (this one has 51)"),
])
def test_a_yaml_bank_takes_no_more_choices_or_answers(fields: dict, message: str) -> None:
    _, errors = validate_question(_yaml_question(**fields), {}, require_source=False, require_explanation=False)
    assert [error.message for error in errors] == [message]
    at_limit = {key: value[:50] if isinstance(value, list) else value for key, value in fields.items()}
    _, errors = validate_question(_yaml_question(**at_limit), {}, require_source=False, require_explanation=False)
    assert errors == []


def test_the_upload_page_refuses_a_yaml_bank_past_the_limit(teacher) -> None:
    choices = "".join(f"      - c{n}\n" for n in range(51))
    data = ("bank: {id: big, title: Big, sources: optional}\nquestions:\n  - id: q\n    type: single_choice\n"
            f"    prompt: Which?\n    topic: T\n    difficulty: recall\n    answer: c0\n    choices:\n{choices}")
    response = upload(teacher, "big.yaml", data.encode())
    assert response.status_code == 422
    assert "a question can have at most 50 choices (this one has 51)" in response.get_data(as_text=True)


def test_converting_answers_compares_each_with_the_kept_ones_by_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    comparisons = []
    monkeypatch.setattr(Answer, "__eq__", lambda self, other: comparisons.append(1) or self is other)
    answers = [Answer(Text(f"a{n}", "plain"), 1.0) for n in range(MAX_ANSWERS)]
    conversion = convert_items([Item("shortanswer", text=Text("Say?"), answers=answers)], "T")
    assert len(conversion.questions[0]["answers"]) == MAX_ANSWERS
    assert comparisons == []  # was one comparison per pair of answers


def _cloze_with(blanks: int) -> list[str]:
    question = {"id": "q", "type": "cloze", "topic": "T", "difficulty": "recall",
                "text": " ".join(f"{{{{b{n}}}}}" for n in range(blanks))}
    return [error.message for error in validate_question(question, {}, require_source=False,
                                                         require_explanation=False)[1]]


def test_a_yaml_cloze_takes_no_more_than_50_blanks() -> None:
    assert _cloze_with(51) == ["a cloze can have at most 50 blanks (this one has 51)"]
    assert _cloze_with(50) == []


@pytest.mark.parametrize("extra", [1, 5000])
def test_an_anki_cloze_note_past_50_deletions_cannot_be_read(extra: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.formats import anki

    converted = []
    monkeypatch.setattr(anki, "to_plain", lambda *args: converted.append(args) or "x")
    note = " ".join(f"{{{{c{n + 1}::w{n}}}}}" for n in range(MAX_BLANKS + extra))
    text = "#separator:tab\n#notetype:Cloze\nThe {{c1::Mazhilis}} has 98 seats.\t\n" + note + "\t\n"
    parsed = read_items(text, "anki")
    assert parsed.problems == [Problem(4, f"a cloze note can have at most 50 deletions (this one has "
                                          f"{MAX_BLANKS + extra:,})")]
    assert len(parsed.questions) == 1 and len(converted) == 1  # only the first note's one deletion was converted


@pytest.mark.parametrize("extra", [1, 5000])
def test_a_moodle_cloze_past_50_gaps_cannot_be_read(extra: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.formats import multianswer

    converted = []
    monkeypatch.setattr(multianswer, "to_plain", lambda *args: converted.append(args) or "x")
    gaps = " ".join(f"{{1:SA:=w{n}}}" for n in range(MAX_BLANKS + extra))
    parsed = read_items(_xml("cloze", "").replace("Which?", gaps), "moodlexml")
    assert parsed.problems == [Problem(3, f"question 'Big': a cloze question can have at most 50 gaps (this one has "
                                          f"{MAX_BLANKS + extra:,})")]
    assert not converted
    within = read_items(_xml("cloze", "").replace("Which?", " ".join(gaps.split()[:MAX_BLANKS])), "moodlexml")
    assert not within.problems and len(within.questions[1].blanks) == MAX_BLANKS


@pytest.mark.parametrize("piece", ["{1:SA:=", "{1:SA:=\\}", "{1:SA:=\\\n"])
def test_a_moodle_cloze_of_unclosed_gaps_is_read_in_linear_time(piece: str) -> None:
    """Each unclosed gap used to send the reader on to the text's end again: 30 KB took seconds, 100 KB minutes
    (an upload takes 5 MB)."""
    text = piece * (30_000 // len(piece))
    started = time.monotonic()
    parsed = read_items(_xml("cloze", "").replace("Which?", text), "moodlexml")
    assert time.monotonic() - started < 1.0
    assert not parsed.problems and parsed.questions[1].blanks == []
