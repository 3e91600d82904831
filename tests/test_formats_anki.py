"""Anki text exports and plain CSV: header lines, Basic and Cloze notes, and our banks written for Anki."""

from __future__ import annotations

import pytest

from quizapp.formats.anki import read_anki, read_csv
from quizapp.formats.convert import convert_items
from quizapp.formats.model import FormatError
from tests.formats_helpers import bank, reimport

EXPORT = (
    "#separator:Semicolon\n#html:true\n#notetype column:1\n#deck column:2\n#tags column:5\n"
    "Basic;Geo::Capitals;<b>France</b>;\"Paris &amp; more\";geo europe\n"
    'Cloze;Geo::Rivers;"The {{c1::Nile}} runs; the {{c2::Amazon::river}} too";Extra <i>notes</i>;geo\n'
    "Basic (and reversed card);Geo::Capitals;Japan;Tokyo;\n"
)


def test_header_lines_choose_columns_note_types_decks_and_tags() -> None:
    parsed = read_anki(EXPORT)
    conversion = convert_items(parsed.items, "Default")
    questions = conversion.questions
    assert [(q["type"], q["topic"]) for q in questions] == [("flashcard", "Capitals"), ("cloze", "Rivers"),
                                                           ("flashcard", "Capitals")]
    assert (questions[0]["front"], questions[0]["back"], questions[0]["tags"]) == ("**France**", "Paris & more",
                                                                                    ["geo", "europe"])
    assert questions[1]["text"] == "The {{Nile}} runs; the {{Amazon}} too"
    assert questions[1]["explanation"] == "Extra *notes*"
    assert any("hint 'river'" in p.reason and p.line == 7 for p in conversion.problems)


@pytest.mark.parametrize(("text", "expected"), [
    ("#separator:tab\n#columns:Front\tBack\tTags\nQ\tA\tt1\n", [("Q", "A", ["t1"])]),
    ("#separator:Pipe\n#html:false\n#tags:fixed\nQ|<b>A</b>\n", [("Q", "<b>A</b>", ["fixed"])]),
    ("Q1\tA1\nQ2\tA2", [("Q1", "A1", []), ("Q2", "A2", [])]),
])
def test_separators_columns_and_plain_text(text: str, expected: list) -> None:
    questions = convert_items(read_anki(text).items, "T").questions
    assert [(q["front"], q["back"], q.get("tags", [])) for q in questions] == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("#notetype:Cloze\nNo deletions here\textra\n", "without {{c1::...}}"),
    ("Front only\n", "no back"),
    ("\tBack only\n", "first field is empty"),
])
def test_notes_that_cannot_be_read_are_reported(text: str, reason: str) -> None:
    parsed = read_anki(text)
    assert not parsed.questions and reason in parsed.problems[0].reason


@pytest.mark.parametrize("header", ["#separator:Nonsense\n", "#tags column:x\n", "#deck column:0\n"])
def test_bad_header_lines_are_clear_errors(header: str) -> None:
    with pytest.raises(FormatError):
        read_anki(header + "a\tb\n")


@pytest.mark.parametrize("text", ["front,back\nQ,A\n", "Q;A\r\n", "\ufeffQ\tA", '"Q, with comma","A\nover lines"\n'])
def test_plain_csv_and_tsv(text: str) -> None:
    parsed = read_csv(text)
    assert len(parsed.questions) == 1 and not parsed.problems
    assert parsed.questions[0].text.text.startswith("Q")


def test_csv_rows_without_a_back_are_reported() -> None:
    parsed = read_csv("Q,A\nlonely\n")
    assert len(parsed.questions) == 1 and parsed.problems[0].line == 2


