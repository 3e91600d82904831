"""Moodle XML: every type we read, hostile XML refused cleanly, and our banks through a round trip."""

from __future__ import annotations

import contextlib

import pytest

from quizapp.formats.convert import convert_items
from quizapp.formats.model import FormatError
from quizapp.formats.moodlexml import read_moodlexml
from tests.formats_helpers import bank, meaning, reimport

QUIZ = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Unit 1</text></category></question>
  <question type="multichoice">
    <name><text>Colours</text></name>
    <questiontext format="html"><text><![CDATA[<p>Pick <b>yellow</b> &amp; friends</p>]]></text></questiontext>
    <generalfeedback format="html"><text>Because.</text></generalfeedback>
    <single>false</single><shuffleanswers>0</shuffleanswers>
    <answer fraction="50" format="html"><text>yellow</text><feedback><text>yes</text></feedback></answer>
    <answer fraction="50" format="html"><text>gold</text></answer>
    <answer fraction="-100" format="html"><text>red</text></answer>
    <tags><tag><text>colour</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>TF</text></name><questiontext format="plain_text"><text>1 &lt; 2</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>SA</text></name><questiontext format="moodle_auto_format"><text>Capital?</text></questiontext>
    <answer fraction="100"><text>Paris</text></answer><answer fraction="0"><text>*</text></answer>
  </question>
  <question type="numerical">
    <name><text>Num</text></name><questiontext format="markdown"><text>How *far*?</text></questiontext>
    <answer fraction="100"><text>42</text><tolerance>0.5</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>km</unit_name></unit>
      <unit><multiplier>1000</multiplier><unit_name>m</unit_name></unit></units>
  </question>
  <question type="matching">
    <name><text>Match</text></name><questiontext format="html"><text>Match them</text></questiontext>
    <subquestion format="html"><text>A</text><answer><text>a</text></answer></subquestion>
    <subquestion format="html"><text>B</text><answer><text>b</text></answer></subquestion>
  </question>
  <question type="cloze">
    <name><text>Gaps</text></name>
    <questiontext format="html">
      <text>The {1:SHORTANSWER:=owl~=Owl} and the {1:NUMERICAL:=2:0} cats.</text></questiontext>
  </question>
  <question type="essay"><name><text>Essay</text></name><questiontext><text>Why?</text></questiontext></question>
  <question type="calculated"><name><text>Calc</text></name><questiontext><text>x?</text></questiontext></question>
</quiz>
"""


def test_every_type_is_read_and_converted_or_reported() -> None:
    parsed = read_moodlexml(QUIZ)
    assert [i.qtype for i in parsed.items] == ["category", "multichoice", "truefalse", "shortanswer", "numerical",
                                               "match", "cloze", "essay", "calculated"]
    conversion = convert_items(parsed.items, "Default")
    by_id = {q["id"]: q for q in conversion.questions}
    assert by_id["colours"]["answers"] == ["yellow", "gold"] and by_id["colours"]["shuffle"] is False
    assert by_id["colours"]["prompt"] == "Pick **yellow** & friends" and by_id["colours"]["topic"] == "Unit 1"
    assert by_id["colours"]["tags"] == ["colour"]
    assert by_id["tf"]["prompt"] == "1 < 2"
    assert by_id["sa"]["answers"] == ["Paris"]
    assert (by_id["num"]["answer"], by_id["num"]["tolerance"], by_id["num"]["unit"]) == (42, 0.5, "km")
    assert [by_id["match-1"]["answer"], by_id["match-2"]["answer"]] == ["a", "b"]
    assert by_id["gaps"]["text"] == "The {{owl|Owl}} and the {{2}} cats."
    skipped = {p.reason.split(" ")[0] for p in conversion.problems if p.skipped}
    assert skipped == {"essay", "calculated"}
    assert all(p.line > 1 for p in conversion.problems)
    assert any("multiplier 1000" in p.reason for p in conversion.problems)


@pytest.mark.parametrize("xml", [
    '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><quiz>&b;</quiz>',
    '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY e SYSTEM "file:///etc/passwd">]><quiz>&e;</quiz>',
    "<quiz><question type='truefalse'>",
    "<notquiz/>",
    "",
    "<quiz>&undefined;</quiz>",
])
def test_hostile_or_broken_xml_is_a_clear_error(xml: str) -> None:
    with pytest.raises(FormatError):
        read_moodlexml(xml)


def test_deeply_nested_xml_does_not_crash() -> None:
    xml = "<quiz><question type='essay'><questiontext><text>" + "<b>" * 5000 + "x" + "</b>" * 5000
    with contextlib.suppress(FormatError):
        read_moodlexml(xml + "</text></questiontext></question></quiz>")


def test_round_trip_of_our_banks_through_moodle_xml() -> None:
    parsed_bank = bank("referendum-2022")
    back, notes, problems = reimport(parsed_bank, "moodlexml")
    assert not problems
    assert {q.type for q in back.values()} == {"single_choice", "multiple_response", "true_false", "numeric",
                                                 "short_text", "cloze"}
    for question in parsed_bank.questions:
        if question.type == "flashcard":
            assert question.key not in back
            continue
        lost = ("unit_aliases",) if question.data.get("unit_aliases") and not question.data.get("unit") else ()
        assert meaning(back[question.key], lost) == meaning(question, lost), question.key
    assert any("unit spellings without a unit" in note for note in notes)


def test_a_question_that_cannot_be_read_is_named_by_its_name() -> None:
    parsed = read_moodlexml(QUIZ.replace('fraction="-100"', 'fraction="lots"'))
    assert [(problem.line, problem.reason) for problem in parsed.problems] == [
        (4, "question 'Colours': answer fraction 'lots' is not a number")]


@pytest.mark.parametrize(("xml", "line", "advice"), [
    # A tag left open is noticed only at the next closing tag, lines later: the message names the open one.
    ("<quiz>\n<question type='shortanswer'>\n<questiontext><text>Symbol for iron?</text>\n"
     "<answer fraction='100'><text>Fe</text></answer>\n</question>\n</quiz>\n",
     5, "<questiontext> on line 3 is not closed before it: close it with </questiontext>"),
    ("<quiz>\n<question type='truefalse'>\n<name><text>a</text></name>\n",
     4, "the file ends before <question> on line 2 is closed: close it with </question>"),
])
def test_an_element_left_open_is_named_with_its_line(xml: str, line: int, advice: str) -> None:
    with pytest.raises(FormatError) as refused:
        read_moodlexml(xml)
    assert refused.value.line == line and advice in refused.value.message
