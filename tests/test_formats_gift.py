"""GIFT: Moodle's syntax read as Moodle reads it, written as Moodle writes it, and our banks through a round trip."""

from __future__ import annotations

import pytest

from quizapp.formats.gift import read_gift
from quizapp.formats.gift_writer import write_gift
from quizapp.formats.model import Answer, Item, Text
from tests.formats_helpers import bank, meaning, reimport


def one(text: str) -> Item:
    parsed = read_gift(text)
    assert not parsed.problems, parsed.problems
    assert len(parsed.questions) == 1
    return parsed.questions[0]


@pytest.mark.parametrize(("gift", "qtype", "check"), [
    ("Who? {~Grant ~Jefferson =no one}", "multichoice",
     lambda q: [a.fraction for a in q.answers] == [0, 0, 1] and q.single),
    ("Pick. {~%50%a ~%50%b ~%-100%c}", "multichoice",
     lambda q: [a.fraction for a in q.answers] == [0.5, 0.5, -1] and not q.single),
    ("Sun is hot. {T}", "truefalse", lambda q: q.correct is True),
    ("Moon is hot. {FALSE#No.#Right.}", "truefalse",
     lambda q: not q.correct and q.feedback_true.text == "No." and q.feedback_false.text == "Right."),
    ("Who? {=no one =%50%nobody#close}", "shortanswer",
     lambda q: [(a.text.text, a.fraction, a.feedback.text) for a in q.answers] == [("no one", 1, ""),
                                                                                ("nobody", 0.5, "close")]),
    ("Born? {#1822:5}", "numerical", lambda q: (q.answers[0].text.text, q.answers[0].tolerance) == ("1822", 5)),
    ("Pi? {#3.141..3.142}", "numerical",
     lambda q: q.answers[0].text.text == "3.1415" and abs(q.answers[0].tolerance - 0.0005) < 1e-9),
    ("Born? {# =1822:0 =%50%1822:2 ~#no}", "numerical",
     lambda q: [(a.text.text, a.fraction) for a in q.answers] == [("1822", 1), ("1822", 0.5), ("*", 0)]),
    ("Match. {=Canada -> Ottawa =Italy -> Rome}", "match",
     lambda q: [(left.text, right) for left, right in q.pairs] == [("Canada", "Ottawa"), ("Italy", "Rome")]),
    ("Grant is {~buried =entombed} in the tomb.", "multichoice", lambda q: q.embedded and "_____" in q.text.text),
    ("Essay? {}", "essay", lambda q: q.text.text == "Essay?"),
    ("Just text.", "description", lambda q: q.text.text == "Just text."),
    ("[markdown]Who is **it**? {=me####Because.}", "shortanswer",
     lambda q: q.text.format == "markdown" and q.general_feedback.text == "Because."),
    ("::Esc:: a \\: b \\# c \\= d \\{ e \\} f \\~ g \\n h \\\\ i {T}", "truefalse",
     lambda q: q.text.text == "a : b # c = d { e } f ~ g \n h \\ i" and q.name == "Esc"),
])
def test_each_kind_of_question_is_read(gift: str, qtype: str, check) -> None:
    item = one(gift)
    assert item.qtype == qtype
    assert check(item)


def test_categories_comments_ids_and_tags() -> None:
    parsed = read_gift("$CATEGORY: $course$/top/Things\n\n// [id:q-1] [tag:a] [tag:b]\n::N::Q? {T}\n")
    assert [i.qtype for i in parsed.items] == ["category", "truefalse"]
    assert parsed.items[0].category == "$course$/top/Things"
    assert (parsed.items[1].idnumber, parsed.items[1].tags) == ("q-1", ["a", "b"])


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_line_endings_bom_and_missing_final_newline(newline: str, bom: str) -> None:
    text = bom + newline.join(["// c", "::A::Ä ﬁ ①? {T}", "", "::B::Q? {=x}"])
    parsed = read_gift(text)
    assert [(q.name, q.line) for q in parsed.questions] == [("A", 2), ("B", 4)]
    assert parsed.questions[0].text.text == "Ä ﬁ ①?"  # no NFKC


@pytest.mark.parametrize(("gift", "reason"), [
    ("Broken {=a", "its answer block starts with { but never ends: put } after the last answer"),
    ("Broken =a}", "its answer block ends with } but never starts: put { before the first answer"),
    ("Broken } {=a", "a } comes before the answer block's {: write a } that belongs to the text as \\}"),
    ("Two {=a} blocks {=b}", "only one answer block"),
    ("Few {~only}", "at least two answers"),
    ("Num {#abc}", "not a number"),
    ("Match {=a -> b =c}", "'->'"),
])
def test_questions_that_cannot_be_read_are_reported_with_their_line(gift: str, reason: str) -> None:
    parsed = read_gift("Fine? {T}\n\n" + gift)
    assert len(parsed.questions) == 1
    assert parsed.problems[0].line == 3 and reason in parsed.problems[0].reason