@pytest.mark.parametrize("fmt", ["anki", "csv"])
def test_our_banks_written_for_anki_and_as_csv_come_back_as_cards(fmt: str) -> None:
    parsed_bank = bank("key-terms")
    back, _, problems = reimport(parsed_bank, fmt)
    assert not problems and len(back) == len(parsed_bank.questions)
    assert {q.type for q in back.values()} == {"flashcard"}
    card = next(q for q in back.values() if q.data["front"] == "Mazhilis")
    assert "107 to 98" in card.data["back"] and "Source:" in card.data["back"]


def test_anki_export_has_headers_and_writes_cloze_as_cloze() -> None:
    from quizapp.formats.service import export_bank
    from tests.formats_helpers import our_banks

    text, _ = export_bank(bank("referendum-2022"), "anki", our_banks().documents)
    lines = text.splitlines()
    assert lines[:6] == ["#separator:tab", "#html:true", "#guid column:1", "#notetype column:2",
                         "#deck column:3", "#tags column:6"]
    cloze = [line for line in lines if "\tCloze\t" in line]
    assert cloze and all("{{c1::" in line for line in cloze)
    conversion = convert_items(read_anki(text).items, "T")
    assert {q["type"] for q in conversion.questions} == {"flashcard", "cloze"}
    assert not conversion.problems


@pytest.mark.parametrize(("header", "reader"), [("front,back\n", read_csv), ("front\tback\n", read_csv),
                                               ("#separator:tab\n", read_anki)])
def test_quoted_fields_keep_their_line_breaks(header: str, reader) -> None:
    separator = "," if "," in header else "\t"
    text = f'{header}"Line one\n\nLine two"{separator}"first\nsecond"\nnext{separator}row\n'
    questions = convert_items(reader(text).items, "T").questions
    assert [(q["front"], q["back"]) for q in questions] == [("Line one\n\nLine two", "first\nsecond"),
                                                           ("next", "row")]


def test_ids_of_other_scripts_are_transliterated_and_stay_put_when_a_row_is_added() -> None:
    from quizapp.formats.service import import_text

    rows = "Сәлем,Hello\nРахмет,Thank you\nҚазақстан has two chambers,Yes\n"
    first = [q["id"] for q in import_text(rows, "csv", "words", "Words").questions]
    assert first == ["salem", "rakhmet", "qazaqstan-has-two-chambers"]
    again = [q["id"] for q in import_text("Жоқ,No\n" + rows, "csv", "words", "Words").questions]
    assert again == ["zhoq", *first]


def test_a_value_used_twice_is_written_out_twice() -> None:
    from quizapp.formats.service import bank_yaml, import_text

    gift = "::m:: Match the capitals {=Kazakhstan -> Astana =France -> Paris =Japan -> Tokyo}\n"
    text = bank_yaml(import_text(gift, "gift", "caps", "Caps"), "caps.gift", "gift")
    assert "&id" not in text and "*id" not in text


def test_an_anki_export_chosen_as_csv_is_refused_naming_the_header_line() -> None:
    export = "#separator:tab\n#html:true\n#notetype column:1\nCloze\tPi is {{c1::3.14}}\t\n"
    with pytest.raises(FormatError) as error:
        read_csv(export)
    # "#separator:" alone is also how our own CSV starts: the line that says HTML is the one named.
    assert error.value.line == 2
    assert str(error.value) == "line 2: this looks like an Anki export ('#html:true'): choose the Anki format"
    assert read_csv("# my words\nfront,back\nja,yes\n").questions[0].back.text == "yes"


def test_a_slash_in_a_deck_name_is_part_of_the_topic() -> None:
    text = "#separator:tab\n#deck column:1\nChemistry::Acids/Bases\tpH 7?\tNeutral\n"
    assert [q["topic"] for q in convert_items(read_anki(text).items, "T").questions] == ["Acids/Bases"]


