"""The neutral question model every format reads into and writes from.

It follows Moodle's question model closely (text formats, answer fractions,
per-answer feedback, general feedback), because Moodle's formats are the
richest we exchange with; conversion to and from our own bank dicts happens in
quizapp.formats.convert.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The readers take the bank schema's bounds from here, so that every path into a bank agrees.
from quizapp.banks.schema import MAX_ANSWERS as MAX_ANSWERS
from quizapp.banks.schema import MAX_BLANKS as MAX_BLANKS
from quizapp.banks.schema import MAX_CHOICES as MAX_CHOICES
from quizapp.banks.schema import over_limit as over_limit

# Moodle's text formats, by the names GIFT uses for them.
FORMATS = ("moodle", "html", "plain", "markdown")
# Every question a matching question is split into offers all its answers as choices, so it may have as many
# pairs (distractor answers included) as a question may have choices. A reader refuses a question past these
# as soon as it has counted them: n pairs would otherwise become n questions of n choices each.
MAX_PAIRS = MAX_CHOICES


class FormatError(Exception):
    """Input that cannot be read at all in the requested format, with the line where reading stopped (0: none)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line, self.message = line, message


class UnreadableItems(FormatError):
    """Input with items the reader could not make out; `problems` names each one by its line."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


class TooManyQuestions(FormatError):
    """Input holding more questions than the caller takes; reading stopped as soon as that was clear."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"it holds more than {limit:,} questions; at most {limit:,} can be uploaded at once, "
                         "so split it into several files")
        self.limit = limit


@dataclass(frozen=True)
class Text:
    """A piece of text and the format it is written in."""

    text: str = ""
    format: str = "moodle"

    def __bool__(self) -> bool:
        return bool(self.text.strip())


@dataclass
class Answer:
    """One answer of a question: a choice, an accepted short answer or a number."""

    text: Text
    fraction: float = 0.0
    feedback: Text = field(default_factory=Text)
    # Numerical answers only: the accepted distance from the number ("*" answers have none).
    tolerance: float | None = None


@dataclass
class Blank:
    """One gap of a cloze text: how it is graded and the answers it accepts."""

    kind: str = "shortanswer"
    answers: list[Answer] = field(default_factory=list)
    hint: str = ""


# A cloze item's text marks its gaps as BLANK_START + index + BLANK_END, so no text conversion can touch them.
BLANK_START, BLANK_END = "\ue000", "\ue001"


def blank_marker(index: int) -> str:
    """The placeholder standing for gap number index in a cloze item's text."""
    return f"{BLANK_START}{index}{BLANK_END}"


@dataclass
class Item:
    """One question (or a category switch) read from, or to be written to, an exchange format.

    qtype is a Moodle type name: multichoice, truefalse, shortanswer, numerical,
    match, essay, description, category, cloze (Moodle's multianswer, or an Anki
    cloze note); the Anki and CSV readers add flashcard. Any other Moodle type
    keeps its own name so that it can be reported.
    """

    qtype: str
    line: int = 1
    name: str = ""
    text: Text = field(default_factory=Text)
    general_feedback: Text = field(default_factory=Text)
    answers: list[Answer] = field(default_factory=list)
    single: bool = True
    shuffle: bool = True
    # truefalse
    correct: bool = True
    feedback_true: Text = field(default_factory=Text)
    feedback_false: Text = field(default_factory=Text)
    # match: (subquestion, answer) pairs; an empty subquestion is a distractor answer
    pairs: list[tuple[Text, str]] = field(default_factory=list)
    # flashcard back, cloze extra
    back: Text = field(default_factory=Text)
    # cloze: the gaps, in the order their markers appear in text
    blanks: list[Blank] = field(default_factory=list)
    # numerical: the unit and further spellings of it
    unit: str = ""
    unit_aliases: list[str] = field(default_factory=list)
    # a missing-word question: the answer block stood inside the text, now "_____"
    embedded: bool = False
    category: str = ""
    category_info: Text = field(default_factory=Text)
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    # the number Moodle writes in "// question: N" comments
    number: int = 0
    # what the reader already knows it could not keep, reported with the item
    notes: list[str] = field(default_factory=list)

    def question_count(self) -> int:
        """How many questions the item counts as: none for a category, one per pair of a matching question."""
        if self.qtype == "category":
            return 0
        # A matching question becomes one question per pair (see convert_types._match).
        return max(1, sum(1 for left, _ in self.pairs if left)) if self.qtype == "match" else 1


def question_label(name: str, longest: int = 40) -> str:
    """A question named as a bank file's problems name it, "question 'Capitals'", by its title or first words cut
    at a word (empty when it has neither)."""
    words = " ".join(name.split())
    if len(words) > longest:
        words = (words[:longest].rsplit(" ", 1)[0] or words[:longest]) + "…"
    return f"question '{words}'" if words else ""


@dataclass(frozen=True)
class Problem:
    """Something in the input that was not converted, or not completely."""

    line: int
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ParseResult:
    """What a reader found: the items it could read and the problems with the rest."""

    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # At most this many questions are wanted (None: any number): reading stops at the first item past it,
    # so that a huge file is refused in the time it takes to read that far.
    limit: int | None = None
    counted: int = 0

    def add(self, item: Item) -> None:
        """Keep an item read; raise TooManyQuestions once the items hold more questions than the limit."""
        self.items.append(item)
        self._count(item.question_count())

    def unreadable(self, line: int, reason: str, question: str = "") -> None:
        """Note a question that cannot be read, named by its title or first words when known; like one read, it
        counts against the limit."""
        label = question_label(question)
        self.problems.append(Problem(line, f"{label}: {reason}" if label else reason))
        self._count(1)

    def _count(self, questions: int) -> None:
        self.counted += questions
        if self.limit is not None and self.counted > self.limit:
            raise TooManyQuestions(self.limit)

    @property
    def questions(self) -> list[Item]:
        """The items that are questions, not category switches."""
        return [item for item in self.items if item.qtype != "category"]
