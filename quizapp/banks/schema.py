"""Validate one question mapping from a bank file and turn it into stored content."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quizapp.banks.values import brief, finite_number, is_scalar, shorten, yes_no_hint
from quizapp.banks.yamlfile import LineDict
from quizapp.content.documents import Document
from quizapp.content.quotes import find_quote, quote_mismatch
from quizapp.grading.normalize import hedged, parse_number

QUESTION_TYPES = (
    "single_choice", "multiple_response", "true_false", "numeric", "short_text", "cloze", "flashcard",
)
DIFFICULTIES = ("recall", "understanding", "analysis")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
# Far more than a real question lists, and few enough that no one question can hold up a request: every
# question split from a matching question lists all its answers, and an imported file's question with more
# is refused while it is read (quizapp.formats.model). MAX_ANSWERS bounds a short_text's accepted answers.
MAX_CHOICES = 50
MAX_ANSWERS = 50
MAX_BLANKS = 50  # a cloze's blanks, each an input on the page and a Markdown rendering on import


def over_limit(question: str, parts: str, count: int, limit: int) -> str:
    """Why a question with too many pairs, choices, answers or blanks is refused."""
    return f"{question} can have at most {limit} {parts} (this one has {count:,})"


# A blank never holds "{{": each opening is then scanned once, not to the line's end for every "{{" on it.
CLOZE_BLANK = re.compile(r"\{\{((?:(?!\{\{).)*?)\}\}")

COMMON_FIELDS = {"id", "type", "prompt", "explanation", "source", "topic", "tags", "difficulty"}
TYPE_FIELDS = {
    "single_choice": {"choices", "answer", "shuffle"},
    "multiple_response": {"choices", "answers", "shuffle"},
    "true_false": {"answer"},
    "numeric": {"answer", "tolerance", "unit", "unit_aliases"},
    "short_text": {"answers"},
    "cloze": {"text"},
    "flashcard": {"front", "back"},
}

ALL_FIELDS = COMMON_FIELDS.union(*TYPE_FIELDS.values())


def _unknown_field(name: str, qtype: str, allowed: set[str]) -> str:
    """Why a field this type does not take is refused, and what it was probably meant to be: a misspelt field, or
    another type's."""
    close = difflib.get_close_matches(name.lower(), sorted(allowed), n=1, cutoff=0.7)
    if close:
        return f"unknown field for {qtype} (did you mean '{close[0]}'?)"
    others = sorted(other for other, fields in TYPE_FIELDS.items() if name in fields)
    if others:
        return f"a field of {' and '.join(others)}, not of {qtype}"
    return f"unknown field for {qtype}"


