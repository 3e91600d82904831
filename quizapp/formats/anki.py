"""Read Anki's text exports (with the header lines of Anki 2.1.55+) and plain two-column CSV or TSV.

Header lines (`#separator:`, `#html:`, `#columns:`, `#notetype:`, `#deck:`,
`#tags:` and the `... column:N` forms) say how to read the rows that follow.
A note whose note type is a Cloze type (or, without a note type, whose first
field holds `{{c1::...}}`) becomes a cloze item; any other note a flashcard.
A note's GUID (`#guid column:N`) gives its question id, so that editing a note
in Anki and uploading the export again revises the same question.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from quizapp.banks.schema import ID_PATTERN
from quizapp.formats.model import (
    MAX_BLANKS,
    Answer,
    Blank,
    FormatError,
    Item,
    ParseResult,
    Text,
    blank_marker,
    over_limit,
)
from quizapp.formats.textio import normalise_newlines, to_plain

SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}
_HEADER = re.compile(r"^#([A-Za-z ]+):(.*)$")
_SOUND = re.compile(r"\[sound:[^\]\n]*\]")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_KNOWN = {"separator", "html", "tags", "columns", "notetype", "deck", "notetype column", "deck column",
          "tags column", "guid column"}
_HEADER_WORDS = {("front", "back"), ("question", "answer"), ("term", "definition")}
# Our own export's GUIDs are "quizapp-<bank id>-<question id>"; other GUIDs (Anki's own are ten characters of
# letters, digits and punctuation, case mattering) become "anki-" and their UTF-8 bytes in lower-case base 32,
# an id the exporter can turn back into the GUID. Past this many bytes the id would be too long: a digest.
OUR_GUID = "quizapp-"
GUID_ID = "anki-"
_GUID_BYTES = 59
_OURS = re.compile(r"quizapp-[a-z0-9-]+")


@dataclass
class _Header:
    separator: str | None = None
    html: bool | None = None
    tags: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    notetype: str = ""
    deck: str = ""
    notetype_column: int = 0
    deck_column: int = 0
    tags_column: int = 0
    guid_column: int = 0


def read_anki(text: str, limit: int | None = None) -> ParseResult:
    """Parse an Anki text export: header lines, then one note per row."""
    lines = normalise_newlines(text).split("\n")
    header, start = _read_header(lines)
    body = "\n".join(lines[start:])
    separator = header.separator or _guess_separator(body)
    result = ParseResult(limit=limit)
    deck_seen = ""
    for line, fields in _rows(body, separator, start):
        item = _note(header, fields, line, result)
        if item is None:
            continue
        deck = _field(fields, header.deck_column) or header.deck
        if deck and deck != deck_seen:
            # Anki nests decks with "::"; a "/" is part of a deck's name, doubled as in a Moodle category path.
            result.add(Item("category", line, category=deck.replace("/", "//").replace("::", "/")))
            deck_seen = deck
        result.add(item)
    return result


def read_csv(text: str, limit: int | None = None) -> ParseResult:
    """Parse plain two-column CSV or TSV: front, then back (an optional header row is skipped)."""
    body = normalise_newlines(text)
    separator = _csv_header(body.split("\n")) or _guess_separator(body)
    result = ParseResult(limit=limit)
    for index, (line, fields) in enumerate(_rows(body, separator, 0)):
        cells = [cell.strip() for cell in fields]
        # Our exports before the "#" header lines named the columns in a first row.
        if index == 0 and tuple(cell.lower() for cell in cells[:2]) in _HEADER_WORDS:
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            result.unreadable(line, "a row needs a front and a back, in two columns")
            continue
        item = Item("flashcard", line, text=Text(cells[0], "markdown"), back=Text(cells[1], "markdown"))
        if any(cells[2:]):
            item.notes.append("columns after the second are not imported")
        result.add(item)
    return result


def _header_lines(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """The file's leading "#" lines: each one's number and, for a header Anki writes, its key and value (else
    two empty strings)."""
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            return
        match = _HEADER.match(line.strip())
        key = match.group(1).strip().lower() if match else ""
        yield (number, key, match.group(2).strip()) if key in _KNOWN else (number, "", "")


def _csv_header(lines: list[str]) -> str | None:
    """The separator named by the header lines of a plain CSV file (ours: `#separator:comma`, `#html:false`),
    or None; refuse an Anki export chosen as CSV: read so, its notes would load as junk cards."""
    separator = None
    for number, key, value in _header_lines(lines):
        # A spreadsheet that saved the file may have padded the line with separators ("#html:false,").
        value = value.lower().rstrip(",;\t|").strip() or value.strip()
        if key == "separator" and (value in SEPARATORS or len(value) == 1):
            separator = SEPARATORS.get(value, value)
        elif key and not (key == "html" and value == "false"):
            raise FormatError(f"this looks like an Anki export ({lines[number - 1].strip()[:60]!r}): choose the "
                              "Anki format", number)
    return separator


def _read_header(lines: list[str]) -> tuple[_Header, int]:
    """The header lines at the top of the file, and the index of the first line after them."""
    header, after = _Header(), 0
    for after, key, value in _header_lines(lines):
        if key:
            _apply(header, key, value, after)
    _name_columns(header)
    return header, after


def _name_columns(header: _Header) -> None:
    """Columns named Tags, Deck, Notetype or GUID in a #columns line are read as those."""
    if not header.columns:
        return
    names = [name.strip().lower() for name in header.columns[0].split(header.separator or "\t")]
    for name, attribute in (("tags", "tags_column"), ("deck", "deck_column"), ("notetype", "notetype_column"),
                            ("guid", "guid_column")):
        if name in names and not getattr(header, attribute):
            setattr(header, attribute, names.index(name) + 1)


