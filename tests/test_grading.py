"""Grading of every question type with tricky inputs; pure functions, no Flask."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from quizapp.grading import CHECKERS, grade
from quizapp.grading.checkers import numeric_refusal
from quizapp.grading.normalize import SPACE_SEPARATORS, normalize_text, parse_number, same_word, unit_accepted

CHOICES = [{"text": t, "feedback": ""} for t in ("98", "107", "77", "120")]
QUESTIONS = {
    "single_choice": {"choices": CHOICES, "correct": [0]},
    "multiple_response": {"choices": CHOICES, "correct": [0, 1]},
    "true_false": {"answer": False},
    "numeric": {"answer": 98.0, "tolerance": 0.0, "unit": "seats", "unit_aliases": []},
    "short_text": {"answers": ["Ulttyk Kuryltai", "National Congress"]},
    "cloze": {"text": "{{107}} to {{98}} in a {{mixed|mixed electoral}} system", "blanks": [
        ["107"], ["98"], ["mixed", "mixed electoral"]]},
    "flashcard": {"front": "Mazhilis", "back": "Lower house"},
}

CASES = [
    ("single_choice", 0, True, 1.0),
    ("single_choice", 1, False, 0.0),
    ("single_choice", "0", False, 0.0),
    ("single_choice", None, False, 0.0),
    ("multiple_response", [0, 1], True, 1.0),
    ("multiple_response", [1, 0], True, 1.0),
    ("multiple_response", [0], False, 0.5),
    ("multiple_response", [0, 2], False, 0.0),
    ("multiple_response", [0, 1, 2], False, 0.5),
    ("multiple_response", [], False, 0.0),
    ("multiple_response", "0,1", False, 0.0),
    ("true_false", False, True, 1.0),
    ("true_false", True, False, 0.0),
    ("true_false", "false", False, 0.0),
    ("numeric", "98", True, 1.0),
    ("numeric", " 98 seats ", True, 1.0),
    ("numeric", "98 seat", True, 1.0),
    ("numeric", "98.0", True, 1.0),
    ("numeric", "98,0", True, 1.0),
    ("numeric", "98 km", False, 0.0),
    ("numeric", "97", False, 0.0),
    ("numeric", "ninety-eight", False, 0.0),
    ("numeric", "", False, 0.0),
    ("numeric", None, False, 0.0),
    ("short_text", "Ulttyk Kuryltai", True, 1.0),
    ("short_text", "  the ulttyk   KURYLTAI! ", True, 1.0),
    ("short_text", "Ulttyk Kuryltaí", True, 1.0),
    ("short_text", "national congress.", True, 1.0),
    ("short_text", "Kuryltai", False, 0.0),
    ("short_text", "the", False, 0.0),
    ("short_text", "", False, 0.0),
    ("cloze", ["107", "98", "Mixed"], True, 1.0),
    ("cloze", ["107.0", " 98 ", "mixed electoral"], True, 1.0),
    ("cloze", ["107", "99", "mixed"], False, 0.6667),
    ("cloze", ["", "", ""], False, 0.0),
    ("cloze", ["107"], False, 0.3333),
    ("cloze", "107", False, 0.0),
    ("flashcard", "knew", True, 1.0),
    ("flashcard", "missed", False, 0.0),
]


@pytest.mark.parametrize(("qtype", "given", "correct", "score"), CASES)
def test_grade(qtype, given, correct, score):
    result = grade(qtype, QUESTIONS[qtype], given)
    assert result.correct is correct
    assert result.score == pytest.approx(score, abs=1e-4)


def test_every_type_has_a_checker_and_cases():
    assert set(CHECKERS) == set(QUESTIONS)
    assert {case[0] for case in CASES} == set(CHECKERS)


def test_unknown_type_is_an_error():
    with pytest.raises(ValueError, match="unknown question type"):
        grade("essay", {}, "text")


@pytest.mark.parametrize(("typed", "unit", "answer", "tolerance", "correct"), [
    ("29.4%", "%", 29.4, 0, True),
    ("29,4", "%", 29.4, 0, True),
    ("29.4 %", "%", 29.4, 0, True),
    ("29.4 percent", "%", 29.4, 0, True),
    ("29.4 per cent", "%", 29.4, 0, True),
    ("29.45", "%", 29.4, 0.05, True),
    ("29.5", "%", 29.4, 0.05, False),
    ("29.4 seats", "%", 29.4, 0, False),
    ("20 000 signatures", "signatures", 20000, 0, True),
    ("1.000.000", "", 1000000, 0, True),
    ("€26.1 billion", "billion euros", 26.1, 0, True),
    ("26.1 bn", "billion euros", 26.1, 0, False),
    ("-3", "", -3, 0, True),
])
def test_numeric_units_and_separators(typed, unit, answer, tolerance, correct):
    data = {"answer": answer, "tolerance": tolerance, "unit": unit, "unit_aliases": []}
    assert grade("numeric", data, typed).correct is correct


def test_numeric_unit_message_names_expected_unit():
    result = grade("numeric", QUESTIONS["numeric"], "98 km")
    assert "km" in result.message and "seats" in result.message


def test_unit_aliases_count():
    data = {"answer": 26.1, "tolerance": 0, "unit": "billion euros", "unit_aliases": ["bn"]}
    assert grade("numeric", data, "26.1 bn").correct


@pytest.mark.parametrize(("text", "value"), [
    ("98", 98), ("1,5", 1.5), ("1.000,5", 1000.5), ("1,000,000.25", 1000000.25), ("98.", 98), ("0.5", 0.5),
])
def test_parse_number(text, value):
    assert parse_number(text).value == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "9 8", "1,00,0", "", ".", "seats 98"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_normalize_text_drops_accents_case_articles_and_punctuation():
    assert normalize_text("  The  Café—Ñandú's! ") == "cafe nandus"
    assert normalize_text("An Akim") == "akim"
    assert normalize_text("Nur-Otan") == normalize_text("nur otan")


def test_unit_accepted_plural_and_none():
    assert unit_accepted("", "seats")
    assert unit_accepted("Seat", "seats")
    assert not unit_accepted("votes", "seats")


# Every Unicode space separator but the ordinary space, which always worked.
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Zs" and c != 0x20]


def test_every_unicode_space_separator_is_read_as_a_space():
    assert set(SPACE_SEPARATORS) == set(SPACES)


@pytest.mark.parametrize("space", SPACES, ids=lambda space: f"U+{ord(space):04X}")
@pytest.mark.parametrize(("typed", "value", "unit"), [
    ("20{}000", 20000, ""), ("20{}000 people", 20000, "people"), ("1{}000{}000,5", 1000000.5, ""),
    ("98{}seats", 98, "seats"), ("{}−3{}%", -3, "%"),
])
def test_any_space_groups_digits_and_parts_number_from_unit(space, typed, value, unit):
    parsed = parse_number(typed.replace("{}", space))
    assert (parsed.value, parsed.unit, parsed.readings) == (pytest.approx(value), unit, ())


@pytest.mark.parametrize("typed", ["20\u2009000", "20\u202f000 people", "20\u2009000\u2009people"])
def test_thin_and_narrow_spaces_in_an_answer_are_graded(typed):
    data = {"answer": 20000, "tolerance": 0, "unit": "people", "unit_aliases": ["person", "persons"]}
    assert grade("numeric", data, typed) == grade("numeric", data, "20000 people")


DEPUTIES = (98, "deputies", ["seats", "members", "MPs"])
FOLD = (2.5, "times", ["x", "fold"])
YEARS = (20, "years", [])


@pytest.mark.parametrize(("typed", "question", "correct"), [
    ("98 deputy", DEPUTIES, True),
    ("98 Deputies", DEPUTIES, True),
    ("98 seat", DEPUTIES, True),
    ("98 member", DEPUTIES, True),
    ("98 MP", DEPUTIES, True),
    ("98-seat", DEPUTIES, True),
    ("98-deputy", DEPUTIES, True),
    ("98\u2011seat", DEPUTIES, True),  # a non-breaking hyphen
    ("2.5-fold", FOLD, True),
    ("2.5 fold", FOLD, True),
    ("2.5x", FOLD, True),
    ("2.5 time", FOLD, True),
    ("20-year", YEARS, True),
    ("20 year", YEARS, True),
    ("3 decade", (3, "decades", []), True),
    ("4 inch", (4, "inches", []), True),
    ("2 century", (2, "centuries", []), True),
    ("2 centuries", (2, "century", []), True),
    ("98 votes", DEPUTIES, False),
    ("98-km", DEPUTIES, False),
    ("98 deputy", (98, "seats", []), False),
    ("98 ms", (98, "m", []), False),
    ("98 m", (98, "ms", []), False),
    ("2.5 mile", (2.5, "mil", []), False),
    ("2.5 mils", (2.5, "miles", []), False),
    ("98-100", DEPUTIES, False),
    ("98 - seats", DEPUTIES, False),
    ("20-%", YEARS, False),
])
def test_units_in_the_singular_or_plural_and_joined_by_a_hyphen(typed, question, correct):
    answer, unit, aliases = question
    result = grade("numeric", {"answer": answer, "tolerance": 0, "unit": unit, "unit_aliases": aliases}, typed)
    assert result.correct is correct
    assert ("was not understood" in result.message) is not correct


@pytest.mark.parametrize(("one", "other", "same"), [
    ("deputy", "deputies", True), ("seat", "seats", True), ("year", "years", True), ("mp", "mps", True),
    ("box", "boxes", True), ("inch", "inches", True), ("day", "days", True), ("fold", "fold", True),
    ("day", "daies", False), ("m", "ms", False), ("mil", "miles", False), ("seat", "seated", False),
    ("vote", "seats", False),
])
def test_same_word_in_either_order(one, other, same):
    assert same_word(one, other) is same and same_word(other, one) is same


@pytest.mark.parametrize(("typed", "value", "readings"), [
    ("20.000", 20, ("20000", "20")),
    ("20,000", 20000, ("20000", "20")),
    ("1.500", 1.5, ("1500", "1.5")),
    ("1,500", 1500, ("1500", "1,5")),
    ("1.050 seats", 1.05, ("1050", "1.05")),
    ("2.125", 2.125, ("2125", "2.1250")),
    ("-1,125", -1125, ("-1125", "-1,1250")),
    ("\u22123.000", -3, ("\u22123000", "\u22123")),
    ("999.999%", 999.999, ("999999", "999.9990")),
    ("29,4", 29.4, ()),
    ("29.4", 29.4, ()),
    ("29,40", 29.4, ()),
    ("29.4000", 29.4, ()),
    ("0,500", 0.5, ()),
    ("0.125", 0.125, ()),
    ("1234,567", 1234.567, ()),
    ("1234.567", 1234.567, ()),
    ("1,000.5", 1000.5, ()),
    ("1.000,5", 1000.5, ()),
    ("1,000,000", 1000000, ()),
    ("1.000.000", 1000000, ()),
    ("20'000", 20000, ()),
    ("20 000,500", 20000.5, ()),
    ("98.", 98, ()),
])
def test_a_lone_separator_before_three_digits_reads_two_ways(typed, value, readings):
    parsed = parse_number(typed)
    assert (parsed.value, parsed.readings) == (pytest.approx(value), readings)
    # What the student is offered instead reads one way only.
    assert all(parse_number(spelled).readings == () for spelled in readings)


@pytest.mark.parametrize(("typed", "meant"), [
    ("20.000", ("20000", "20")), ("20,000", ("20000", "20")), (" 1,500 seats ", ("1500", "1,5")),
    ("2.125", ("2125", "2.1250")), ("29.400%", ("29400", "29.4")),
])
def test_an_answer_that_reads_two_ways_is_handed_back_naming_both(typed, meant):
    refusal = numeric_refusal(typed)
    assert f"Did you mean {meant[0]} or {meant[1]}?" in refusal and f"“{typed.strip()}”" in refusal
    assert "not been graded" in refusal and "without a thousands separator" in refusal


@pytest.mark.parametrize("typed", ["20000", "20 000", "20\u2009000", "29,4", "1,000.5", "1.000,5", "0,500", "98",
                                   "1,000,000", "abc", "", "seats 98"])
def test_an_answer_that_reads_one_way_is_graded(typed):
    assert numeric_refusal(typed) is None


@pytest.mark.parametrize(("typed", "value", "unit"), [
    ("9.8e1", 98, ""), ("9.8E1", 98, ""), ("9,8e1", 98, ""), ("+9.8e+1", 98, ""), ("-9.8e1", -98, ""),
    ("1e-3", 0.001, ""), ("1e\u22123", 0.001, ""), ("2.940e1 %", 29.4, "%"), ("9.8e1 seats", 98, "seats"),
    ("1e3m", 1000, "m"), ("2.5e0-fold", 2.5, "fold"), ("9.8e1.", 98, ""), ("1.000e3", 1000, ""),
    # A unit that starts with e is no exponent: an exponent has digits.
    ("5 em", 5, "em"), ("5em", 5, "em"), ("3eV", 3, "eV"), ("98e", 98, "e"), ("2 e1", 2, "e1"),
])
def test_scientific_notation_is_read_as_a_student_means_it(typed, value, unit):
    parsed = parse_number(typed)
    assert (parsed.value, parsed.unit, parsed.readings) == (pytest.approx(value), unit, ())


@pytest.mark.parametrize("typed", ["1e999", "1,000.5e2", "1 000e3"])
def test_scientific_notation_past_a_float_or_with_grouped_digits_is_not_a_number(typed):
    assert parse_number(typed) is None


def test_an_answer_in_scientific_notation_is_graded_on_its_value():
    assert grade("numeric", QUESTIONS["numeric"], "9.8e1").correct
    assert grade("numeric", QUESTIONS["numeric"], "9.8e1 seats").correct
    assert not grade("numeric", QUESTIONS["numeric"], "9.8e2").correct
    assert grade("cloze", QUESTIONS["cloze"], ["1.07e2", "9.8e1", "mixed"]).correct
    # A mantissa has one decimal mark and no thousands: nothing to ask back.
    assert numeric_refusal("2.940e1") is None


@pytest.mark.parametrize("typed", ["about 20,000", "Around 20 000 people", "approximately 20000", "approx. 20000",
                                   "roughly 20,000", "ca. 20000", "c. 20000", "some 20,000", "almost 20000",
                                   "nearly 20,000", "~20000", "≈ 20000"])
def test_a_word_saying_the_number_is_rounded_is_read_past(typed):
    parsed = parse_number(typed)
    assert parsed is not None and parsed.value == pytest.approx(20000) and parsed.unit in ("", "people")


@pytest.mark.parametrize("typed", ["over 98", "more than 98", "about", "somewhere 98", "aboutness 98", "98 about"])
def test_words_that_change_the_number_or_lead_nothing_are_not_read_past(typed):
    parsed = parse_number(typed)
    assert parsed is None or parsed.unit == "about"


def test_a_rounded_answer_is_right_within_the_tolerance_and_wrong_outside_it():
    data = {"answer": 20000, "tolerance": 1000, "unit": "", "unit_aliases": []}
    assert grade("numeric", data, "about 20,000").correct
    assert not grade("numeric", data, "about 30,000").correct


def test_a_cloze_blank_takes_the_number_itself_not_a_rounded_one():
    data = {"text": "The Mazhilis shrank to {{98}} deputies.", "blanks": [["98"]]}
    assert grade("cloze", data, ["98"]).correct
    assert not grade("cloze", data, ["about 98"]).correct
