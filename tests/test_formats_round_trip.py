"""A bank with every type and awkward text, exported to each format and imported again, question by question."""

from __future__ import annotations

import pytest

from quizapp.banks.checker import ParsedBank, check_paths
from quizapp.banks.schema import ParsedQuestion
from quizapp.formats.service import export_bank
from tests.conftest import QUESTIONS
from tests.formats_helpers import bank, meaning, our_banks, reimport

BANK_YAML = """\
id: awkward
title: "Tenge & <odd> names: ₸ — әғқңөұүһі"
description: Every type, with text that each format has to escape.
sources: optional
"""

QUESTIONS_YAML = r"""
questions:
  - id: sc-special
    type: single_choice
    prompt: "Which *one* costs 5 000 ₸ — the **Қазақ** {price} = a ~ b # c : d & <e> \"q\"? See
      [OSW](https://www.osw.waw.pl/en) and ~~old~~ text."
    choices:
      - text: "A & B < C > \"D\""
        feedback: "Right: {x} = #1 ~ 2 : *emph* [link](https://example.com)"
      - text: "ә ғ қ ң ө ұ ү һ і — 100%"
        feedback: "No: ~~struck~~ and `code`"
      - "%50% of GDP"
    answer: "A & B < C > \"D\""
    shuffle: false
    explanation: "Because {a} = b ~ c # d : e.\n\nA *second* paragraph with ~~struck~~ text and a
      [link](https://example.com/a_b?x=1&y=2)."
    source:
      document: osw-2022
      quote: "the number of deputies for the Mazhilis (lower house) has been reduced from 107 to 98"
    topic: "Parliament/Senate: seats"
    tags: [awkward, "two words"]
    difficulty: analysis
  - id: mr-special
    type: multiple_response
    prompt: "Pick every choice with = or ~ in it."
    choices: ["a = b", "c ~ d", "e # f", "g { h }", "i : j"]
    answers: ["a = b", "c ~ d", "g { h }"]
    explanation: "Three of them."
    topic: Signs
    difficulty: recall
  - id: tf-special
    type: true_false
    prompt: "Is 2 + 2 = 4 {really}?"
    answer: true
    explanation: "Yes: it is."
    topic: Signs
    difficulty: recall
  - id: numeric-tenge
    type: numeric
    prompt: "How much is −12.5 ± 0.25?"
    answer: -12.5
    tolerance: 0.25
    unit: "₸"
    unit_aliases: ["тенге", "KZT"]
    explanation: "A negative amount."
    topic: Signs
    difficulty: recall
  - id: numeric-small
    type: numeric
    prompt: "How small?"
    answer: 0.0005
    tolerance: 0.00001
    explanation: "Very small."
    topic: Signs
    difficulty: recall
  - id: short-special
    type: short_text
    prompt: "Name it: {x} = ~ #"
    answers: ["a = b", "c ~ d", "e # f {g}", "Қазақстан", "x: y", "50%", "C*-algebra"]
    explanation: "Any of them."
    topic: Signs
    difficulty: recall
  - id: cloze-special
    type: cloze
    text: "The {{Қазақ|Kazakh}} word for {{a/b|c}} is \"x\" & {{d*}}."
    explanation: "Three blanks."
    topic: Signs
    difficulty: recall
  - id: card-special
    type: flashcard
    front: "Front with, a comma and \"quotes\""
    back: "Back, line one\n\nline two"
    topic: Signs
    difficulty: recall
"""


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> ParsedBank:
    folder = tmp_path_factory.mktemp("awkward")
    (folder / "bank.yaml").write_text(BANK_YAML, encoding="utf-8")
    (folder / "questions.yaml").write_text(QUESTIONS_YAML, encoding="utf-8")
    result = check_paths([folder], QUESTIONS)
    assert result.ok, result.problems[:3]
    return result.banks[0]


def _sources(question: ParsedQuestion) -> list[tuple[str, str]]:
    return [(source["document"], source["quote"]) for source in question.data.get("sources", [])]


# What docs/formats.md says each format cannot hold: fields lost, and types left out.
LOSSES = {
    "gift": (("unit", "unit_aliases", "shuffle"), {"cloze", "flashcard"}),
    "moodlexml": ((), {"flashcard"}),
}


@pytest.mark.parametrize("fmt", sorted(LOSSES))
def test_every_question_the_format_holds_comes_back_the_same(awkward: ParsedBank, fmt: str) -> None:
    lost, left_out = LOSSES[fmt]
    back, _, problems = reimport(awkward, fmt)
    assert not problems
    assert set(back) == {q.key for q in awkward.questions if q.type not in left_out}
    for question in awkward.questions:
        if question.key in back:
            assert meaning(back[question.key], lost) == meaning(question, lost), question.key
            assert _sources(back[question.key]) == _sources(question), question.key


