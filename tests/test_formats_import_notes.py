"""What an import keeps that the file wrote for one answer or in markup we cannot show, and how it says so."""

from __future__ import annotations

from quizapp.formats.service import import_text

TF_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz><question type="truefalse">
  <name><text>Flat</text></name><questiontext format="html"><text>The earth is flat.</text></questiontext>
  <answer fraction="0"><text>true</text><feedback><text>No, it is round.</text></feedback></answer>
  <answer fraction="100"><text>false</text><feedback><text>Correct, well done!</text></feedback></answer>
</question></quiz>"""


def _one(text: str, fmt: str) -> tuple[dict, list[str]]:
    imported = import_text(text, fmt, "b", "B", {})
    assert len(imported.questions) == 1, imported.problems
    return imported.questions[0], [problem.reason for problem in imported.problems]


def test_true_false_feedback_names_the_answer_it_was_written_for() -> None:
    question, notes = _one("::q::42 is the Absolute Answer.{FALSE#42 is the Ultimate Answer.#You gave the right "
                           "answer.}", "gift")
    assert question["explanation"] == ("**Feedback on true:** 42 is the Ultimate Answer.\n\n"
                                       "**Feedback on false:** You gave the right answer.")
    assert any("labelled with the answer it was written for" in note for note in notes)
    question, _ = _one(TF_XML, "moodlexml")
    assert question["explanation"] == ("**Feedback on true:** No, it is round.\n\n"
                                       "**Feedback on false:** Correct, well done!")


def test_short_answer_and_numerical_feedback_is_labelled_or_reported() -> None:
    question, notes = _one("Name a pet. {=Dog#Good! =%0%Cat#Not that case.}", "gift")
    assert question["answers"] == ["Dog"]
    assert question["explanation"] == ("**Feedback on the answer “Dog”:** Good!\n\n"
                                       "**Feedback on the answer “Cat”:** Not that case.")
    question, _ = _one("How much? {#100:1#Correct! 100% credit}", "gift")
    assert question["explanation"] == "**Feedback on the answer “100 ± 1”:** Correct! 100% credit"
    question, notes = _one("Name a pet. {=Dog#Good!####Dogs are pets.}", "gift")
    assert question["explanation"] == "Dogs are pets."
    assert any("the feedback on the answer “Dog” is not kept" in note for note in notes)
