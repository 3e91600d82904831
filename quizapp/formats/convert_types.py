"""One builder per kind of item: what each becomes among our question types, and what it loses."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from quizapp.formats.model import BLANK_END, BLANK_START, Answer, Item, Text, blank_marker
from quizapp.formats.textio import escape_markdown

if TYPE_CHECKING:
    from quizapp.formats.convert import Converter

_WILDCARD = re.compile(r"(?<!\\)\*")
_MARKER = re.compile(f"{BLANK_START}[0-9]+{BLANK_END}")
_FULL = 0.9999999


class Skip(Exception):
    """An item that cannot become any of our questions, with the reason."""


def _choices(converter: Converter, item: Item) -> list[dict[str, str] | str]:
    choices: list[dict[str, str] | str] = []
    for answer in item.answers:
        text = converter.inline(item, answer.text)
        if not text:
            raise Skip("a choice is empty")
        note = converter.inline(item, answer.feedback)
        choices.append({"text": text, "feedback": note} if note else text)
    return choices


def _choice_text(choice: dict[str, str] | str) -> str:
    return choice["text"] if isinstance(choice, dict) else choice


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.6g}%"


def _multichoice(converter: Converter, item: Item) -> list[dict[str, Any]]:
    choices = _choices(converter, item)
    texts = [_choice_text(choice) for choice in choices]
    weighted = list(zip(texts, item.answers, strict=True))
    if item.single:
        question = converter.start(item, "single_choice")
        full = [text for text, answer in weighted if answer.fraction >= _FULL]
        if not full:
            raise Skip("no answer is marked fully correct (=, or 100%)")
        question.update(prompt=converter.markdown(item, item.text), choices=choices, answer=full[0])
        others = set(full[1:])
        lost = [f"{text!r} ({_percent(answer.fraction)})" for text, answer in weighted
                if (answer.fraction < _FULL and answer.fraction != 0) or text in others]
        if lost:
            converter.note(item, "single_choice counts one answer as right and the others as wrong; these weights "
                                 f"are not kept: {', '.join(lost)}")
    else:
        question = converter.start(item, "multiple_response")
        right = [answer.fraction for _, answer in weighted if answer.fraction > 0]
        wrong = [answer.fraction for _, answer in weighted if answer.fraction <= 0]
        if not right:
            raise Skip("no answer has a positive weight")
        question.update(prompt=converter.markdown(item, item.text), choices=choices,
                        answers=[text for text, answer in weighted if answer.fraction > 0])
        if max(right) - min(right) > 1e-6 or abs(sum(right) - 1) > 1e-3:
            weights = ", ".join(f"{text!r} ({_percent(answer.fraction)})" for text, answer in weighted
                                if answer.fraction > 0)
            converter.note(item, f"multiple_response gives every right choice an equal share; these weights are "
                                 f"not kept: {weights}")
        if wrong and any(abs(fraction + 1 / len(wrong)) > 1e-3 for fraction in wrong):
            # Named with their weights: a file whose wrong choices weigh 0% has no negative weight to speak of.
            weights = ", ".join(f"{text!r} ({_percent(answer.fraction)})" for text, answer in weighted
                                if answer.fraction <= 0)
            converter.note(item, f"each wrong choice picked takes away 1/{len(wrong)} here; these weights of "
                                 f"wrong choices are not kept: {weights}")
    if not item.shuffle:
        question["shuffle"] = False
    converter.explain(item, question)
    return [question]


def _truefalse(converter: Converter, item: Item) -> list[dict[str, Any]]:
    question = converter.start(item, "true_false")
    question.update(prompt=converter.markdown(item, item.text), answer=item.correct)
    pieces = [("true", item.feedback_true), ("false", item.feedback_false)]
    converter.explain(item, question, *_answer_feedback(converter, item, "true_false", pieces))
    return [question]


def _answer_feedback(converter: Converter, item: Item, kind: str, pieces: list[tuple[str, Text]]) -> list[str]:
    """Per-answer feedback as explanation paragraphs, each naming the answer it was written for.

    The explanation is shown to every student, so feedback written for one answer must not read as if
    it were about the answer given; with general feedback it is left out (and reported) instead.
    """
    pieces = [(label, text) for label, text in pieces if text]
    if not pieces:
        return []
    listed = ", ".join(label for label, _ in pieces)
    if item.general_feedback:
        converter.note(item, f"{kind} has no feedback per answer; the feedback on {listed} is not kept "
                             "(the general feedback is the explanation)")
        return []
    converter.note(item, f"{kind} has no feedback per answer; the feedback on {listed} is in the explanation, "
                         "which every student sees, each part labelled with the answer it was written for")
    paragraphs = []
    for label, text in pieces:
        body = converter.markdown(item, text)
        heading = f"**Feedback on {escape_markdown(label)}:**"
        paragraphs.append(f"{heading}\n\n{body}" if "\n" in body else f"{heading} {body}")
    return paragraphs


def _accepted(converter: Converter, item: Item, kind: str) -> tuple[list[Answer], list[str]]:
    """The fully right answers and the answers' feedback as labelled paragraphs; partial credit is reported."""
    full = [answer for answer in item.answers if answer.fraction >= _FULL and answer.text.text not in ("", "*")]
    partial = [answer for answer in item.answers if 0 < answer.fraction < _FULL and answer.text.text != "*"]
    if partial:
        listed = ", ".join(f"{answer.text.text!r} ({_percent(answer.fraction)})" for answer in partial)
        converter.note(item, f"{kind} has no partial credit; these answers are not kept: {listed}")
    pieces = [(_answer_label(answer), answer.feedback) for answer in item.answers if answer.feedback]
    return full, _answer_feedback(converter, item, kind, pieces)


