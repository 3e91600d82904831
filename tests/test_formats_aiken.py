"""Aiken: Moodle's messages and line numbers, literal text, and export of single-choice questions."""

from __future__ import annotations

import pytest

from quizapp.formats.aiken import read_aiken, write_aiken
from quizapp.formats.model import Answer, Item, Text
from tests.formats_helpers import bank, reimport


@pytest.mark.parametrize(("text", "message"), [
    ("Q?\nA) one\nANSWER: A", "Question must have at least 2 answers on line 3"),
    ("A) orphan", "Question not started on line 1"),
    ("ANSWER: B", "Question not started on line 1"),
    ("Q1\nA) x\nB) y\nQ2\nA) x\nB) y\nANSWER: A", "Question not completed before next question start on line 4"),
    ("Q?\nA) x\nB) y\nANSWER: C", "does not name one of the choices, A to B, on line 4"),
    ("Q?\nA) x\nB) y", "not completed before the end of the file: end it with a line such as ANSWER: B, the letter "
                        "of its right choice"),
])
def test_errors_are_reported_as_moodle_does(text: str, message: str) -> None:
    assert any(message in str(p) for p in read_aiken(text).problems)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_choices_with_dot_or_no_space_and_literal_html(newline: str) -> None:
    parsed = read_aiken(newline.join(["Is <b>this</b> & that bold?", "A.Yes", "B) No", "ANSWER: B"]))
    item = parsed.questions[0]
    assert item.text == Text("Is <b>this</b> & that bold?", "plain")
    assert [(a.text.text, a.fraction) for a in item.answers] == [("Yes", 0), ("No", 1)]


def test_writer_flattens_html_and_leaves_out_what_aiken_cannot_hold() -> None:
    single = Item("multichoice", text=Text("<p>Which</p>\n<p>one?</p>", "html"),
                  answers=[Answer(Text("*x*", "markdown"), 1.0), Answer(Text("y", "plain"))])
    multi = Item("multichoice", single=False, text=Text("Many?"), answers=[Answer(Text("a"), 0.5)] * 2)
    assert write_aiken([single, multi, Item("truefalse")]) == "Which one?\nA) x\nB) y\nANSWER: A\n"


def test_our_single_choice_questions_come_back_from_aiken() -> None:
    parsed_bank = bank("referendum-2022")
    back, notes, _ = reimport(parsed_bank, "aiken")
    singles = [q for q in parsed_bank.questions if q.type == "single_choice"]
    assert len(back) == len(singles)
    for question in singles:
        again = back[next(key for key, q in back.items() if q.data["prompt"] == question.data["prompt"])]
        assert [c["text"] for c in again.data["choices"]] == [c["text"] for c in question.data["choices"]]
        assert again.data["correct"] == question.data["correct"]
    assert any("Aiken has no feedback" in note for note in notes)


@pytest.mark.parametrize(("text", "problems"), [
    # Each used to be read as the start of a new question, so one slip gave two or three unrelated messages.
    ("Capital?\nA) Almaty\nB) Astana\nanswer: B\n\nSeats?\nA) 98\nB) 107\nAnswer : a\n",
     ["line 4: Error importing question Capital?: write the answer line in capitals, with the colon right after "
      "ANSWER (ANSWER: B), on line 4",
      "line 9: Error importing question Seats?: write the answer line in capitals, with the colon right after "
      "ANSWER (ANSWER: A), on line 9"]),
    ("Capital?\na) Almaty\nb) Astana\nANSWER: B\n",
     ["line 2: Error importing question Capital?: choice letters are capitals: write 'A) Almaty' on line 2"]),
    ("Capital?\nA) Almaty\nB) Astana\nANSWER: b\n",
     ["line 4: Error importing question Capital?: the letter after ANSWER: is a capital (ANSWER: B) on line 4"]),
])
def test_lower_case_letters_are_one_problem_that_says_how_to_write_them(text: str, problems: list[str]) -> None:
    parsed = read_aiken(text + "Fine?\nA) yes\nB) no\nANSWER: A\n")
    assert [str(problem) for problem in parsed.problems] == problems
    assert [item.name for item in parsed.questions] == ["Fine?"]
    fixed = read_aiken(text.replace("answer: B", "ANSWER: B").replace("Answer : a", "ANSWER: A")
                       .replace("a) ", "A) ").replace("b) ", "B) ").replace("ANSWER: b", "ANSWER: B"))
    assert not fixed.problems and len(fixed.questions) == text.count("?")
