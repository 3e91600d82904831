"""Read GIFT, Moodle's plain-text question format, with the whole of Moodle's syntax.

Questions are separated by blank lines. Each may carry `// [id:...]` and
`// [tag:...]` comments, a `::name::`, a `[format]` prefix, and an answer
block in braces that decides the type the way Moodle does. Where Moodle's
importer and the GIFT documentation disagree, this reader does what Moodle
does, so a file behaves here as it does there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from quizapp.formats.model import (
    FORMATS,
    MAX_ANSWERS,
    MAX_CHOICES,
    MAX_PAIRS,
    Answer,
    FormatError,
    Item,
    ParseResult,
    Text,
    over_limit,
)
from quizapp.formats.textio import normalise_newlines

# Escaped control characters stand in as Unicode noncharacters while the structure is parsed,
# so "\=" or "\{" can never be mistaken for syntax.
_ESCAPABLE = {":": "\ufdd0", "#": "\ufdd1", "=": "\ufdd2", "{": "\ufdd3", "}": "\ufdd4", "~": "\ufdd5",
              "n": "\ufdd6"}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _ESCAPABLE.items()})
_PLACEHOLDERS = re.compile("[\ufdd0-\ufdd6]")
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_META = re.compile(r"\[(id|tag):((?:\\\]|[^\]\n])*)\]")
_TRIM = " \t\n\r\0\x0b"
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def read_gift(text: str, limit: int | None = None) -> ParseResult:
    """Parse GIFT text into items; questions that cannot be read become problems."""
    text = normalise_newlines(text)
    if _PLACEHOLDERS.search(text):
        raise FormatError("the file contains Unicode noncharacters (U+FDD0 to U+FDD6), which GIFT text cannot hold",
                          text[: _PLACEHOLDERS.search(text).start()].count("\n") + 1)
    result = ParseResult(limit=limit)
    for line, lines in _chunks(text.split("\n")):
        comments = [raw.strip(_TRIM) for raw in lines if raw.strip(_TRIM).startswith("//")]
        body = "\n".join(raw for raw in lines if not raw.strip(_TRIM).startswith("//")).strip(_TRIM)
        if not body:
            continue
        numbers = [line + i for i, raw in enumerate(lines) if not raw.strip(_TRIM).startswith("//")]
        body = _ESCAPE.sub(_protect, body)
        try:
            item = _read_question(body, numbers[0])
        except _QuestionError as error:
            reason = error.reason
            if error.next_question is not None:
                reason = (f"line {numbers[-error.next_question]} seems to start another question: put a blank line "
                          f"after line {numbers[-error.next_question - 1]}, where this question's answer block ends "
                          f"(questions are separated by blank lines, and each has one answer block {{ }})")
            result.unreadable(numbers[0], reason, _question_words(body))
            continue
        item.idnumber, item.tags = comment_metadata(comments)
        result.add(item)
    return result


class _QuestionError(Exception):
    def __init__(self, reason: str, next_question: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        # A line that seems to start the next question, counted from the question's last line (1: the last).
        self.next_question = next_question


def _protect(match: re.Match[str]) -> str:
    return "\\" if match.group(1) == "\\" else _ESCAPABLE[match.group(1)]


def _chunks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Groups of consecutive non-blank lines, with the line number each starts on."""
    # Yielded one by one, so that reading stopped at a limit does not group the rest of the file.
    start, current = 0, []
    for number, raw in enumerate(lines, start=1):
        if raw.strip(_TRIM):
            if not current:
                start = number
            current.append(raw)
        elif current:
            yield start, current
            current = []
    if current:
        yield start, current


def comment_metadata(comments: list[str]) -> tuple[str, list[str]]:
    """The [id:...] and [tag:...] values in comment lines; one may not run across two lines."""
    idnumber, tags = "", []
    for comment in comments:
        for kind, value in _META.findall(comment):
            value = value.replace("\\]", "]").strip()
            if kind == "id" and value and not idnumber:
                idnumber = value
            elif kind == "tag" and value:
                tags.append(value)
    return idnumber, tags


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _with_format(raw: str, default: str) -> Text:
    """Read an optional [format] prefix; the text is trimmed and unescaped."""
    fmt = default
    if raw.startswith("["):
        end = raw.find("]")
        if end > 0 and raw[1:end] in FORMATS:
            fmt, raw = raw[1:end], raw[end + 1:]
    return Text(_restore(raw).strip(_TRIM), fmt)


