"""Moodle's Aiken tests: the Behat fixture, the error fixture with its line numbers, and the exact export."""

from __future__ import annotations

from pathlib import Path

from quizapp.formats.aiken import read_aiken, write_aiken
from quizapp.formats.conformance import Suite
from quizapp.formats.model import Answer, Item, Text

ERRORS = [
    "Error importing question A question with too few answers",
    "Question must have at least 2 answers on line 3",
    "Question not started on line 5",
    "Question not started on line 7",
    "Error importing question A question started but not finished",
    "Question not completed before next question start on line 18",
]


def _choices(item: Item) -> tuple[list[str], list[int]]:
    return [a.text.text for a in item.answers], [i for i, a in enumerate(item.answers) if a.fraction > 0.99]


def export_bank() -> list[Item]:
    """The five questions of Moodle's Aiken export test; only the single-answer multichoice can be written."""
    def mc(single: bool, right: set[int]) -> Item:
        """One of the test's multichoice questions: single-answer, or with several right answers."""
        answers = [Answer(Text(word, "html"), (1.0 / len(right)) if i in right else 0.0)
                   for i, word in enumerate(("One", "Two", "Three", "Four"))]
        text = "<p>Which is the</p>\n<p>oddest number?</p>" if single else "<p>Which are the odd numbers?</p>"
        return Item("multichoice", name="one_of_four" if single else "two_of_four", text=Text(text, "html"),
                    single=single, answers=answers)

    return [Item("shortanswer", name="sa", text=Text("Name an amphibian", "html"),
                 answers=[Answer(Text("frog", "plain"), 1.0)]),
            Item("essay", name="essay", text=Text("Write about it", "html")),
            Item("numerical", name="num", text=Text("What is pi?", "html"),
                 answers=[Answer(Text("3.14", "plain"), 1.0, tolerance=0.01)]),
            mc(True, {0}), mc(False, {0, 2})]


def run(shared: Path) -> Suite:
    """Every Aiken assertion."""
    suite = Suite("aiken-moodle", "assertions")
    folder = shared / "aiken" / "moodle"
    parsed = read_aiken((folder / "questions.aiken.txt").read_text(encoding="utf-8"))
    items = parsed.questions
    suite.check("questions.aiken.txt: 2 questions", len(items) == 2 and not parsed.problems,
                f"{len(items)} questions, problems {parsed.problems}")
    if len(items) == 2:
        first, second = items
        suite.check("questions.aiken.txt: question 1", first.text.text == "The Moodle project was started by:"
                    and _choices(first) == (["Petr Skoda", "Martin Dougiamas", "Eloy Lafuente", "Tim Hunt"], [1]),
                    f"{first.text.text!r} {_choices(first)}")
        html = 'Moodle\'s abilities include handling user input that includes <html class="cool"> & images:'
        suite.check("questions.aiken.txt: question 2 keeps <html> and & as literal text",
                    second.qtype == "multichoice" and second.text == Text(html, "plain")
                    and _choices(second) == (["True", "False"], [0]), f"{second.text!r} {_choices(second)}")
    parsed = read_aiken((folder / "aiken_errors.txt").read_text(encoding="utf-8"))
    output = "\n".join(f"line {p.line}: {p.reason}" for p in parsed.problems)
    for message in ERRORS:
        suite.check(f"aiken_errors.txt: {message!r}", message in output, f"not in:\n{output}")
    expected = [("A good question", ["Correct", "Incorrect"], [0]),
                ("A second good question", ["Incorrect (No space)", "Correct (No space)"], [1])]
    got = [(item.name, *_choices(item)) for item in parsed.questions]
    suite.check("aiken_errors.txt: the 2 good questions", got == expected, f"got {got}")
    expected_text = (folder / "export_expected_one_of_four.aiken.txt").read_text(encoding="utf-8")
    written = write_aiken(export_bank())
    suite.check("export_expected_one_of_four.aiken.txt (export)", written == expected_text,
                f"expected {expected_text!r}, wrote {written!r}")
    return suite