def _apply(header: _Header, key: str, value: str, line: int) -> None:
    if key == "separator":
        separator = SEPARATORS.get(value.lower(), value if len(value) == 1 else None)
        if separator is None:
            raise FormatError(f"unknown #separator {value!r} (use Comma, Semicolon, Tab, Space, Pipe or Colon)", line)
        header.separator = separator
    elif key == "html":
        header.html = value.lower() == "true"
    elif key == "tags":
        header.tags = value.split()
    elif key == "columns":
        header.columns = [value]
    elif key in ("notetype", "deck"):
        setattr(header, key, value)
    else:
        try:
            column = int(value)
        except ValueError:
            raise FormatError(f"#{key} must be a column number, not {value!r}", line) from None
        if column < 1:
            raise FormatError(f"#{key} must be a column number from 1", line)
        setattr(header, key.replace(" ", "_"), column)


def _guess_separator(body: str) -> str:
    first = next((line for line in body.split("\n") if line.strip() and not line.startswith("#")), "")
    for separator in ("\t", ";", ","):
        if separator in first:
            return separator
    return "\t"


def _rows(body: str, separator: str, offset: int) -> Iterator[tuple[int, list[str]]]:
    """Each non-empty row with the line it starts on (quoted fields may run over several lines)."""
    # Read as a file with its own line ends, so that a quoted field keeps the line breaks it spans; row by
    # row, so that reading stopped at a limit does not split the rest of the file.
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, quotechar='"', strict=False)
    starts = body.split("\n")
    line = 1
    try:
        for fields in reader:
            # A comment is a line that starts with "#"; a field that does is quoted ("#…"), as Anki writes a
            # GUID such as #Ab1… (one in ninety of its GUIDs), and is a note.
            comment = line <= len(starts) and starts[line - 1].startswith("#")
            if any(cell.strip() for cell in fields) and not comment:
                yield line + offset, fields
            line = reader.line_num + 1
    except csv.Error as error:
        raise FormatError(f"the rows cannot be read: {error}", reader.line_num + offset) from None


def _field(fields: list[str], column: int) -> str:
    return fields[column - 1].strip() if column and column <= len(fields) else ""


