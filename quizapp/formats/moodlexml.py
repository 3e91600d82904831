"""Read Moodle XML question files safely: no DTD, no entity expansion, every question kept or reported.

Parsing goes through defusedxml, so a document type declaration (and with it
any entity bomb or external entity) is refused before anything is expanded.
Each <question> becomes an Item carrying the line it starts on; types we do
not read are still returned, under their Moodle name, so they can be reported.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET  # noqa: N817 - only for the types; parsing is done by defusedxml
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from quizapp.formats.model import (
    MAX_ANSWERS,
    MAX_BLANKS,
    MAX_CHOICES,
    MAX_PAIRS,
    Answer,
    FormatError,
    Item,
    ParseResult,
    Text,
    over_limit,
)
from quizapp.formats.multianswer import gap_count, read_multianswer
from quizapp.formats.textio import normalise_newlines

# Moodle XML format names and ours.
XML_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}
_TYPE_NAMES = {"matching": "match", "cloze": "cloze"}


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that notes the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}
        self.open: list[tuple[str, int]] = []  # the elements not closed yet, and their lines

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        """Remember each element's line, for error messages."""
        element = super().start(tag, attrs)
        expat = getattr(self.parser, "parser", None)
        self.lines[id(element)] = expat.CurrentLineNumber if expat is not None else 1
        self.open.append((tag, self.lines[id(element)]))
        return element

    def end(self, tag: str) -> ET.Element:
        """Note that the element is closed."""
        self.open.pop()
        return super().end(tag)

    def unclosed(self, error: str) -> str:
        """What to do about a closing tag that does not match, or a file that ends too soon: expat names where it
        noticed, which is after the element left open, and not that element."""
        if not self.open:
            return ""
        tag, line = self.open[-1]
        if error.startswith("mismatched tag"):
            return f"; <{tag}> on line {line} is not closed before it: close it with </{tag}>"
        if error.startswith(("no element found", "unclosed token")):
            return f"; the file ends before <{tag}> on line {line} is closed: close it with </{tag}>"
        return ""


def parse_xml(text: str) -> tuple[ET.Element, dict[int, int]]:
    """The root element of an XML text and each element's line; FormatError if it is not safe, well-formed XML."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(text)
        root = parser.close()
    except ET.ParseError as error:
        position = getattr(error, "position", None)
        raise FormatError(f"not well-formed XML: {error}{builder.unclosed(str(error))}",
                          position[0] if position else 1) from None
    except DefusedXmlException as error:
        raise FormatError(f"XML with a document type declaration or entities is refused ({type(error).__name__})",
                          1) from None
    except (ValueError, RecursionError) as error:
        raise FormatError(f"the XML cannot be read: {error}") from None
    return root, builder.lines


def read_moodlexml(text: str, limit: int | None = None) -> ParseResult:
    """Parse a Moodle XML <quiz>: categories and questions in order, unreadable questions as problems."""
    root, lines = parse_xml(normalise_newlines(text))
    if root.tag != "quiz":
        raise FormatError(f"a Moodle XML file has <quiz> as its root element, not <{root.tag}>", lines.get(id(root), 1))
    try:
        return _read_quiz(root, lines, limit)
    except RecursionError:
        raise FormatError("the XML is nested too deeply to read") from None


def _read_quiz(root: ET.Element, lines: dict[int, int], limit: int | None) -> ParseResult:
    result = ParseResult(limit=limit)
    for element in root:
        line = lines.get(id(element), 1)
        if element.tag != "question":
            result.unreadable(line, f"<{element.tag}> inside <quiz> is not a question; ignored")
            continue
        try:
            result.add(_question(element, line))
        except _Invalid as error:
            result.unreadable(line, error.reason, _text_of(element.find("name")))
    return result


class _Invalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _question(element: ET.Element, line: int) -> Item:
    qtype = element.get("type", "")
    if not qtype:
        raise _Invalid("a <question> without a type attribute")
    qtype = _TYPE_NAMES.get(qtype, qtype)
    if qtype == "category":
        return Item("category", line, category=_text_of(element.find("category")),
                    category_info=_rich(element.find("info"), "moodle"), idnumber=_text_of(element.find("idnumber")))
    text = _rich(element.find("questiontext"), "moodle")
    item = Item(qtype, line, name=_text_of(element.find("name")), text=text,
                general_feedback=_rich(element.find("generalfeedback"), text.format),
                idnumber=_text_of(element.find("idnumber")), tags=_tags(element))
    reader = _READERS.get(qtype)
    if reader is not None:
        reader(item, element)
    return item


def _child_text(element: ET.Element | None) -> str:
    """The text of element's <text> child (CDATA is already plain text here)."""
    if element is None:
        return ""
    child = element.find("text")
    return "".join(child.itertext()) if child is not None else ""


def _text_of(element: ET.Element | None) -> str:
    """The text of an element that is either <x><text>...</text></x> or <x>...</x>."""
    if element is None:
        return ""
    if element.find("text") is not None:
        return _child_text(element).strip()
    return "".join(element.itertext()).strip()


