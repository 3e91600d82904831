"""Turn items read from another format into question mappings of our bank files.

Each mapping has the shape a YAML bank file holds, so the result goes
through the same checker as hand-written banks. What our question types
cannot express is reported per item, with its line; see docs/formats.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from quizapp.banks.schema import DIFFICULTIES, ID_PATTERN, validate_question
from quizapp.content.markdown import plain_text
from quizapp.formats import feedback
from quizapp.formats.convert_types import BUILDERS, UNSUPPORTED, Skip
from quizapp.formats.model import BLANK_END, BLANK_START, Item, Problem, Text
from quizapp.formats.textio import LOSSES, slug, to_markdown

DIFFICULTY_TAG = "difficulty-"
DEFAULT_DIFFICULTY = "recall"
_MARKER = re.compile(f"{BLANK_START}(\\d+){BLANK_END}")


@dataclass
class Conversion:
    """Our question mappings, and what could not be converted or not completely."""

    questions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The line of the input each question came from, by id, for problems found once the bank is checked.
    lines: dict[str, int] = field(default_factory=dict)
    # For a question whose id is its own (an idnumber, an Anki GUID), the id its name or words would give it:
    # the id it had in a bank loaded before the file gave it one (Anki GUIDs were not read before).
    formers: dict[str, str] = field(default_factory=dict)
    # The questions whose id comes from their name or words, the file giving them none (a CSV row, an Aiken
    # question): when such a file updates a bank, the loader may find their question by what they ask.
    worded: set[str] = field(default_factory=set)


class Converter:
    """Converts items one by one, keeping ids unique and the current category as the topic."""

    def __init__(self, default_topic: str, documents: dict[str, Any]) -> None:
        self.topic = default_topic
        self.default_topic = default_topic
        self.documents = documents
        self.ids: set[str] = set()
        # For each id prefix, the first "-N" suffix that may be free (every lower one is taken), so that
        # thousands of questions with one name do not each try all the suffixes before them again.
        self._next_suffix: dict[str, int] = {}
        # The ids names and words alone give, handed out as the ids above were before items had ids of their own.
        self.former_ids: set[str] = set()
        self._former_suffix: dict[str, int] = {}
        self._formers: dict[str, tuple[str, bool]] = {}
        self.result = Conversion()

    def note(self, item: Item, reason: str, skipped: bool = False) -> None:
        """Record something about an item that was not kept (or, if skipped, the whole item)."""
        label = f"{item.qtype} '{item.name}'" if item.name else item.qtype
        text = f"{label} not imported: {reason}" if skipped else f"{label}: {reason}"
        self.result.problems.append(Problem(item.line, text, skipped))

    def markdown(self, item: Item, text: Text) -> str:
        """Any text as our Markdown; parts that cannot be kept (images, media) are reported."""
        markdown, lost = to_markdown(text)
        for what in sorted(lost):
            self.note(item, LOSSES.get(what, f"{what} in the text are not imported"))
        return markdown

    def inline(self, item: Item, text: Text) -> str:
        """Text shown on one line (a choice): paragraphs joined."""
        return " ".join(self.markdown(item, text).split())

    def convert(self, item: Item) -> None:
        """Convert one item, or note why it was not converted."""
        if item.qtype == "category":
            self.topic = topic_of(item.category) or self.default_topic
            return
        builder = BUILDERS.get(item.qtype)
        if builder is None:
            self.note(item, UNSUPPORTED.get(item.qtype, f"{item.qtype} questions have no equivalent here"), True)
            return
        before = len(self.result.problems)
        try:
            questions = builder(self, item)
        except Skip as error:
            del self.result.problems[before:]
            self.note(item, str(error), True)
            return
        for reason in item.notes:
            self.note(item, reason)
        for question in questions:
            self._finish(item, question, before)

    def _finish(self, item: Item, question: dict[str, Any], before: int) -> None:
        question["topic"] = self.topic
        tags = list(dict.fromkeys(tag for tag in item.tags if not tag.startswith(DIFFICULTY_TAG)))
        if tags:
            question["tags"] = tags
        levels = [tag[len(DIFFICULTY_TAG):] for tag in item.tags if tag.startswith(DIFFICULTY_TAG)]
        question["difficulty"] = next((level for level in levels if level in DIFFICULTIES), DEFAULT_DIFFICULTY)
        _, errors = validate_question(question, self.documents, require_source=False, require_explanation=False)
        if errors:
            del self.result.problems[before:]
            self._release(question["id"])
            self.note(item, f"{errors[0].field}: {errors[0].message}", True)
            return
        self.result.questions.append(question)
        self.result.lines[question["id"]] = item.line
        former, own = self._formers.get(question["id"], ("", False))
        if own and former != question["id"]:
            self.result.formers[question["id"]] = former
        elif not own:
            self.result.worded.add(question["id"])

    def start(self, item: Item, qtype: str, suffix: str = "") -> dict[str, Any]:
        """A question mapping with a unique id (from the idnumber, the name or the text) and its type."""
        plain = plain_text(to_markdown(_filled(item))[0])
        own = _id_base(item.idnumber)
        named = slug(item.name) or slug(plain) or "question"
        key = self._unique(_with_suffix(own or named, suffix))
        self._formers[key] = (self._unique(_with_suffix(named, suffix), former=True), bool(own))
        return {"id": key, "type": qtype}

    def _unique(self, base: str, former: bool = False) -> str:
        """base if it is free, else the first free of base[:95]-2, -3, ..."""
        ids, suffixes = (self.former_ids, self._former_suffix) if former else (self.ids, self._next_suffix)
        key = base
        if key in ids:
            prefix = base[:95]
            number = suffixes.get(prefix, 2)
            key = f"{prefix}-{number}"
            while key in ids:  # taken by a question named so, not by a suffix handed out here
                number += 1
                key = f"{prefix}-{number}"
            suffixes[prefix] = number + 1
        ids.add(key)
        return key

    def _release(self, key: str, former: bool = False) -> None:
        """Free the id of a question that was not kept, for the next question of that name to take."""
        ids, suffixes = (self.former_ids, self._former_suffix) if former else (self.ids, self._next_suffix)
        ids.discard(key)
        prefix, _, number = key.rpartition("-")
        if (number.isascii() and number.isdigit() and key == f"{prefix}-{int(number)}"
                and 2 <= int(number) < suffixes.get(prefix, 2)):
            suffixes[prefix] = int(number)
        if not former and key in self._formers:
            self._release(self._formers.pop(key)[0], former=True)

    def explain(self, item: Item, question: dict[str, Any], *fallbacks: Text | str) -> None:
        """Explanation from the general feedback (or else the given texts or Markdown), cited passages recognised."""
        texts = [item.general_feedback] if item.general_feedback else [t for t in fallbacks if t]
        combined = "\n\n".join(dict.fromkeys(text if isinstance(text, str) else self.markdown(item, text)
                                              for text in texts))
        explanation, sources = feedback.split(combined, self.documents)
        if explanation:
            question["explanation"] = explanation
        if sources:
            question["source"] = sources[0] if len(sources) == 1 else sources


def _filled(item: Item) -> Text:
    """The item's text with each cloze gap shown as its first answer (for naming the question)."""
    def answer(match: re.Match[str]) -> str:
        """A gap's first answer, in place of its marker."""
        index = int(match.group(1))
        answers = item.blanks[index].answers if index < len(item.blanks) else []
        return answers[0].text.text if answers else ""

    return Text(_MARKER.sub(answer, item.text.text), item.text.format)


def _with_suffix(base: str, suffix: str) -> str:
    return f"{base[:90]}-{suffix}" if suffix else base[:100]


def _id_base(idnumber: str) -> str:
    return idnumber if ID_PATTERN.match(idnumber) else slug(idnumber)


def topic_of(category: str) -> str:
    """The last part of a Moodle category path ('//' stands for a slash inside a name)."""
    parts = [part.replace("\0", "/").strip() for part in category.replace("//", "\0").split("/")]
    parts = [part for part in parts if part and not (part.startswith("$") and part.endswith("$")) and part != "top"]
    return " ".join(parts[-1].split())[:100] if parts else ""


def convert_items(items: list[Item], default_topic: str, documents: dict[str, Any] | None = None) -> Conversion:
    """Our question mappings for the items; topics come from categories, else default_topic."""
    converter = Converter(default_topic, documents or {})
    for item in items:
        converter.convert(item)
    return converter.result