@pytest.mark.parametrize(("gift", "named"), [
    ("::Capitals::Which city? {=Astana", "question 'Capitals'"),
    # Without a title, by the first words of its text, cut at a word; escapes, format and markup left out.
    ("What is the capital city of Kazakhstan since the move of 1997? {=Astana",
     "question 'What is the capital city of Kazakhstan…'"),
    ("[html]<p>Is <b>2 \\= 2</b>?</p> {T", "question 'Is 2 = 2 ?'"),
])
def test_a_question_that_cannot_be_read_is_named_by_its_title_or_first_words(gift: str, named: str) -> None:
    parsed = read_gift("Fine? {T}\n\n" + gift)
    assert [problem.reason for problem in parsed.problems] == [
        f"{named}: its answer block starts with {{ but never ends: put }} after the last answer"]


@pytest.mark.parametrize(("gift", "next_line", "blank_after"), [
    ("::a:: 2+2? {=4 ~3}\n::b:: Wet? {T}", 2, 1),
    # Comments belong to the question that follows; a multi-line block ends on its own line.
    ("::a::\nQ? {\n=x\n~y\n}\n// [id:b]\n::b:: Q2? {T}", 7, 5),
])
def test_a_question_without_the_blank_line_before_it_is_named(gift: str, next_line: int, blank_after: int) -> None:
    parsed = read_gift("Fine? {T}\n\n" + gift)
    assert parsed.problems[0].line == 3
    assert (f"line {next_line + 2} seems to start another question: put a blank line after line {blank_after + 2}"
            in parsed.problems[0].reason)


def test_writer_escapes_and_formats_as_moodle() -> None:
    item = Item("multichoice", name="a:b", text=Text("x = {y}", "markdown"), number=7,
                answers=[Answer(Text("1#2", "markdown"), 1.0, Text("ok", "markdown")),
                         Answer(Text("3", "plain"), 0.0)], general_feedback=Text("why\nnot", "markdown"))
    text = write_gift([item])
    assert text == ("// question: 7  name: a:b\n::a\\:b::[markdown]x \\= \\{y\\}{\n\t=1\\#2#ok\n\t~[plain]3\n"
                    "\t####why\\nnot\n}\n\n")
    assert read_gift(text).questions[0].general_feedback.text == "why\nnot"


GIFT_CANNOT_HOLD = ("unit", "unit_aliases", "shuffle")


def test_round_trip_of_our_banks_through_gift() -> None:
    parsed_bank = bank("referendum-2022")
    back, notes, problems = reimport(parsed_bank, "gift")
    assert not problems
    kinds = {q.type for q in parsed_bank.questions if q.type not in ("cloze", "flashcard")}
    assert kinds == {"single_choice", "multiple_response", "true_false", "numeric", "short_text"}
    for question in parsed_bank.questions:
        if question.type in ("cloze", "flashcard"):
            assert question.key not in back
            assert any(question.key in note and "not exported" in note for note in notes)
            continue
        assert meaning(back[question.key], GIFT_CANNOT_HOLD) == meaning(question, GIFT_CANNOT_HOLD), question.key
        assert back[question.key].data["sources"] == question.data["sources"]
        if question.data.get("unit"):
            assert any(question.key in note and "unit" in note for note in notes)


@pytest.mark.parametrize("answer", ["10% of GDP", "%50% of GDP"])
def test_a_choice_that_begins_like_a_weight_survives_the_round_trip(answer: str) -> None:
    choices = [Answer(Text("%50% of GDP", "markdown"), 1.0 if answer.startswith("%") else 0.0),
               Answer(Text("10% of GDP", "markdown"), 0.0 if answer.startswith("%") else 1.0)]
    item = Item("multichoice", 1, name="p", text=Text("Which figure?", "markdown"), answers=choices, single=True)
    (back,) = read_gift(write_gift([item])).items
    assert [(a.text.text, a.fraction) for a in back.answers] == [(a.text.text, a.fraction) for a in choices]


@pytest.mark.parametrize(("answer", "advice"), [
    ("98±1", "not a number: '98±1' (GIFT writes 98 ± 1 as {#98:1})"),
    ("98 +/- 0.5", "not a number: '98 +/- 0.5' (GIFT writes 98 ± 0.5 as {#98:0.5})"),
])
def test_a_numerical_answer_written_with_plus_or_minus_names_the_gift_way(answer: str, advice: str) -> None:
    parsed = read_gift(f"::seats::How many deputies? {{#{answer}}}\n", None)
    assert [str(problem) for problem in parsed.problems] == [f"line 1: question 'seats': {advice}"]
