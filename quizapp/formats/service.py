"""Import a file in any supported format into a bank, and export a bank to any of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.banks.checker import ParsedBank
from quizapp.banks.schema import ID_PATTERN, validate_question
from quizapp.banks.yamlfile import YamlError, load_yaml
from quizapp.formats import aiken, anki, anki_writer, gift, gift_writer, moodlexml, moodlexml_writer
from quizapp.formats.bankfile import bank_metadata, single_file
from quizapp.formats.convert import convert_items
from quizapp.formats.export import bank_items
from quizapp.formats.model import FormatError, Item, ParseResult, Problem, UnreadableItems
from quizapp.formats.textio import decode, slug

# Each reader takes the text and the most questions wanted (None: any number; see ParseResult.limit).
READERS: dict[str, Callable[[str, int | None], ParseResult]] = {
    "gift": gift.read_gift, "aiken": aiken.read_aiken, "moodlexml": moodlexml.read_moodlexml,
    "anki": anki.read_anki, "csv": anki.read_csv,
}
IMPORT_FORMATS = tuple(READERS)
EXPORT_FORMATS = ("gift", "aiken", "moodlexml", "anki", "csv")
EXTENSIONS = {".gift": "gift", ".aiken": "aiken", ".xml": "moodlexml", ".csv": "csv", ".tsv": "csv"}
# What each item-based writer can hold, and why the rest is left out.
_HOLDS = {
    "gift": {"category", "multichoice", "truefalse", "shortanswer", "numerical"},
    "moodlexml": {"category", "multichoice", "truefalse", "shortanswer", "numerical", "cloze"},
    "aiken": {"multichoice"},
}
_NAMES = {"gift": "GIFT", "moodlexml": "Moodle XML", "aiken": "Aiken"}
_OUR_NAMES = {"flashcard": "flashcards", "cloze": "cloze questions with several blanks"}


@dataclass
class Imported:
    """A bank converted from another format: its metadata, question mappings and what was not converted."""

    meta: dict[str, Any]
    questions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    items: int = 0
    # Items the reader could not make out at all (broken syntax, a row without its answer): a file with any
    # is refused whole, where items of kinds we do not hold are only left out and noted.
    unreadable: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # the input line of each question, by id
    formers: dict[str, str] = field(default_factory=dict)  # see Conversion.formers
    worded: set[str] = field(default_factory=set)  # see Conversion.worded

    def header(self, source: str, fmt: str) -> str:
        """Comment lines for the top of the bank file: where it came from and each problem."""
        lines = [f"Imported from {source} ({fmt}): {len(self.questions)} question(s) from {self.items} item(s).",
                 "Imported questions need no source quote (sources: optional); add one where you can."]
        if self.problems:
            lines.append("Not converted, or not completely:")
            lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


def guess_format(filename: str) -> str | None:
    """The import format a file name suggests, if its extension is unambiguous."""
    return EXTENSIONS.get(Path(filename).suffix.lower())


def read_items(text: str, fmt: str, max_questions: int | None = None) -> ParseResult:
    """Items and reading problems of a text in one of the import formats; TooManyQuestions past max_questions."""
    reader = READERS.get(fmt)
    if reader is None:
        raise FormatError(f"unknown format {fmt!r} (one of: {', '.join(IMPORT_FORMATS)})")
    return reader(text, max_questions)


def import_text(text: str, fmt: str, bank_id: str, title: str, documents: dict[str, Any] | None = None,
                description: str = "", max_questions: int | None = None) -> Imported:
    """Convert a text in another format into our bank: question mappings plus every problem, by line."""
    if not ID_PATTERN.match(bank_id):
        raise FormatError(f"bank id {bank_id!r} must be lower-case letters, digits and hyphens")
    # Refused while reading, before the slow part (converting each item): no item counts as fewer questions
    # than it becomes, so what passes here converts to at most max_questions.
    parsed = read_items(text, fmt, max_questions)
    if fmt == "anki":
        anki.question_ids(parsed.items, bank_id)
    conversion = convert_items(parsed.items, title, documents)
    problems = sorted(parsed.problems + conversion.problems, key=lambda problem: problem.line)
    return Imported(bank_metadata(bank_id, title, description), conversion.questions, problems,
                    len(parsed.questions) + sum(1 for p in parsed.problems if p.skipped), list(parsed.problems),
                    conversion.lines, conversion.formers, conversion.worded)


def bank_yaml(imported: Imported, source: str, fmt: str, documents: dict[str, Any] | None = None) -> str:
    """The imported bank as one YAML file, after checking that it reads back as the same valid questions."""
    text = single_file(imported.meta, imported.questions, imported.header(source, fmt))
    try:
        document = load_yaml(text)
    except YamlError as error:  # pragma: no cover - the dumper writes valid YAML
        raise FormatError(f"the converted bank is not valid YAML: {error.message}") from error
    for raw, original in zip(document["questions"], imported.questions, strict=True):
        _, errors = validate_question(raw, documents or {}, require_source=False, require_explanation=False)
        if errors or dict(raw) != original:  # pragma: no cover - a converter bug, not a user error
            raise FormatError(f"question {original.get('id')!r} did not survive writing as YAML")
    return text


def convert_upload(filename: str, data: bytes, fmt: str | None = None, documents: dict[str, Any] | None = None,
                   max_questions: int | None = None) -> tuple[str, list[Problem]]:
    """Convert an uploaded file into the YAML text of a single-file bank, and the problems by line.

    fmt is one of IMPORT_FORMATS (guessed from the file name when None). The
    bank's id and title come from the file name, and it declares
    `sources: optional`. Raises FormatError when the file cannot be read at
    all or none of its items could be converted, and TooManyQuestions (a
    FormatError) as soon as reading finds more than max_questions.
    """
    text, imported = convert_upload_lines(filename, data, fmt, documents, max_questions)
    return text, imported.problems


def convert_upload_lines(filename: str, data: bytes, fmt: str | None = None,
                         documents: dict[str, Any] | None = None, max_questions: int | None = None,
                         ) -> tuple[str, Imported]:
    """convert_upload's bank, and what the conversion knows of its questions: the problems, the line of the
    file each question came from, the former id of each whose id the file gives, and which take theirs from
    their words (see Conversion)."""
    fmt = fmt or guess_format(filename)
    if fmt is None:
        raise FormatError(f"cannot tell the format of {filename!r}; choose one of: {', '.join(IMPORT_FORMATS)}")
    stem = Path(filename).stem or "imported"
    imported = import_text(decode(data, "upload it again"), fmt, slug(stem) or "imported", stem, documents,
                           max_questions=max_questions)
    if imported.unreadable:
        shown = "; ".join(str(problem) for problem in imported.unreadable[:5])
        more = f" and {len(imported.unreadable) - 5} more" if len(imported.unreadable) > 5 else ""
        raise UnreadableItems(f"{len(imported.unreadable)} item(s) cannot be read ({shown}{more}); fix them and "
                              "upload the file again: nothing was loaded", imported.unreadable)
    if not imported.questions:
        reasons = "; ".join(str(problem) for problem in imported.problems[:5]) or "the file holds no questions"
        raise FormatError(f"no question could be converted ({reasons})")
    return bank_yaml(imported, filename, fmt, documents), imported


# How many choices can share a multiple-response question's marks in Moodle, whose grades are a fixed list
# (question_bank::fraction_options_full): 1/n for n up to 10, and 1/20.
_MOODLE_SHARES = {*range(1, 11), 20}


def export_items(bank: ParsedBank, fmt: str, documents: dict[str, Any]) -> tuple[list[Item], list[str]]:
    """The bank's items a writer can hold, and a note for each question left out or not fully kept."""
    holds, name = _HOLDS[fmt], _NAMES[fmt]
    kept: list[Item] = []
    notes: list[str] = []
    for item in bank_items(bank, documents):
        label = f"question '{item.name}'"
        if item.qtype == "category":
            if "category" in holds:
                kept.append(item)
            continue
        if item.qtype not in holds or (fmt == "aiken" and not aiken.writable(item)):
            reason = ("Aiken holds only single-choice questions (with at most 26 choices)" if fmt == "aiken"
                      else f"{name} has no {_OUR_NAMES.get(item.qtype, item.qtype)}")
            notes.append(f"{label}: not exported; {reason}")
            continue
        if fmt == "gift" and (item.unit or item.unit_aliases):
            what = (f"the unit {item.unit!r} and its spellings are" if item.unit
                    else f"the unit spellings ({', '.join(item.unit_aliases)}) are")
            notes.append(f"{label}: {what} not exported; GIFT numbers have no units")
        if fmt == "moodlexml" and item.unit_aliases and not item.unit:
            notes.append(f"{label}: unit spellings without a unit ({', '.join(item.unit_aliases)}) are not "
                         "exported; Moodle units need a name")
        if fmt in ("gift", "moodlexml") and item.qtype == "multichoice" and not item.single:
            right, wrong = (sum(1 for a in item.answers if sign * a.fraction > 0) for sign in (1, -1))
            if right not in _MOODLE_SHARES or (wrong and wrong not in _MOODLE_SHARES):
                notes.append(f"{label}: Moodle will refuse it: with {right} right and {wrong} wrong choices each "
                             "is worth a share of the marks Moodle does not offer (it has 1/1 to 1/10 and 1/20)")
        if fmt == "gift" and not item.shuffle:
            notes.append(f"{label}: 'shuffle: false' is not exported; GIFT cannot say it")
        kept.append(item)
    if fmt == "aiken" and any(item.general_feedback for item in kept):
        notes.append("Aiken has no feedback: the explanations and cited sources are not exported")
    # A category switch matters only when a question follows it.
    kept = [item for index, item in enumerate(kept)
            if item.qtype != "category" or (index + 1 < len(kept) and kept[index + 1].qtype != "category")]
    if not kept:
        raise FormatError(f"none of the bank's questions can be written as {name}")
    return kept, notes


def export_notes(bank: ParsedBank, fmt: str, documents: dict[str, Any]) -> list[str]:
    """What an export of the bank would leave out or change, without writing it."""
    if fmt in ("anki", "csv"):
        return []  # every question becomes a card
    if fmt not in _HOLDS:
        raise FormatError(f"unknown format {fmt!r} (one of: {', '.join(EXPORT_FORMATS)})")
    return export_items(bank, fmt, documents)[1]


def export_bank(bank: ParsedBank, fmt: str, documents: dict[str, Any]) -> tuple[str, list[str]]:
    """The bank as text in an export format, and a note for everything that could not be written."""
    if fmt == "anki":
        return anki_writer.write_anki(bank, documents), []
    if fmt == "csv":
        return anki_writer.write_csv(bank, documents), []
    if fmt not in _HOLDS:
        raise FormatError(f"unknown format {fmt!r} (one of: {', '.join(EXPORT_FORMATS)})")
    items, notes = export_items(bank, fmt, documents)
    writers = {"gift": gift_writer.write_gift, "moodlexml": moodlexml_writer.write_moodlexml,
               "aiken": aiken.write_aiken}
    return writers[fmt](items), notes
