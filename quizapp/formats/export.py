"""Turn our checked questions into neutral items, ready for any exchange format's writer.

Texts stay Markdown (Moodle reads its `markdown` format). The explanation,
each quoted passage and its citation go into the general feedback, written so
that importing the file again gives the same explanation and sources.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from quizapp.banks.checker import ParsedBank
from quizapp.banks.schema import CLOZE_BLANK, ParsedQuestion
from quizapp.formats.convert import DIFFICULTY_TAG
from quizapp.formats.feedback import Passage, compose
from quizapp.formats.model import Answer, Blank, Item, Text, blank_marker

MD = "markdown"


def category_path(bank_title: str, topic: str) -> str:
    """A Moodle category path for a topic of a bank; slashes inside names are doubled, as Moodle does."""
    return "$course$/top/" + "/".join(part.replace("/", "//") for part in (bank_title, topic))


def general_feedback(question: ParsedQuestion, documents: dict[str, Any]) -> str:
    """The explanation followed by each cited passage with its citation, as Markdown."""
    passages = [Passage(documents[s["document"]], s["quote"]) for s in question.data.get("sources", [])
                if s["document"] in documents]
    return compose(question.data.get("explanation") or "", passages)


def plain_number(value: float) -> str:
    """A number without exponent or needless zeros: 98, 29.4, 0.0005."""
    text = f"{Decimal(repr(float(value))):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def bank_items(bank: ParsedBank, documents: dict[str, Any]) -> list[Item]:
    """The bank's questions as items, each topic opening a category."""
    items: list[Item] = []
    topic = None
    for number, question in enumerate(bank.questions, start=1):
        if question.topic != topic:
            topic = question.topic
            items.append(Item("category", question.line, category=category_path(bank.title, topic)))
        items.append(question_item(question, documents))
        items[-1].number = number
    return items


def question_item(question: ParsedQuestion, documents: dict[str, Any]) -> Item:
    """One of our questions as an item (flashcards keep their own type; not every writer takes them)."""
    data = question.data
    item = Item("", question.line, name=question.key, idnumber=question.key,
                tags=[*question.tags, f"{DIFFICULTY_TAG}{question.difficulty}"],
                text=Text(data.get("prompt", ""), MD),
                general_feedback=Text(general_feedback(question, documents), MD))
    _FILLERS[question.type](item, data)
    return item


def _choices(item: Item, data: dict[str, Any], fractions: list[float]) -> None:
    item.qtype, item.shuffle = "multichoice", data["shuffle"]
    item.answers = [Answer(Text(choice["text"], MD), fraction, Text(choice["feedback"], MD))
                    for choice, fraction in zip(data["choices"], fractions, strict=True)]


def _single_choice(item: Item, data: dict[str, Any]) -> None:
    _choices(item, data, [1.0 if index in data["correct"] else 0.0 for index in range(len(data["choices"]))])


def _multiple_response(item: Item, data: dict[str, Any]) -> None:
    # The same scoring as ours: each right choice earns an equal share, each wrong one takes one away.
    right, wrong = len(data["correct"]), len(data["choices"]) - len(data["correct"])
    _choices(item, data, [round(1 / right, 7) if index in data["correct"] else round(-1 / wrong, 7)
                          for index in range(len(data["choices"]))])
    item.single = False


def _true_false(item: Item, data: dict[str, Any]) -> None:
    item.qtype, item.correct = "truefalse", data["answer"]


def _numeric(item: Item, data: dict[str, Any]) -> None:
    item.qtype, item.unit, item.unit_aliases = "numerical", data["unit"], list(data["unit_aliases"])
    item.answers = [Answer(Text(plain_number(data["answer"]), "plain"), 1.0, tolerance=data["tolerance"])]


def _short_text(item: Item, data: dict[str, Any]) -> None:
    item.qtype = "shortanswer"
    # In Moodle an unescaped * in a short answer is a wildcard matching anything; ours are literal.
    item.answers = [Answer(Text(answer.replace("*", "\\*"), "plain"), 1.0) for answer in data["answers"]]


def _cloze(item: Item, data: dict[str, Any]) -> None:
    item.qtype = "cloze"
    count = iter(range(len(data["blanks"])))
    item.text = Text(CLOZE_BLANK.sub(lambda _: blank_marker(next(count)), data["text"]), MD)
    item.blanks = [Blank("shortanswer", [Answer(Text(alternative, "plain"), 1.0) for alternative in blank])
                   for blank in data["blanks"]]


def _flashcard(item: Item, data: dict[str, Any]) -> None:
    item.qtype, item.text, item.back = "flashcard", Text(data["front"], MD), Text(data["back"], MD)


_FILLERS = {
    "single_choice": _single_choice, "multiple_response": _multiple_response, "true_false": _true_false,
    "numeric": _numeric, "short_text": _short_text, "cloze": _cloze, "flashcard": _flashcard,
}


