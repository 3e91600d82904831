"""Write a bank as an Anki 2.1.55+ text export, or as plain two-column CSV.

Flashcards become Basic notes and cloze questions Cloze notes; every other
question becomes a Basic note asking it (with its choices) on the front and
giving the answer, the explanation and the cited passages on the back.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from quizapp.banks.checker import ParsedBank
from quizapp.banks.schema import CLOZE_BLANK, ParsedQuestion
from quizapp.formats.anki import OUR_GUID, guid_of
from quizapp.formats.convert import DIFFICULTY_TAG
from quizapp.formats.export import general_feedback, plain_number
from quizapp.formats.textio import markdown_to_html


def _html(markdown: str) -> str:
    # One line per note: HTML does not need the line breaks between tags.
    return re.sub(r"\s*\n\s*", " ", markdown_to_html(markdown)).strip() if markdown.strip() else ""


def _answer_markdown(question: ParsedQuestion) -> str:
    """The right answer in words, as Markdown."""
    data = question.data
    if question.type in ("single_choice", "multiple_response"):
        return "\n".join(f"- {data['choices'][index]['text']}" for index in data["correct"])
    if question.type == "true_false":
        return "True" if data["answer"] else "False"
    if question.type == "numeric":
        tolerance = f" (± {plain_number(data['tolerance'])})" if data["tolerance"] else ""
        return f"{plain_number(data['answer'])}{' ' + data['unit'] if data['unit'] else ''}{tolerance}"
    if question.type == "short_text":
        return " / ".join(data["answers"])
    return data.get("back", "")


def front_back(question: ParsedQuestion, documents: dict[str, Any]) -> tuple[str, str]:
    """A question as the Markdown of a card's front and back (the back carries explanation and sources)."""
    data = question.data
    if question.type == "flashcard":
        front = data["front"]
    elif question.type == "cloze":
        front = CLOZE_BLANK.sub("_____", data["text"])
    else:
        front = data["prompt"]
        if question.type in ("single_choice", "multiple_response"):
            front += "\n\n" + "\n".join(f"- {choice['text']}" for choice in data["choices"])
    answer = _answer_markdown(question) if question.type != "cloze" else ", ".join(b[0] for b in data["blanks"])
    back = "\n\n".join(part for part in (answer, general_feedback(question, documents)) if part)
    return front, back


def _cloze_text(text: str) -> str:
    """Our {{a|b}} blanks as Anki deletions {{c1::a}}, {{c2::...}} (the first alternative is the answer)."""
    count = iter(range(1, 10_000))
    marked = CLOZE_BLANK.sub(lambda m: f"\ue002{next(count)}\ue003{m.group(1).split('|')[0].strip()}\ue004", text)
    html = _html(marked)
    return re.sub("\ue002(\\d+)\ue003(.*?)\ue004", lambda m: f"{{{{c{m.group(1)}::{m.group(2)}}}}}", html)


def _tags(question: ParsedQuestion) -> str:
    tags = [*question.tags, f"{DIFFICULTY_TAG}{question.difficulty}"]
    return " ".join("_".join(tag.split()) for tag in tags)


def write_anki(bank: ParsedBank, documents: dict[str, Any]) -> str:
    """Anki text with header lines: GUID (which our import reads back as the question id), note type, deck
    (bank::topic), two fields and tags per note."""
    out = io.StringIO()
    out.write("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n")
    writer = _RowWriter(out, "\t")
    for question in bank.questions:
        deck = f"{_deck(bank.title)}::{_deck(question.topic)}"
        # A question uploaded from Anki gets its note's GUID back, so that Anki updates that note.
        guid = guid_of(question.key) or f"{OUR_GUID}{bank.slug}-{question.key}"
        if question.type == "cloze":
            extra = general_feedback(question, documents)
            row = [guid, "Cloze", deck, _cloze_text(question.data["text"]), _html(extra)]
        else:
            front, back = front_back(question, documents)
            row = [guid, "Basic", deck, _html(front), _html(back)]
        writer.writerow([*row, _tags(question)])
    return out.getvalue()


class _RowWriter:
    """CSV rows as Anki reads them: a row whose first field starts with "#" has that field quoted, since Anki
    (and our import) take a line starting with "#" for a comment and would drop the note."""

    def __init__(self, out: io.StringIO, delimiter: str) -> None:
        self._plain = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        self._quoted = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: list[str] | tuple[str, ...]) -> None:
        """Write one row, quoted whole when its first field starts with "#"."""
        (self._quoted if row[0].startswith("#") else self._plain).writerow(row)


def _deck(name: str) -> str:
    return " ".join(name.replace("::", ":").split())


def write_csv(bank: ParsedBank, documents: dict[str, Any]) -> str:
    """Two columns, front and back, holding Markdown as the bank files do, after Anki's header lines."""
    out = io.StringIO()
    # A byte-order mark: without it Excel reads the file in the computer's code page, and a Russian or Kazakh
    # bank opened to be edited shows as gibberish. Our import and Anki's skip it.
    out.write("\ufeff")
    # Anki's text import has no header row: a "front,back" row would become a note of its own. "#" lines are
    # its header lines instead: the separator (so a comma or semicolon in the first question cannot mislead
    # a guess) and plain text, so that Anki shows the Markdown as written, line breaks kept. No "#columns:":
    # Anki maps named columns to fields by name, and a Basic note type in Russian or Kazakh has no field
    # named Front or Back, which would leave every card without its back.
    out.write("#separator:comma\n#html:false\n")
    writer = _RowWriter(out, ",")
    for question in bank.questions:
        writer.writerow(front_back(question, documents))
    return out.getvalue()
