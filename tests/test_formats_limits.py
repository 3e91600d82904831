"""Large files: an upload past the question limit is refused while it is read, before any item is converted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml

from quizapp.formats import aiken, anki, gift, moodlexml
from quizapp.formats.convert import Converter
from quizapp.formats.model import FormatError, TooManyQuestions
from quizapp.formats.service import convert_upload, import_text, read_items

EXTENSIONS = {"gift": "gift", "aiken": "aiken", "moodlexml": "xml", "anki": "txt", "csv": "csv"}
_TRUE_FALSE = ('<question type="truefalse"><questiontext><text>Up?</text></questiontext><answer fraction="100">'
               "<text>true</text></answer><answer fraction=\"0\"><text>false</text></answer></question>\n")


def many(fmt: str, count: int) -> str:
    """count identical questions in a format, the repetitive kind of file that used to take longest."""
    return {
        "gift": "Up? {T}\n\n" * count,
        "aiken": "Which is red?\nA. Rose\nB. Sky\nANSWER: A\n\n" * count,
        "moodlexml": "<quiz>\n" + _TRUE_FALSE * count + "</quiz>\n",
        "anki": "#separator:tab\n" + "Front\tBack\n" * count,
        "csv": "front,back\n" + "Q,A\n" * count,
    }[fmt]


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The items handed to the converter, which is made to convert nothing."""
    items: list[object] = []
    monkeypatch.setattr(Converter, "convert", lambda self, item: items.append(item))
    return items


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_an_upload_past_the_limit_is_refused_before_any_item_is_converted(fmt: str, converted: list) -> None:
    with pytest.raises(TooManyQuestions, match="holds more than 10 questions; at most 10 can be uploaded"):
        convert_upload(f"many.{EXTENSIONS[fmt]}", many(fmt, 1000).encode(), fmt, max_questions=10)
    assert converted == []


# What a reader does for each question it reads, to count how far it read.
PER_QUESTION = {"gift": (gift, "_read_question"), "aiken": (aiken, "_finish"), "moodlexml": (moodlexml, "_question"),
                "anki": (anki, "_rows"), "csv": (anki, "_rows")}


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_reading_stops_at_the_first_question_past_the_limit(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module, name = PER_QUESTION[fmt]
    original, calls = getattr(module, name), []

    def counted(*args: object) -> object:
        calls.append(args)
        return original(*args)

    def counted_rows(*args: object) -> Iterator[object]:
        for row in original(*args):
            calls.append(row)
            yield row

    monkeypatch.setattr(module, name, counted_rows if name == "_rows" else counted)
    with pytest.raises(TooManyQuestions):
        read_items(many(fmt, 1000), fmt, 10)
    assert len(calls) <= 12  # the eleventh question, and the CSV header row


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_a_file_at_the_limit_converts_whole(fmt: str) -> None:
    text, _ = convert_upload(f"many.{EXTENSIONS[fmt]}", many(fmt, 10).encode(), fmt, max_questions=10)
    assert len(yaml.safe_load(text)["questions"]) == 10


@pytest.mark.parametrize(("text", "limit"), [
    ("::m:: Match {=a->1 =b->2 =c->3}\n", 2),  # a matching question becomes one question per pair
    ("Up? {T}\n\nDown? {F}\n\nWhy? {}\n", 2),  # an essay is a question of the file, though left out
    ("Up? {T}\n\n" + "Broken {=a\n\n" * 2, 2),  # so is one that cannot be read
    ("$CATEGORY: a\n\nUp? {T}\n\n$CATEGORY: b\n\nDown? {F}\n\nLeft? {T}\n", 2),  # categories are not
])
def test_what_counts_against_the_limit(text: str, limit: int) -> None:
    with pytest.raises(TooManyQuestions):
        import_text(text, "gift", "b", "B", max_questions=limit)
    import_text(text, "gift", "b", "B", max_questions=limit + 1)


def test_too_many_questions_is_a_format_error_for_callers_that_take_any() -> None:
    with pytest.raises(FormatError, match="split it into several files"):
        convert_upload("many.gift", many("gift", 3).encode(), max_questions=2)


def test_without_a_limit_every_question_is_imported() -> None:
    imported = import_text(many("gift", 2500), "gift", "b", "B")
    assert len(imported.questions) == 2500 and imported.questions[-1]["id"] == "up-2500"


def test_the_command_line_import_takes_more_than_an_upload_does(runner, tmp_path) -> None:
    from quizapp.authoring.uploads import MAX_QUESTIONS

    source = tmp_path / "big.csv"
    source.write_text(many("csv", MAX_QUESTIONS + 1), encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(source), "--output", str(tmp_path / "big.yaml")])
    assert result.exit_code == 0, result.output
    assert f"{MAX_QUESTIONS + 1} question(s)" in result.output