def test_a_literal_asterisk_in_a_short_answer_is_escaped_for_moodle(awkward: ParsedBank) -> None:
    # Moodle reads an unescaped * in a short answer as a wildcard: "C*-algebra" would accept "Calgebra".
    documents = our_banks().documents
    xml, _ = export_bank(awkward, "moodlexml", documents)
    assert "<text>C\\*-algebra</text>" in xml
    assert "{1:SHORTANSWER:=d\\*}" in xml
    gift, _ = export_bank(awkward, "gift", documents)
    assert "=%100%C\\\\*-algebra#" in gift


def test_cloze_notes_bring_their_explanation_and_sources_back_from_anki() -> None:
    # A Cloze note's Back Extra holds the explanation and each quote as a block quote with its citation.
    parsed_bank = bank("referendum-2022")
    again, _, problems = reimport(parsed_bank, "anki")
    assert not problems
    clozes = [question for question in parsed_bank.questions if question.type == "cloze"]
    back = [question for question in again.values() if question.type == "cloze"]
    assert len(back) == len(clozes) > 0
    for original, again in zip(clozes, back, strict=True):
        assert again.data.get("explanation") == original.data.get("explanation"), original.key
        assert _sources(again) == _sources(original), original.key


def test_topics_come_back_from_anki_decks_whole(awkward: ParsedBank) -> None:
    # The deck is "<bank title>::<topic>"; a slash inside either is part of the name, not a level.
    questions = list(reimport(awkward, "anki")[0].values())
    assert [question.topic for question in questions] == [question.topic for question in awkward.questions]
    assert questions[0].topic == "Parliament/Senate: seats"


def test_single_choice_questions_come_back_from_aiken(awkward: ParsedBank) -> None:
    back, _, problems = reimport(awkward, "aiken")
    questions = list(back.values())
    (original,) = [question for question in awkward.questions if question.type == "single_choice"]
    (again,) = questions
    assert not problems and again.type == "single_choice"
    assert [c["text"] for c in again.data["choices"]] == [c["text"] for c in original.data["choices"]]
    assert again.data["correct"] == original.data["correct"]


@pytest.mark.parametrize("fmt", ["anki", "csv"])
def test_every_question_comes_back_as_a_card(awkward: ParsedBank, fmt: str) -> None:
    back, _, problems = reimport(awkward, fmt)
    questions = list(back.values())
    assert not problems and len(questions) == len(awkward.questions)
    by_type = dict(zip((question.type for question in awkward.questions), questions, strict=True))
    card = by_type["flashcard"]
    assert card.data["front"] == "Front with, a comma and \"quotes\""
    assert card.data["back"] == "Back, line one\n\nline two"
    assert "C*-algebra" in by_type["short_text"].data["back"]
    if fmt == "anki":
        assert by_type["cloze"].data["text"] == "The {{Қазақ}} word for {{a/b}} is \"x\" & {{d*}}."
    else:
        assert by_type["cloze"].data["front"] == "The _____ word for _____ is \"x\" & _____."


def test_the_gift_note_on_units_names_what_is_left_out() -> None:
    notes = export_bank(bank("referendum-2022"), "gift", our_banks().documents)[1]
    units = [note for note in notes if "GIFT numbers have no units" in note]
    assert any(note.startswith("question 'cb1-nurly-zhol': the unit 'billion dollars' and its spellings are not "
                               "exported") for note in units)
    # A question with spellings of its number but no unit of its own.
    assert any(note.startswith("question 'cb1-doing-business': the unit spellings (th, place, th place, rank) are "
                               "not exported") for note in units)
    assert not any("''" in note for note in units)


@pytest.mark.parametrize(("wrong", "refused"), [(10, False), (11, True)])
@pytest.mark.parametrize("fmt", ["gift", "moodlexml"])
def test_a_multiple_response_question_moodle_would_refuse_is_noted(tmp_path, fmt, wrong, refused) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "bank.yaml").write_text("id: many\ntitle: Many\nsources: optional\n", encoding="utf-8")
    choices = ", ".join(f'"choice {index}"' for index in range(wrong + 1))
    (folder / "q.yaml").write_text(f"""\
questions:
  - id: many-wrong
    type: multiple_response
    prompt: Pick the first.
    choices: [{choices}]
    answers: ["choice 0"]
    explanation: Only the first.
    topic: T
    difficulty: recall
""", encoding="utf-8")
    result = check_paths([folder], QUESTIONS)
    assert result.ok, result.problems
    notes = export_bank(result.banks[0], fmt, result.documents)[1]
    said = [note for note in notes if "Moodle will refuse it" in note]
    assert said == ([f"question 'many-wrong': Moodle will refuse it: with 1 right and {wrong} wrong choices each is "
                     "worth a share of the marks Moodle does not offer (it has 1/1 to 1/10 and 1/20)"] if refused
                    else [])
