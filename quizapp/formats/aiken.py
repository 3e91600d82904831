"""Read and write Aiken, Moodle's one-line multiple-choice format.

A question is a line of text, its choices as `A) text` or `A. text` lines, and
`ANSWER: X`. Reading follows Moodle's importer line by line, and problems are
reported with the same messages and line numbers Moodle prints.
"""

from __future__ import annotations

import re

from quizapp.formats.model import MAX_CHOICES, Answer, Item, ParseResult, Text, over_limit
from quizapp.formats.textio import normalise_newlines, to_plain

_CHOICE = re.compile(r"^[A-Z][).][ \t]?")
# What people type for "A)" and "ANSWER:" that Moodle does not read as such: told apart so that the question is
# reported once, with the spelling to use, rather than read as the start of the next one.
_LOWER_CHOICE = re.compile(r"^[a-z][).][ \t]")
_ANSWER_MISSPELT = re.compile(r"^answer\s*:\s*(\S?)", re.IGNORECASE)
_MAX_CHOICES = 26


def read_aiken(text: str, limit: int | None = None) -> ParseResult:
    """Parse Aiken text; malformed questions become problems with Moodle's wording and line numbers."""
    result = ParseResult(limit=limit)
    question: Item | None = None
    # Choices of the open question past MAX_CHOICES: only counted, never kept, and the question is reported.
    extra = 0
    lowercase: tuple[str, int] | None = None  # the open question's first choice written "a)": why, and where
    for number, raw in enumerate(normalise_newlines(text).split("\n"), start=1):
        line = raw.strip()
        if len(line) < 2:
            continue
        if _CHOICE.match(line):
            if question is None:
                result.unreadable(number, f"Question not started on line {number}")
            elif len(question.answers) < MAX_CHOICES:
                question.answers.append(Answer(Text(line[2:].strip(), "plain")))
            else:
                extra += 1
        elif line.startswith("ANSWER:"):
            if question is None:
                result.unreadable(number, f"Question not started on line {number}")
                continue
            if lowercase:
                result.unreadable(lowercase[1], lowercase[0])
            else:
                _finish(question, line, number, result, extra)
            question, lowercase = None, None
        elif question is not None and (misspelt := _ANSWER_MISSPELT.match(line)):
            if lowercase:
                result.unreadable(lowercase[1], lowercase[0])
            result.unreadable(number, f"Error importing question {question.name}: write the answer line in "
                                      "capitals, with the colon right after ANSWER "
                                      f"(ANSWER: {misspelt.group(1).upper() or 'B'}), on line {number}")
            question, lowercase = None, None
        elif question is not None and _LOWER_CHOICE.match(line):
            # Read as a choice, so that the question is reported once, here, and its other lines do not start
            # questions of their own.
            lowercase = lowercase or (f"Error importing question {question.name}: choice letters are capitals: "
                                      f"write '{line[0].upper()}{line[1:]}' on line {number}", number)
            if len(question.answers) < MAX_CHOICES:
                question.answers.append(Answer(Text(line[2:].strip(), "plain")))
        else:
            if question is not None:
                _unfinished(question, f"before next question start on line {number}", number, result, extra,
                            lowercase)
            question, extra = Item("multichoice", number, name=line, text=Text(line, "plain"), single=True), 0
            lowercase = None
    if question is not None:
        _unfinished(question, "before the end of the file", question.line, result, extra, lowercase)
    return result


def _unfinished(question: Item, where: str, number: int, result: ParseResult, extra: int,
                lowercase: tuple[str, int] | None) -> None:
    if lowercase:
        result.unreadable(lowercase[1], lowercase[0])
    elif extra:
        _too_many_choices(question, result, extra)
    else:
        # Moodle's words, then what completes a question, which they leave to the reader.
        result.unreadable(number, f"Error importing question {question.name}: Question not completed {where}: end "
                                  "it with a line such as ANSWER: B, the letter of its right choice")


def _too_many_choices(question: Item, result: ParseResult, extra: int) -> None:
    count = len(question.answers) + extra
    result.unreadable(question.line, f"Error importing question {question.name}: "
                                     + over_limit("a question", "choices", count, MAX_CHOICES))


def _finish(question: Item, line: str, number: int, result: ParseResult, extra: int) -> None:
    if extra:
        _too_many_choices(question, result, extra)
        return
    if len(question.answers) < 2:
        result.unreadable(number, f"Error importing question {question.name}: Question must have at least 2 "
                                  f"answers on line {number}")
        return
    letter = line[len("ANSWER:"):].strip()[:1]
    if letter.islower() and 0 <= ord(letter.upper()) - ord("A") < len(question.answers):
        result.unreadable(number, f"Error importing question {question.name}: the letter after ANSWER: is a "
                                  f"capital (ANSWER: {letter.upper()}) on line {number}")
        return
    index = ord(letter) - ord("A") if letter else -1
    if not 0 <= index < len(question.answers):
        last = chr(ord("A") + len(question.answers) - 1)
        result.unreadable(number, f"Error importing question {question.name}: ANSWER: {letter or '?'} does "
                                  f"not name one of the choices, A to {last}, on line {number}")
        return
    question.answers[index].fraction = 1.0
    result.add(question)


def write_aiken(items: list[Item]) -> str:
    """Aiken text for the single-answer multiple-choice items (the only kind Aiken holds), as Moodle writes it."""
    blocks = [_write(item) for item in items if writable(item)]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def writable(item: Item) -> bool:
    """Whether Aiken can hold the item: one right choice among at most 26."""
    return (item.qtype == "multichoice" and item.single and 2 <= len(item.answers) <= _MAX_CHOICES
            and sum(answer.fraction > 0.99 for answer in item.answers) == 1)


def _write(item: Item) -> str:
    lines = [_one_line(item.text)]
    for index, answer in enumerate(item.answers):
        lines.append(f"{chr(ord('A') + index)}) {_one_line(answer.text)}")
    right = next(index for index, answer in enumerate(item.answers) if answer.fraction > 0.99)
    lines.append(f"ANSWER: {chr(ord('A') + right)}")
    return "\n".join(lines)


def _one_line(text: Text) -> str:
    return " ".join(to_plain(text).split())