def _rich(element: ET.Element | None, default: str) -> Text:
    if element is None:
        return Text("", default)
    return Text(_child_text(element).strip(), XML_FORMATS.get(element.get("format", ""), default))


def _tags(element: ET.Element) -> list[str]:
    tags = element.find("tags")
    if tags is None:
        return []
    return [value for tag in tags.findall("tag") if (value := _text_of(tag))]


def _flag(element: ET.Element, name: str, default: bool) -> bool:
    value = _text_of(element.find(name)).lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    return default


def _fraction(answer: ET.Element) -> float:
    raw = answer.get("fraction", "0").strip()
    try:
        value = float(raw) / 100
    except ValueError:
        raise _Invalid(f"answer fraction {raw!r} is not a number") from None
    if not -1.0000001 <= value <= 1.0000001:
        raise _Invalid(f"answer fraction {raw!r} is outside -100 to 100")
    return value


# The most <answer> elements a question of each type may have, and its name in the message past that.
_MOST_ANSWERS = {"multichoice": (MAX_CHOICES, "a multichoice question", "choices"),
                 "shortanswer": (MAX_ANSWERS, "a shortanswer question", "answers"),
                 "numerical": (MAX_ANSWERS, "a numerical question", "answers")}


def _counted(element: ET.Element, tag: str, limit: int, question: str, parts: str) -> list[ET.Element]:
    """The children of element with this tag, or _Invalid past limit, before any of them is read."""
    found = element.findall(tag)
    if len(found) > limit:
        raise _Invalid(over_limit(question, parts, len(found), limit))
    return found


def _answers(item: Item, element: ET.Element, plain: bool = False) -> list[ET.Element]:
    found = _counted(element, "answer", *_MOST_ANSWERS[item.qtype])
    for answer in found:
        text = _rich(answer, "plain" if plain else item.text.format)
        item.answers.append(Answer(Text(text.text, "plain") if plain else text, _fraction(answer),
                                   _rich(answer.find("feedback"), item.text.format)))
    return found


def _read_multichoice(item: Item, element: ET.Element) -> None:
    item.single = _flag(element, "single", True)
    item.shuffle = _flag(element, "shuffleanswers", True)
    _answers(item, element)


def _read_truefalse(item: Item, element: ET.Element) -> None:
    answers = element.findall("answer")
    by_text: dict[str, tuple[float, Text]] = {}
    for answer in answers:
        by_text[_child_text(answer).strip().lower()] = (_fraction(answer), _rich(answer.find("feedback"), "html"))
    if set(by_text) != {"true", "false"}:
        raise _Invalid("a truefalse question needs exactly the answers 'true' and 'false'")
    item.correct = by_text["true"][0] > by_text["false"][0]
    item.feedback_true, item.feedback_false = by_text["true"][1], by_text["false"][1]


def _read_shortanswer(item: Item, element: ET.Element) -> None:
    _answers(item, element, plain=True)
    if _text_of(element.find("usecase")).strip() == "1":
        item.notes.append("answers must match in case in Moodle (usecase 1); here a typed answer is accepted "
                          "in any case")


def _read_numerical(item: Item, element: ET.Element) -> None:
    for answer, found in zip(_answers(item, element, plain=True), item.answers, strict=True):
        raw = _text_of(answer.find("tolerance"))
        try:
            found.tolerance = abs(float(raw)) if raw else 0.0
        except ValueError:
            found.tolerance = math.nan
        if not math.isfinite(found.tolerance):
            raise _Invalid(f"tolerance {raw!r} is not a number")
    units = element.find("units")
    for unit in units.findall("unit") if units is not None else []:
        name = _text_of(unit.find("unit_name"))
        multiplier = _text_of(unit.find("multiplier")) or "1"
        try:
            same = abs(float(multiplier) - 1) < 1e-9
        except ValueError:
            same = False
        if not name:
            continue
        if not same:
            item.notes.append(f"the unit {name!r} (multiplier {multiplier}) is not kept: units here only "
                              "name the answer's own unit")
        elif not item.unit:
            item.unit = name
        else:
            item.unit_aliases.append(name)


def _read_match(item: Item, element: ET.Element) -> None:
    item.shuffle = _flag(element, "shuffleanswers", True)
    for sub in _counted(element, "subquestion", MAX_PAIRS, "a matching question", "pairs"):
        left = Text(_child_text(sub).strip(), XML_FORMATS.get(sub.get("format", ""), item.text.format))
        item.pairs.append((left, _text_of(sub.find("answer"))))


def _read_cloze(item: Item, element: ET.Element) -> None:
    gaps = gap_count(item.text)
    if gaps > MAX_BLANKS:  # counted before any gap's answers are converted
        raise _Invalid(over_limit("a cloze question", "gaps", gaps, MAX_BLANKS))
    item.text, item.blanks = read_multianswer(item.text)


_READERS: dict[str, Any] = {
    "multichoice": _read_multichoice, "truefalse": _read_truefalse, "shortanswer": _read_shortanswer,
    "numerical": _read_numerical, "match": _read_match, "cloze": _read_cloze,
}