def _name_and_text(text: str) -> tuple[str, str]:
    """A question's ::name:: (unescaped; empty if it has none) and the rest of it."""
    if not text.startswith("::"):
        return "", text
    end = text.find("::", 2)
    if end < 0:
        return "", text[2:]
    return _restore(text[2:end]).strip(_TRIM), text[end + 2:].strip(_TRIM)


def _question_words(text: str) -> str:
    """What names a question that cannot be read: its ::name::, or else its text before its answer block, without
    the [format] and HTML tags."""
    name, text = _name_and_text(text)
    return name or re.sub(r"<[^>]*>", " ", _with_format(re.split("[{}]", text, maxsplit=1)[0], "moodle").text)


def _read_question(text: str, line: int) -> Item:
    if text.startswith("$CATEGORY:"):
        return Item("category", line, category=_restore(text[len("$CATEGORY:"):]).strip(_TRIM))
    name, text = _name_and_text(text)
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        return Item("description", line, name=name, text=_with_format(text, "moodle"))
    if finish < 0:
        raise _QuestionError("its answer block starts with { but never ends: put } after the last answer")
    if start < 0:
        raise _QuestionError("its answer block ends with } but never starts: put { before the first answer")
    if finish < start:
        raise _QuestionError("a } comes before the answer block's {: write a } that belongs to the text as \\}")
    if "{" in text[finish + 1:] or "}" in text[finish + 1:]:
        # A second block on a later line is, far more often than braces in a text, the next question written
        # without the blank line that separates questions.
        after = text.find("\n", finish)
        second = min(i for i in (text.find("{", finish + 1), text.find("}", finish + 1)) if i >= 0)
        if 0 <= after < second:
            # Counted from the end: the name and format before the text have been cut off it.
            raise _QuestionError("", next_question=text.count("\n", after))
        raise _QuestionError("a question can have only one answer block { }; escape other braces as \\{ and \\}")
    block = text[start + 1:finish].strip(_TRIM)
    embedded = not text.endswith("}")
    question_text = text[:start] + ("_____" if embedded else "") + text[finish + 1:]
    feedback = ""
    if "####" in block:
        split = block.rfind("####")
        block, feedback = block[:split].strip(_TRIM), block[split + 4:]
    item = Item("essay", line, name=name, text=_with_format(question_text, "moodle"), embedded=embedded)
    item.general_feedback = _with_format(feedback, item.text.format)
    _READERS[_question_type(block)](item, block)
    return item


def _question_type(block: str) -> str:
    if not block:
        return "essay"
    if block.startswith("#"):
        return "numerical"
    if "~" in block:
        return "multichoice"
    if "=" in block and "->" in block:
        return "match"
    answer = block.split("#", 1)[0].strip(_TRIM) if "#" in block[1:] else block
    return "truefalse" if answer in TRUE_FALSE else "shortanswer"


def _split_answers(block: str, marker: str, limit: int, question: str, parts_name: str) -> list[str]:
    """The answers of a block, or _QuestionError past limit, before any of them is read further."""
    parts = block.split(marker)
    if not parts[0].strip(_TRIM):
        parts = parts[1:]
    if len(parts) > limit:
        raise _QuestionError(over_limit(question, parts_name, len(parts), limit))
    return [part.strip(_TRIM) for part in parts]


def _weight(answer: str, default: float) -> tuple[float, str]:
    match = _WEIGHT.match(answer)
    if not match:
        return default, answer
    return float(match.group(1)) / 100, answer[match.end():]


def _with_feedback(answer: str, default: str) -> tuple[Text, Text]:
    text, _, feedback = answer.partition("#")
    return _with_format(text.strip(_TRIM), default), _with_format(feedback.strip(_TRIM), default)


def _read_essay(item: Item, block: str) -> None:
    item.qtype = "essay"