def _as_anki_reads_it(text: str) -> list[list[str]]:
    """The notes Anki's text import (2.1.55 on) makes of a file: a byte-order mark dropped, every line that
    starts with "#" a header or comment line, every other row a note (it has no header row)."""
    import csv
    import io

    body = text.removeprefix("\ufeff")
    separator = {"#separator:comma": ",", "#separator:tab": "\t"}[body.split("\n")[0]]
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator)
    lines, notes, line = body.split("\n"), [], 1
    for row in reader:
        if row and not lines[line - 1].startswith("#"):  # a quoted "#…" field is no comment
            notes.append(row)
        line = reader.line_num + 1
    return notes


def test_our_csv_export_gives_anki_one_note_per_question_and_no_header_note() -> None:
    from quizapp.formats.service import export_bank
    from tests.formats_helpers import our_banks

    parsed_bank = bank("referendum-2022")
    text, _ = export_bank(parsed_bank, "csv", our_banks().documents)
    assert text.startswith("\ufeff#separator:comma\n#html:false\n")
    # Anki maps "#columns:" names to fields by name; a Russian or Kazakh Basic note type has no "Back".
    assert "#columns:" not in text
    notes = _as_anki_reads_it(text)
    assert len(notes) == len(parsed_bank.questions)
    assert ["front", "back"] not in [[cell.lower() for cell in note] for note in notes]
    # And quizapp reads the same file back as the same cards.
    assert len(read_csv(text).questions) == len(parsed_bank.questions)


@pytest.mark.parametrize("header", [
    "\ufeff#separator:comma\n#html:false\n",
    # As a spreadsheet saves the file again: header lines padded to the width of the rows.
    "\ufeff#separator:comma,\n#html:false,\n",
    # Our export before the header lines.
    "\ufefffront,back\n",
])
def test_our_csv_headers_are_read_and_the_named_separator_is_used(header: str) -> None:
    # A first row holding a semicolon and a tab would mislead a guess at the separator.
    text = header + '"Article 1; the people\tof Kazakhstan",Sovereignty\nSecond,Row\n'
    parsed = read_csv(text)
    assert not parsed.problems
    assert [(q.text.text, q.back.text) for q in parsed.questions] == [
        ("Article 1; the people\tof Kazakhstan", "Sovereignty"), ("Second", "Row")]


@pytest.mark.parametrize("header", ["#html:true\n", "#columns:Front,Back\n", "#separator:comma\n#deck:Civics\n"])
def test_csv_header_lines_beyond_ours_still_ask_for_the_anki_format(header: str) -> None:
    with pytest.raises(FormatError, match="choose the Anki format"):
        read_csv(header + "Q,A\n")


def test_a_note_whose_first_field_starts_with_a_hash_is_no_comment(tmp_path) -> None:
    from quizapp.banks.checker import check_paths
    from quizapp.formats.service import bank_yaml, export_bank, import_text
    from tests.conftest import QUESTIONS

    # Anki quotes a field that starts with "#", such as one GUID in ninety, so that it is not a comment line.
    anki = '#separator:tab\n#html:false\n#guid column:1\n# a comment\n"#Ab1,xY"\t#Qantar\tJanuary 2022\nzZ9\tB\tC\n'
    imported = import_text(anki, "anki", "hash", "Hash")
    assert [q["front"] for q in imported.questions] == ["#Qantar", "B"]
    path = tmp_path / "hash.yaml"
    path.write_text(bank_yaml(imported, "hash.txt", "anki"), encoding="utf-8")
    parsed_bank = check_paths([path], QUESTIONS).banks[0]
    # Written for Anki, the GUID leads the row; as CSV, the front.
    for fmt, first in (("anki", "#Ab1,xY"), ("csv", "#Qantar")):
        text, _ = export_bank(parsed_bank, fmt, {})
        assert [note[0] for note in _as_anki_reads_it(text)] == [first, "zZ9" if fmt == "anki" else "B"]
        again = import_text(text, fmt, "hash", "Hash")
        # From Anki's HTML the front comes back as Markdown that shows the same: "\#Qantar".
        assert [q["front"].removeprefix("\\") for q in again.questions] == ["#Qantar", "B"]