def _note(header: _Header, fields: list[str], line: int, result: ParseResult) -> Item | None:
    meta = {header.notetype_column, header.deck_column, header.tags_column, header.guid_column} - {0}
    values = [value for number, value in enumerate(fields, start=1) if number not in meta]
    # Anki plays [sound:file] from its media folder, which a text export does not carry.
    sounds = sum(len(_SOUND.findall(value)) for value in values[:2])
    values = [_SOUND.sub("", value) for value in values[:2]] + values[2:]
    notetype = _field(fields, header.notetype_column) or header.notetype
    fmt = "moodle" if header.html is None else "html" if header.html else "plain"
    tags = header.tags + _field(fields, header.tags_column).split()
    first = values[0] if values else ""
    cloze = "cloze" in notetype.lower() if notetype else bool(_CLOZE.search(first))
    if not first.strip():
        result.unreadable(line, "the note's first field is empty")
        return None
    deletions = len(_CLOZE.findall(first)) if cloze else 0
    if deletions > MAX_BLANKS:  # counted before any deletion's text is converted
        result.unreadable(line, over_limit("a cloze note", "deletions", deletions, MAX_BLANKS))
        return None
    if cloze:
        item = _cloze(first, values[1] if len(values) > 1 else "", fmt, line)
        if not item.blanks:
            result.unreadable(line, "a cloze note without {{c1::...}} deletions")
            return None
    else:
        back = values[1] if len(values) > 1 else ""
        if not back.strip():
            result.unreadable(line, f"the note ({notetype or 'Basic'}) has no back to show")
            return None
        item = Item("flashcard", line, text=Text(first, fmt), back=Text(back, fmt))
    if any(value.strip() for value in values[2:]):
        item.notes.append("fields after the second are not imported")
    if sounds:
        item.notes.append("sounds ([sound:…]) are not imported: the export does not carry Anki's media files")
    item.tags = tags
    guid = _field(fields, header.guid_column)
    if guid:
        # Ours keep their words until question_ids knows the bank they are uploaded to.
        item.idnumber = guid if _OURS.fullmatch(guid) else guid_id(guid)
    return item


def guid_id(guid: str) -> str:
    """The question id of a note with this GUID: the same GUID always gives the same id, another one another."""
    data = guid.encode()
    if len(data) <= _GUID_BYTES:
        return GUID_ID + base64.b32encode(data).decode().rstrip("=").lower()
    return f"{GUID_ID}sha-{hashlib.sha256(data).hexdigest()[:24]}"


def guid_of(key: str) -> str | None:
    """The GUID a question id made by guid_id came from (None for any other id, or a digest)."""
    encoded = key.removeprefix(GUID_ID)
    if encoded == key or not re.fullmatch(r"[a-z2-7]+", encoded):
        return None
    try:
        guid = base64.b32decode(encoded.upper() + "=" * (-len(encoded) % 8)).decode()
    except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError
        return None
    # An id written by hand that happens to decode must still give this id back, and a field Anki can read.
    return guid if guid.isprintable() and guid.strip() == guid and guid_id(guid) == key else None


def question_ids(items: list[Item], bank_id: str) -> None:
    """Give the notes our export wrote for this bank their question ids back: their GUID holds the bank id
    (the download's file name adds "-anki" to it); another bank's keep their GUID whole, as an id if it is
    short enough."""
    prefixes = [f"{OUR_GUID}{bank}-" for bank in dict.fromkeys((bank_id, bank_id.removesuffix("-anki")))]
    for item in items:
        if not item.idnumber.startswith(OUR_GUID):
            continue
        prefix = next((prefix for prefix in prefixes if item.idnumber.startswith(prefix)), "")
        if prefix and ID_PATTERN.match(item.idnumber[len(prefix):]):
            item.idnumber = item.idnumber[len(prefix):]
        elif not ID_PATTERN.match(item.idnumber):
            item.idnumber = guid_id(item.idnumber)


def _cloze(text: str, extra: str, fmt: str, line: int) -> Item:
    item = Item("cloze", line, back=Text(extra, fmt))

    def deletion(match: re.Match[str]) -> str:
        """Put a blank marker in place of one cloze deletion, which becomes the blank's answer."""
        answer = to_plain(Text(match.group(2), fmt))
        if match.group(3):
            item.notes.append(f"the hint {match.group(3)!r} of a deletion is not kept")
        item.blanks.append(Blank("shortanswer", [Answer(Text(answer, "plain"), 1.0)]))
        return blank_marker(len(item.blanks) - 1)

    item.text = Text(_CLOZE.sub(deletion, text), fmt)
    return item