def _read_multichoice(item: Item, block: str) -> None:
    item.qtype, item.single = "multichoice", "=" in block
    answers = _split_answers(block.replace("=", "~="), "~", MAX_CHOICES, "a multiple-choice question", "choices")
    if len(answers) < 2:
        raise _QuestionError("a multiple-choice question needs at least two answers")
    for answer in answers:
        # As in Moodle, "=" always means full credit; a weight is read only after "~".
        fraction, answer = (1.0, answer[1:]) if answer.startswith("=") else _weight(answer, 0.0)
        text, feedback = _with_feedback(answer, item.text.format)
        item.answers.append(Answer(text, fraction, feedback))


def _read_match(item: Item, block: str) -> None:
    item.qtype = "match"
    pairs = _split_answers(block, "=", MAX_PAIRS, "a matching question", "pairs")
    if len(pairs) < 2:
        raise _QuestionError("a matching question needs at least two pairs")
    for pair in pairs:
        if "->" not in pair:
            raise _QuestionError(f"matching pair without '->': {_restore(pair)!r}")
        left, _, right = pair.partition("->")
        item.pairs.append((_with_format(left.strip(_TRIM), item.text.format), _restore(right).strip(_TRIM)))


def _read_truefalse(item: Item, block: str) -> None:
    bits = [bit.strip(_TRIM) for bit in block.split("#", 2)] + ["", ""]
    item.qtype, item.correct = "truefalse", TRUE_FALSE[bits[0]]
    wrong, right = _with_format(bits[1], item.text.format), _with_format(bits[2], item.text.format)
    item.feedback_true, item.feedback_false = (right, wrong) if item.correct else (wrong, right)


def _read_shortanswer(item: Item, block: str) -> None:
    item.qtype = "shortanswer"
    for answer in _split_answers(block, "=", MAX_ANSWERS, "a short-answer question", "answers"):
        fraction, answer = _weight(answer, 1.0)
        text, feedback = _with_feedback(answer, item.text.format)
        item.answers.append(Answer(Text(text.text, "plain"), fraction, feedback))
    if not item.answers:
        raise _QuestionError("a short-answer question needs at least one answer")


def _read_numerical(item: Item, block: str) -> None:
    item.qtype = "numerical"
    block, tilde, wrong = block[1:].partition("~")
    answers = _split_answers(block, "=", MAX_ANSWERS, "a numerical question", "answers")
    if not answers:
        raise _QuestionError("a numerical question needs at least one number")
    for answer in answers:
        fraction, answer = _weight(answer, 1.0)
        text, feedback = _with_feedback(answer, item.text.format)
        number, tolerance = _number_and_tolerance(text.text)
        item.answers.append(Answer(Text(number, "plain"), fraction, feedback, tolerance))
    if tilde:
        _, feedback = _with_feedback(wrong, item.text.format)
        item.answers.append(Answer(Text("*", "plain"), 0.0, feedback))


def _number_and_tolerance(text: str) -> tuple[str, float | None]:
    """'3:2', '1..5' or '1822' as (number, tolerance); '*' is the catch-all answer."""
    if text == "*":
        return "*", None
    try:
        if text.find("..") > 0:
            low, high = (_decimal(part) for part in text.split("..", 1))
            middle = (low + high) / 2
            return _plain(middle), float(abs(high - middle))
        if text.find(":") > 0:
            number, tolerance = text.split(":", 1)
            return _plain(_decimal(number)), float(abs(_decimal(tolerance)))
        return _plain(_decimal(text)), 0.0
    except (InvalidOperation, ValueError):
        spread = re.fullmatch(r"\s*([^±]+?)\s*(?:±|\+/-|\+-)\s*(.+?)\s*", text)
        advice = f" (GIFT writes {spread[1]} ± {spread[2]} as {{#{spread[1]}:{spread[2]}}})" if spread else ""
        raise _QuestionError(f"not a number: {text!r}{advice}") from None


def _decimal(text: str) -> Decimal:
    text = text.strip(_TRIM)
    if not _NUMBER.match(text):
        raise ValueError(text)
    value = Decimal(text)
    # Written out in full later, so an exponent like 1e999999 must not get that far.
    if value and abs(value.adjusted()) > 50:
        raise ValueError(text)
    return value


def _plain(value: Decimal) -> str:
    """A decimal written without exponent or trailing zeros: 3.1415, 1822, -5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_READERS = {
    "essay": _read_essay, "multichoice": _read_multichoice, "match": _read_match,
    "truefalse": _read_truefalse, "shortanswer": _read_shortanswer, "numerical": _read_numerical,
}
