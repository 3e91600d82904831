"""Grading, property-based: every checker takes any answer to any question the schema accepts, without a crash."""

from __future__ import annotations

import json
import time

from hypothesis import assume, event, given
from hypothesis import strategies as st

from quizapp.api.answers import BadAnswer, parse_answer
from quizapp.banks.schema import QUESTION_TYPES, ParsedQuestion, validate_question
from quizapp.grading import grade
from quizapp.grading.normalize import normalize_text, parse_number, unit_accepted
from quizapp.quiz.present import correct_answer, given_answer_text
from tests.fuzzing import DOCUMENTS, fuzz, key_answer

SOURCE = {"document": "osw-2022", "quote": "the Basic Law"}
TRICKY = st.sampled_from(["98", "29.4", "1 000", "1,000.5", "Ulttyk Kuryltai", "the Senate", "l'État", "½", "ß",
                          "İstanbul", "ﬁnal", "e\u0301", "Ⅻ", "٣", "  padded  ", "a-b", "x" * 120, "0", "-5", "€5"])
TEXT = st.one_of(TRICKY, st.text(min_size=1, max_size=25))
# Blank alternatives: anything but what delimits blanks and alternatives.
BLANK_TEXT = TEXT.filter(lambda t: not set(t) & set("{}|\n"))
UNITS = st.sampled_from(["", "%", "seats", "deputies", "km", "€", "million", "per cent", "years"])


@st.composite
def questions(draw: st.DrawFn) -> ParsedQuestion:
    """A question of any type, built field by field, that the bank schema accepts."""
    qtype = draw(st.sampled_from(QUESTION_TYPES))
    raw: dict = {"id": "q", "type": qtype, "topic": draw(TEXT), "difficulty": "recall", "source": SOURCE}
    if qtype not in ("cloze", "flashcard"):
        raw["prompt"] = draw(TEXT)
    if qtype != "flashcard":
        raw["explanation"] = draw(TEXT)
    if qtype in ("single_choice", "multiple_response"):
        texts = draw(st.lists(TEXT, min_size=2, max_size=6, unique_by=str.strip))
        raw["choices"] = [draw(st.sampled_from([text, {"text": text}, {"text": text, "feedback": draw(TEXT)}]))
                          for text in texts]
        if qtype == "single_choice":
            raw["answer"] = draw(st.sampled_from(texts))
        else:
            raw["answers"] = draw(st.lists(st.sampled_from(texts), min_size=1, unique=True))
        raw["shuffle"] = draw(st.booleans())
    elif qtype == "true_false":
        raw["answer"] = draw(st.booleans())
    elif qtype == "numeric":
        raw["answer"] = draw(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**15, 10**15)
                             | st.sampled_from(["98", "29,4", "1 000", "-3.5"]))
        raw["tolerance"] = draw(st.sampled_from([0, 0.5, 1]) | st.floats(0, 1e9))
        raw["unit"] = draw(UNITS)
        raw["unit_aliases"] = draw(st.lists(UNITS.filter(bool), max_size=2)) or None
    elif qtype == "short_text":
        raw["answers"] = draw(st.lists(TEXT, min_size=1, max_size=4))
    elif qtype == "cloze":
        blanks = draw(st.lists(st.lists(BLANK_TEXT, min_size=1, max_size=3), min_size=1, max_size=4))
        words = draw(st.lists(BLANK_TEXT, min_size=len(blanks) + 1, max_size=len(blanks) + 1))
        raw["text"] = words[0] + "".join(" {{" + "|".join(b) + "}} " + w for b, w in zip(blanks, words[1:],
                                                                                          strict=True))
    else:
        raw["front"], raw["back"] = draw(TEXT), draw(TEXT)
    question, errors = validate_question({k: v for k, v in raw.items() if v is not None}, DOCUMENTS)
    event("accepted" if question else f"refused: {errors[0].field}")
    assume(question is not None)
    return question


# Typed answers: numbers with separators, signs, currencies and units, and long runs of what the readers skip.
STRINGS = st.one_of(
    TEXT, st.text(max_size=300),
    st.from_regex(r"\s*[+\-\u2212]?\s*[€$£]?\s*\d[\d.,' \u00a0\u202f]{0,20}[a-z% ]{0,8}", fullmatch=True),
    st.text(alphabet=" \t\u00a0\u202f+-\u2212€$£0123456789.,'x%{}|", max_size=3000),
)
# Anything a form, a JSON body or a stored answer could hold.
GIVEN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-1, 7) | st.floats() | STRINGS,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=10,
)


def assert_sound(qtype: str, data: dict, given: object) -> None:
    result = grade(qtype, data, given)
    assert isinstance(result.correct, bool)
    assert 0.0 <= result.score <= 1.0
    assert result.correct == (result.score == 1.0), result
    assert all(isinstance(part, bool) for part in result.parts)


@fuzz(150)
@given(question=questions())
def test_the_key_is_graded_right(question: ParsedQuestion) -> None:
    assert grade(question.type, question.data, key_answer(question.type, question.data)).correct
    assert correct_answer(question.type, question.data)


@fuzz(150)
@given(question=questions(), given_answer=GIVEN)
def test_any_answer_is_graded_without_error(question: ParsedQuestion, given_answer: object) -> None:
    assert_sound(question.type, question.data, given_answer)


@fuzz(150)
@given(question=questions(), value=GIVEN, data=st.data())
def test_json_answers_are_refused_or_graded(question: ParsedQuestion, value: object, data: st.DataObject) -> None:
    qtype, stored = question.type, question.data
    order = None
    if qtype in ("single_choice", "multiple_response"):
        order = data.draw(st.permutations(range(len(stored["choices"]))))
    try:
        parsed = parse_answer(qtype, stored, order, value)
    except BadAnswer as refusal:
        assert str(refusal)
        return
    if qtype != "flashcard":
        assert_sound(qtype, stored, parsed)
        given_answer_text(qtype, stored, parsed)
    # What is accepted goes into a JSON column on any database.
    json.dumps(parsed, allow_nan=False).encode("utf-8")


@fuzz(200)
@given(text=STRINGS, unit=UNITS | st.text(max_size=10))
def test_number_and_text_reading_is_total_and_fast(text: str, unit: str) -> None:
    started = time.monotonic()
    parsed = parse_number(text)
    normalize_text(text)
    unit_accepted(text, unit, (unit,))
    if parsed is not None:
        assert isinstance(parsed.value, float)
    # Was cubic in leading spaces: a thousand of them took seconds.
    assert time.monotonic() - started < 1.0


@fuzz(200)
@given(text=STRINGS | st.from_regex(r"[+\-\u2212]?[1-9]\d{0,2}[.,]\d{3}[ a-z%]{0,6}", fullmatch=True))
def test_a_number_read_two_ways_offers_two_spellings_that_read_one_way(text: str) -> None:
    parsed = parse_number(text)
    if parsed is None or not parsed.readings:
        return
    whole, decimal = (parse_number(spelled) for spelled in parsed.readings)
    assert whole.readings == decimal.readings == () and not whole.unit and not decimal.unit
    assert abs(whole.value) > abs(decimal.value) and parsed.value in (whole.value, decimal.value)