class FieldError(Exception):
    """One problem with one field of a question."""

    def __init__(self, field_name: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.field, self.message, self.line = field_name, message, line


@dataclass
class ParsedQuestion:
    """A valid question, ready to be stored."""

    key: str
    type: str
    topic: str
    difficulty: str
    tags: list[str]
    section: str
    data: dict[str, Any]
    line: int = 1
    path: str = ""
    type_line: int = 1
    # The id a converted question had before its file gave it one of its own (see load_banks).
    former_key: str = ""
    # Whether a converted question's id comes from its name or words, its file giving it none (see load_banks).
    worded_key: bool = False


def validate_question(
    raw: Any, documents: dict[str, Document], require_source: bool = True, require_explanation: bool = True
) -> tuple[ParsedQuestion | None, list[FieldError]]:
    """Check every field of a question mapping; return the parsed question or the problems."""
    if not isinstance(raw, dict):
        return None, [FieldError("question", "must be a mapping of fields")]
    errors: list[FieldError] = []

    def collect(check: Callable[[], Any]) -> Any:
        """Run one check, keeping the problem it finds, if any, to report with the others."""
        try:
            return check()
        except FieldError as error:
            errors.append(error)
            return None

    key = collect(lambda: _question_id(raw))
    qtype = collect(lambda: _choice_of(raw, "type", QUESTION_TYPES))
    topic = collect(lambda: _text(raw, "topic", longest=100))
    difficulty = collect(lambda: _choice_of(raw, "difficulty", DIFFICULTIES))
    tags = collect(lambda: _string_list(raw, "tags", required=False))
    sources = collect(lambda: _sources(raw, documents, require_source))
    data: dict[str, Any] = {}
    if qtype:
        allowed = COMMON_FIELDS | TYPE_FIELDS[qtype]
        # Each on its own line, where the field stands, rather than all of them on the first one's.
        errors += [FieldError(name, _unknown_field(name, qtype, allowed)) for name in sorted(set(raw) - allowed)]
        if qtype in ("cloze", "flashcard"):
            if "prompt" in raw:
                errors.append(FieldError("prompt", f"a {qtype} has no prompt"))
        else:
            data["prompt"] = collect(lambda: _text(raw, "prompt"))
        if qtype == "flashcard" or not require_explanation:
            data["explanation"] = collect(lambda: _text(raw, "explanation", required=False))
        else:
            data["explanation"] = collect(lambda: _text(raw, "explanation"))
        try:
            data.update(TYPE_PARSERS[qtype](raw))
        except FieldError as error:
            errors.append(error)
    for error in errors:
        if error.line is None and error.field in ALL_FIELDS and error.field not in raw:
            # A field left out (or misspelt) reads as empty; saying it is missing points at the fix. Every check
            # that can find a field missing says what it "must" be, named in the report just before.
            error.message = f"missing; it {error.message}"
    if errors:
        return None, errors
    data["sources"] = sources
    section = sources[0]["section"] if sources else ""
    return ParsedQuestion(key, qtype, topic, difficulty, tags, section, data), []


def _question_id(raw: dict) -> str:
    value = raw.get("id")
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise FieldError("id", "must be lower-case letters, digits and hyphens (at most 100)")
    return value


def _choice_of(raw: dict, name: str, allowed: tuple[str, ...]) -> str:
    value = raw.get(name)
    if value not in allowed:
        close = difflib.get_close_matches(value.lower(), allowed, n=1, cutoff=0.7) if isinstance(value, str) else []
        advice = f": did you mean '{close[0]}'?" if close else ""
        raise FieldError(name, f"must be one of: {', '.join(allowed)} (got {brief(value)}){advice}")
    return value


def _text(raw: dict, name: str, required: bool = True, longest: int | None = None) -> str:
    value = raw.get(name)
    if value is None and not required:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or (required and not value.strip()):
        raise FieldError(name, "must be non-empty text")
    if longest is not None and len(value.strip()) > longest:
        raise FieldError(name, f"must be at most {longest} characters")
    return value.strip()


def _string_list(raw: dict, name: str, required: bool = True) -> list[str]:
    value = raw.get(name)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not value or not all(is_scalar(v) and str(v).strip() for v in value):
        raise FieldError(name, f"must be a non-empty list of texts{yes_no_hint(value)}")
    return [str(v).strip() for v in value]


def _sources(raw: dict, documents: dict[str, Document], required: bool) -> list[dict[str, Any]]:
    value = raw.get("source")
    if value is None:
        if required:
            raise FieldError("source", "must give a document id and a verbatim quote")
        return []
    entries = value if isinstance(value, list) else [value]
    if not entries:
        raise FieldError("source", "the list is empty: give a document id and a verbatim quote")
    resolved = []
    for entry in entries:
        line = entry.line if isinstance(entry, LineDict) else None  # a list of sources: name the one at fault
        if not isinstance(entry, dict) or set(entry) - {"document", "quote"}:
            raise FieldError("source", "each entry must be a mapping with 'document' and 'quote'", line)
        name = entry.get("document")
        document = documents.get(name) if isinstance(name, str) else None
        if document is None:
            known = ", ".join(sorted(documents)) or "none"
            raise FieldError("source", f"unknown document {brief(name)} (known: {known})", line)
        quote = entry.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            raise FieldError("source", "the quote must be non-empty text", line)
        span = find_quote(document.folded, quote)
        if span is None:
            advice = quote_mismatch(document.folded, quote)
            raise FieldError("source", f"quote not found in {document.id}: {shorten(quote)!r}"
                                       f"{'; ' + advice if advice else ''}", line)
        resolved.append(
            {"document": document.id, "quote": quote.strip(), "start": span[0], "end": span[1],
             "section": document.section_at(span[0])}
        )
    return resolved


def _choices(raw: dict) -> list[dict[str, str]]:
    value = raw.get("choices")
    if not isinstance(value, list) or len(value) < 2:
        raise FieldError("choices", "must be a list of at least two")
    if len(value) > MAX_CHOICES:
        raise FieldError("choices", over_limit("a question", "choices", len(value), MAX_CHOICES))
    choices = []
    for item in value:
        if isinstance(item, dict):
            feedback = item.get("feedback")
            if (set(item) - {"text", "feedback"} or not is_scalar(item.get("text")) or not str(item["text"]).strip()
                    or not (feedback is None or is_scalar(feedback))):
                raise FieldError("choices", "a choice mapping has 'text' and optional 'feedback', both texts",
                                 item.line if isinstance(item, LineDict) else None)
            choices.append({"text": str(item["text"]).strip(), "feedback": "" if feedback is None else str(feedback)})
        elif is_scalar(item) and str(item).strip():
            choices.append({"text": str(item).strip(), "feedback": ""})
        else:
            raise FieldError("choices", f"invalid choice {brief(item)}{yes_no_hint(item)}")
    texts = [c["text"] for c in choices]
    if len(set(texts)) != len(texts):
        raise FieldError("choices", "must be different from each other")
    return choices


def _choice_indexes(choices: list[dict[str, str]], answers: list[Any], name: str) -> list[int]:
    # Looked up by text, so a long answers list costs no more than reading it (the texts are all different).
    index_of = {c["text"]: index for index, c in enumerate(choices)}
    indexes = set()
    for answer in answers:
        index = index_of.get(str(answer).strip()) if is_scalar(answer) else None
        if index is None:
            raise FieldError(name, f"{brief(answer)} is not among the choices{yes_no_hint(answer)}")
        indexes.add(index)
    return sorted(indexes)


def _shuffle(raw: dict) -> bool:
    value = raw.get("shuffle", True)
    if not isinstance(value, bool):
        raise FieldError("shuffle", "must be true or false")
    return value


def _parse_single_choice(raw: dict) -> dict[str, Any]:
    choices = _choices(raw)
    answer = raw.get("answer")
    if isinstance(answer, list) or not is_scalar(answer):
        raise FieldError("answer", f"must be the text of one choice{yes_no_hint(answer)}")
    return {"choices": choices, "correct": _choice_indexes(choices, [answer], "answer"), "shuffle": _shuffle(raw)}


def _parse_multiple_response(raw: dict) -> dict[str, Any]:
    choices = _choices(raw)
    answers = raw.get("answers")
    if not isinstance(answers, list) or not answers:
        raise FieldError("answers", "must be a list of one or more choice texts")
    return {"choices": choices, "correct": _choice_indexes(choices, answers, "answers"),
            "shuffle": _shuffle(raw)}


def _parse_true_false(raw: dict) -> dict[str, Any]:
    answer = raw.get("answer")
    if not isinstance(answer, bool):
        raise FieldError("answer", "must be true or false")
    return {"answer": answer}


def _parse_numeric(raw: dict) -> dict[str, Any]:
    answer, hint = raw.get("answer"), ""
    if isinstance(answer, str):
        parsed = parse_number(answer)
        answer = parsed.value if parsed is not None and not parsed.unit and not parsed.readings else None
        if parsed is not None and parsed.readings:
            # Students are asked which they meant; a bank's key cannot be asked, and a wrong guess grades wrongly.
            readings = " or as ".join(f"{float(reading.replace(',', '.')):g}" for reading in parsed.readings)
            hint = (f": it reads as {readings}, so write the number without a thousands separator, with a dot "
                    "for decimals")
        elif parsed is not None and hedged(raw["answer"]):
            # Read past in a student's answer, where the tolerance decides; a key so written would be taken as
            # exact, and the near answers its author meant to accept marked wrong.
            answer = None
            hint = (f": write the number alone (answer: {parsed.value:g}) and how near an answer must come as "
                    "tolerance")
        elif parsed is not None and _PLUS_MINUS.match(parsed.unit):
            spread = parse_number(_PLUS_MINUS.sub("", parsed.unit))
            within = f" (tolerance: {spread.value:g})" if spread is not None else " as tolerance"
            hint = f": write the number alone (answer: {parsed.value:g}) and the spread apart{within}"
        elif parsed is not None and parsed.unit:
            hint = f": write the number alone (answer: {parsed.value:g}) and the unit apart (unit: {parsed.unit})"
    number = finite_number(answer)
    if number is None:
        kind = "a finite number" if isinstance(answer, int | float) and not isinstance(answer, bool) else "a number"
        raise FieldError("answer", f"must be {kind} (got {brief(raw.get('answer'))}){hint}")
    tolerance = _tolerance(raw.get("tolerance", 0), number)
    unit = raw.get("unit", "")
    if not isinstance(unit, str):
        raise FieldError("unit", "must be text")
    aliases = _string_list(raw, "unit_aliases", required=False)
    return {"answer": number, "tolerance": tolerance, "unit": unit.strip(), "unit_aliases": aliases}


# How people write "give or take": ±0.5, +/- 0.5, +-0.5.
_PLUS_MINUS = re.compile(r"^\s*(?:±|\+\s*/\s*-|\+\s*-)\s*")


def _tolerance(value: Any, answer: float) -> float:
    """The absolute tolerance of a numeric answer; a tolerance written as text (±0.5, 5%) says how to write it."""
    advice = ""
    if isinstance(value, str):
        parsed = parse_number(_PLUS_MINUS.sub("", value))
        if parsed is not None and not parsed.unit and not parsed.readings and not _PLUS_MINUS.match(value):
            value = parsed.value  # "0,5" as the answer's own field accepts it
        elif parsed is not None and parsed.unit == "%":
            share = abs(answer) * parsed.value / 100
            advice = (f": tolerance is an amount in the answer's own units, not a percentage; {parsed.value:g}% of "
                      f"{answer:g} is {share:g}, so write tolerance: {share:g}")
        elif parsed is not None and not parsed.unit:
            advice = f": write the number alone (tolerance: {abs(parsed.value):g}); it counts both ways"
    number = finite_number(value)
    if number is None or number < 0:
        raise FieldError("tolerance", f"must be a finite number of zero or more (got {brief(value)})"
                                      f"{advice}")
    return number


def _parse_short_text(raw: dict) -> dict[str, Any]:
    answers = raw.get("answers")
    if isinstance(answers, list) and len(answers) > MAX_ANSWERS:
        raise FieldError("answers", f"a question can accept at most {MAX_ANSWERS} answers "
                                    f"(this one has {len(answers):,})")
    return {"answers": _string_list(raw, "answers")}


def _parse_cloze(raw: dict) -> dict[str, Any]:
    text = _text(raw, "text")
    blanks, inside = [], []
    for match in CLOZE_BLANK.finditer(text):
        alternatives = [a.strip() for a in match.group(1).split("|")]
        if not all(alternatives):
            raise FieldError("text", f"blank {brief(match.group(0))} has an empty alternative")
        blanks.append(alternatives)
        inside.append(match.span())
    if len(blanks) > MAX_BLANKS:
        raise FieldError("text", over_limit("a cloze", "blanks", len(blanks), MAX_BLANKS))
    # Checked once the blanks are known to be few, so that each brace is compared with at most MAX_BLANKS spans.
    stray = next((found for found in re.finditer(r"\{\{|\}\}", text)
                  if not any(start <= found.start() < end for start, end in inside)), None)
    if stray:
        # A blank with a brace too few would otherwise show students its braces and answer as plain text.
        around = shorten(text[max(stray.start() - 20, 0):stray.end() + 20])
        which = "opening '{{' has no closing '}}'" if stray.group() == "{{" else "closing '}}' has no opening '{{'"
        raise FieldError("text", f"a blank's {which} (near {around!r}): write each blank as {{{{answer}}}}")
    if not blanks:
        raise FieldError("text", "a cloze needs at least one {{blank}}")
    return {"text": text, "blanks": blanks}


def _parse_flashcard(raw: dict) -> dict[str, Any]:
    return {"front": _text(raw, "front"), "back": _text(raw, "back")}


TYPE_PARSERS: dict[str, Callable[[dict], dict[str, Any]]] = {
    "single_choice": _parse_single_choice,
    "multiple_response": _parse_multiple_response,
    "true_false": _parse_true_false,
    "numeric": _parse_numeric,
    "short_text": _parse_short_text,
    "cloze": _parse_cloze,
    "flashcard": _parse_flashcard,
}


def line_of(raw: Any, item_line: int = 1) -> int:
    """The line a question mapping starts on; `item_line`, its list item's, for a question that is no mapping."""
    return raw.line if isinstance(raw, LineDict) else item_line


def line_of_error(raw: Any, error: FieldError, item_line: int = 1) -> int:
    """The line a field's problem is on: its own entry's, its key's, or the question's when the key is missing."""
    if error.line is not None:
        return error.line
    return raw.line_of(error.field) if isinstance(raw, LineDict) else item_line