def _answer_label(answer: Answer) -> str:
    """How the explanation names the answer a piece of feedback was written for."""
    text = " ".join(answer.text.text.split())
    if text in ("", "*"):
        return "any other answer"
    if answer.tolerance:
        text = f"{text} ± {answer.tolerance:g}"
    return f"the answer “{text}”"


def _shortanswer(converter: Converter, item: Item) -> list[dict[str, Any]]:
    full, notes = _accepted(converter, item, "short_text")
    answers = []
    for answer in full:
        if _WILDCARD.search(answer.text.text):
            converter.note(item, f"the wildcard answer {answer.text.text!r} cannot be graded here and is not kept")
            continue
        answers.append(" ".join(answer.text.text.replace("\\*", "*").split()))
    if not answers:
        raise Skip("no fully right (100%) answer that can be compared as text")
    question = converter.start(item, "short_text")
    question.update(prompt=converter.markdown(item, item.text), answers=list(dict.fromkeys(answers)))
    converter.explain(item, question, *notes)
    return [question]


def _numerical(converter: Converter, item: Item) -> list[dict[str, Any]]:
    full, notes = _accepted(converter, item, "numeric")
    if not full:
        raise Skip("no fully right (100%) number")
    if len(full) > 1:
        converter.note(item, "numeric accepts one number; the other accepted numbers are not kept: "
                             + ", ".join(answer.text.text for answer in full[1:]))
    try:
        number = float(full[0].text.text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not math.isfinite(full[0].tolerance or 0):
        raise Skip(f"the answer {full[0].text.text!r} (± {full[0].tolerance}) is not a finite number")
    question = converter.start(item, "numeric")
    question.update(prompt=converter.markdown(item, item.text), answer=int(number) if number.is_integer() else number)
    if full[0].tolerance:
        question["tolerance"] = full[0].tolerance
    if item.unit:
        question["unit"] = item.unit
        if item.unit_aliases:
            question["unit_aliases"] = item.unit_aliases
    converter.explain(item, question, *notes)
    return [question]


def _match(converter: Converter, item: Item) -> list[dict[str, Any]]:
    stem = converter.markdown(item, item.text)
    options = list(dict.fromkeys(" ".join(right.split()) for _, right in item.pairs if right.strip()))
    pairs = [(left, " ".join(right.split())) for left, right in item.pairs if left]
    if len(options) < 2 or not pairs:
        raise Skip("a matching question needs at least two different answers to become choices")
    # Built once and shared by every question of the split; each pair's answer is looked up, not searched for.
    choices = [converter.inline(item, Text(option, "plain")) for option in options]
    choice_of = dict(zip(options, choices, strict=True))
    questions = []
    for number, (left, right) in enumerate(pairs, start=1):
        question = converter.start(item, "single_choice", str(number))
        question.update(prompt=f"{stem}\n\n{converter.markdown(item, left)}".strip(), choices=choices,
                        answer=choice_of[right])
        converter.explain(item, question)
        questions.append(question)
    converter.note(item, f"matching question split into {len(questions)} single_choice questions, one per pair, "
                         "each offering all the answers as choices")
    return questions


def _flashcard(converter: Converter, item: Item) -> list[dict[str, Any]]:
    question = converter.start(item, "flashcard")
    question.update(front=converter.markdown(item, item.text), back=converter.markdown(item, item.back))
    converter.explain(item, question)
    return [question]


def _gap(blank_kind: str, answers: list[Answer], converter: Converter, item: Item) -> str:
    if blank_kind not in ("shortanswer", "numerical"):
        raise Skip(f"a {blank_kind} gap cannot be graded here (gaps are typed answers)")
    accepted = [" ".join(a.text.text.split()) for a in answers if a.fraction >= _FULL and a.text.text not in ("", "*")]
    if not accepted:
        raise Skip("a gap has no fully right answer")
    if any(a.tolerance for a in answers if a.fraction >= _FULL):
        converter.note(item, "a numeric gap's tolerance is not kept: gaps accept the exact number")
    if any(0 < a.fraction < _FULL for a in answers):
        converter.note(item, "partial credit inside a gap is not kept")
    if any("|" in text or "{{" in text or "}}" in text for text in accepted):
        raise Skip("a gap's answer contains '|', '{{' or '}}', which a cloze blank cannot hold")
    return "{{" + "|".join(dict.fromkeys(accepted)) + "}}"


def _cloze(converter: Converter, item: Item) -> list[dict[str, Any]]:
    text = converter.markdown(item, item.text)
    if "{{" in text or "}}" in text:
        raise Skip("the text itself contains '{{' or '}}', which would read as blanks")
    gaps = {blank_marker(index): _gap(blank.kind, blank.answers, converter, item)
            for index, blank in enumerate(item.blanks)}
    # In one pass over the text: replacing the markers one at a time went over all of it once per gap.
    text = _MARKER.sub(lambda match: gaps.get(match.group(0), match.group(0)), text)
    if BLANK_START in text or BLANK_END in text:
        raise Skip("a gap was lost in converting the text")
    # Moodle writes feedback per answer of each gap (`=Paris#Right!~%0%London#No`); a blank holds none.
    several = len(item.blanks) > 1
    pieces = [(_answer_label(answer) + (f" in blank {index}" if several else ""), answer.feedback)
              for index, blank in enumerate(item.blanks, start=1) for answer in blank.answers if answer.feedback]
    question = converter.start(item, "cloze")
    question["text"] = text
    converter.explain(item, question, *_answer_feedback(converter, item, "cloze", pieces), item.back)
    return [question]


BUILDERS: dict[str, Callable[[Converter, Item], list[dict[str, Any]]]] = {
    "multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer,
    "numerical": _numerical, "match": _match, "flashcard": _flashcard, "cloze": _cloze,
}
UNSUPPORTED = {
    "essay": "essay questions need a person to grade them; there is no such type here",
    "description": "a description is text without a question; there is no such type here (if it is meant as a "
                   "question, its answers are missing: in GIFT they go in { } after its text)",
}
