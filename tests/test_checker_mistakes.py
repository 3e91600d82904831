"""The mistakes a newcomer makes writing a bank by hand, each named on its own line with what to do about it."""

from __future__ import annotations

import pytest

from quizapp.banks.checker import check_paths
from tests.conftest import QUESTIONS
from tests.test_checker import GOOD, problems_for, write_bank


def test_a_field_written_twice_is_a_problem_not_a_silent_overwrite(tmp_path):
    # A second `source:` (meant as a second passage) used to replace the first without a word.
    problems = problems_for(tmp_path, """\
  - id: two-source-keys
    type: true_false
    prompt: Q?
    answer: true
    explanation: E.
    source: {document: osw-2022, quote: "Basic Law"}
    source: {document: osw-2022, quote: "reduced from 107 to 98"}
    topic: T
    difficulty: recall
""")
    assert problems == ["16: invalid YAML: field 'source' is written twice (first on line 15): write each field "
                        "once, with a list for several values"]


def test_a_merged_mapping_may_still_be_overridden(tmp_path):
    assert problems_for(tmp_path, """\
  - &base
    id: base
    type: true_false
    prompt: Q?
    answer: true
    explanation: E.
    source: {document: osw-2022, quote: "Basic Law"}
    topic: T
    difficulty: recall
  - <<: *base
    id: derived
    answer: false
""") == []


# Mistakes in writing YAML by hand, in a question that starts on line 10: the line to fix and what the message says.
YAML_MISTAKES = {
    "missing colon": ("  - id: no-colon\n    type: true_false\n    prompt Q?\n    answer: true\n", 12,
                      "this line has no ':' after its field name"),
    "value continued without indentation": ("  - id: continued\n    prompt: The amendments\n    were adopted.\n"
                                            "    answer: true\n", 12, "this line has no ':' after its field name"),
    "unclosed last quote": ('  - id: unclosed\n    prompt: "The amendments\n    answer: true\n    topic: T\n', 11,
                            "the quote that opens on this line is never closed"),
    "unclosed quote": ('  - id: unclosed\n    prompt: "The amendments\n    answer: true\n'
                       '    source: {document: osw-2022, quote: "Basic Law"}\n', 11,
                       "the quoted value that starts on this line runs on to line 13, where text follows its end: "
                       "is its closing quote missing?"),
    "unclosed bracket": ("  - id: unclosed\n    tags: [a, b\n    answer: true\n", 11,
                         "the [...] or {...} that opens on this line is not closed"),
    "tab indentation": ("  - id: tabbed\n\tprompt: Q?\n", 11, "indent with spaces: YAML does not accept tabs"),
    "colon in a value": ("  - id: colon\n    prompt: Note: read the appendix\n", 11,
                         "a value that holds ': ' must be put in quotes"),
    "Markdown emphasis first": ("  - id: emphasis\n    explanation: *Before* the vote\n", 11,
                                "a value that starts with * or &, such as Markdown emphasis, must be put in quotes"),
    "apostrophe in single quotes": ("  - id: apostrophe\n    prompt: 'Tokayev's reforms'\n", 11,
                                    "write an apostrophe inside '…' as ''"),
    "field indented more": ("  - id: indented\n    tags: [a, b]\n      topic: T\n    answer: true\n", 12,
                            "this line is indented differently from the lines above it"),
    "field indented less": ("  - id: indented\n    prompt: Q?\n   topic: T\n    answer: true\n", 12,
                            "this line is indented differently from the lines above it"),
    "field as far in as the dash": ("  - id: indented\n    prompt: Q?\n  topic: T\n    answer: true\n", 12,
                                    "the fields of a question all start in the same column"),
    "list item indented more": ('  - id: indented\n    choices:\n    - "98"\n      - "107"\n', 13,
                                "and so do the '-' of the items of a list"),
}


@pytest.mark.parametrize("case", YAML_MISTAKES)
def test_a_yaml_mistake_is_named_on_its_own_line_with_its_usual_cause(tmp_path, case):
    question, line, fragment = YAML_MISTAKES[case]
    problems = problems_for(tmp_path, question + "  - id: later\n    prompt: Q\n")
    assert len(problems) == 1 and problems[0].startswith(f"{line}: invalid YAML: "), problems
    assert fragment in problems[0]


@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-16", "1: file is UTF-16 text, not UTF-8: save it as UTF-8"),  # Notepad's "Unicode", with its BOM
    ("utf-16-le", "1: file is UTF-16 text, not UTF-8: save it as UTF-8"),
    ("utf-16-be", "1: file is UTF-16 text, not UTF-8: save it as UTF-8"),
    ("cp1252", "3: file is not UTF-8 text (the character after “- id: caf” cannot be read): save it as UTF-8"),
])
def test_a_file_in_another_encoding_is_named_with_the_fix(tmp_path, encoding, expected):
    path = write_bank(tmp_path / "bank", "")
    path.write_bytes(("# Fragen\nquestions:\n  - id: café\n" + GOOD.split("\n", 1)[1]).encode(encoding))
    problems = [f"{p.line}: {p.message}" for p in check_paths([tmp_path / "bank"], QUESTIONS).problems]
    assert problems == [expected]


def test_an_unreadable_bank_yaml_is_not_also_called_a_bad_mapping(tmp_path):
    write_bank(tmp_path / "bank", "")
    (tmp_path / "bank" / "bank.yaml").write_bytes("id: test-bank\ntitle: Café\n".encode("utf-16"))
    problems = [f"{p.path.rsplit('/', 1)[-1]}:{p.line}: {p.message}"
                for p in check_paths([tmp_path / "bank"], QUESTIONS).problems]
    assert problems == ["bank.yaml:1: file is UTF-16 text, not UTF-8: save it as UTF-8"]


def test_choices_yaml_reads_as_booleans_are_explained(tmp_path):
    problems = problems_for(tmp_path, """\
  - id: binding
    type: single_choice
    prompt: Was the referendum binding?
    choices: [Yes, No]
    answer: Yes
    explanation: E.
    source: {document: osw-2022, quote: "Basic Law"}
    topic: T
    difficulty: recall
""")
    assert problems == ["13: question 'binding': choices: invalid choice True (YAML reads an unquoted yes, no, on, "
                        "off, true or false as true or false: put it in quotes, \"Yes\")"]


def test_an_empty_questions_key_is_named_on_its_own_line(tmp_path):
    path = tmp_path / "solo.yaml"
    path.write_text("bank:\n  id: solo\n  title: Solo\nquestions:\n", encoding="utf-8")
    assert [(p.line, p.message) for p in check_paths([path], QUESTIONS).problems] == [
        (4, "expected a 'questions:' list")]


@pytest.mark.parametrize(("written", "advice"), [
    ("98 seats", "write the number alone (answer: 98) and the unit apart (unit: seats)"),
    ("29.4%", "write the number alone (answer: 29.4) and the unit apart (unit: %)"),
])
def test_a_numeric_answer_written_with_its_unit_says_where_the_unit_goes(tmp_path, written, advice):
    problems = problems_for(tmp_path, f"""\
  - id: seats
    type: numeric
    prompt: How many deputies?
    answer: "{written}"
    explanation: The appendix lists the cut.
    source: {{document: osw-2022, quote: "has been reduced from 107 to 98"}}
    topic: Parliament
    difficulty: recall
""")
    assert len(problems) == 1 and problems[0].startswith("13: ") and problems[0].endswith(advice), problems


@pytest.mark.parametrize(("answer", "tolerance", "expected"), [
    ("9.8e1", "1e-3", (98.0, 0.001)),  # text to PyYAML (YAML 1.1 wants a dot and a signed exponent)
    ("9.8e+1", "1.0e-3", (98.0, 0.001)),  # numbers to PyYAML
    ('"9.8e1"', '"1E-3"', (98.0, 0.001)),
    ("1.2e5", "0", (120000.0, 0.0)),
])
def test_numbers_in_scientific_notation_are_numbers_however_written(tmp_path, answer, tolerance, expected):
    path = tmp_path / "solo.yaml"
    path.write_text(f"""\
bank: {{id: solo, title: Solo}}
questions:
  - id: seats
    type: numeric
    prompt: How many deputies?
    answer: {answer}
    tolerance: {tolerance}
    explanation: The appendix lists the cut.
    source: {{document: osw-2022, quote: "has been reduced from 107 to 98"}}
    topic: Parliament
    difficulty: recall
""", encoding="utf-8")
    result = check_paths([path], QUESTIONS)
    assert result.ok, [p.message for p in result.problems]
    numeric = result.banks[0].questions[0].data
    assert (numeric["answer"], numeric["tolerance"], numeric["unit"]) == (*expected, "")


def test_unquoted_numbers_in_texts_read_as_the_file_wrote_them(tmp_path):
    path = tmp_path / "solo.yaml"
    path.write_text("""\
bank: {id: solo, title: Solo}
questions:
  - id: opening
    type: single_choice
    prompt: 12:30
    choices: [12:30, 1.50, 98., 0x1F]
    answer: 1.50
    explanation: 98.
    source: {document: osw-2022, quote: "has been reduced from 107 to 98"}
    topic: Parliament
    difficulty: recall
  - id: seats
    type: numeric
    prompt: How many deputies?
    answer: 98.
    tolerance: 0.50
    explanation: The appendix lists the cut.
    source: {document: osw-2022, quote: "has been reduced from 107 to 98"}
    topic: Parliament
    difficulty: recall
""", encoding="utf-8")
    result = check_paths([path], QUESTIONS)
    assert result.ok, result.problems
    choice, numeric = (q.data for q in result.banks[0].questions)
    assert [c["text"] for c in choice["choices"]] == ["12:30", "1.50", "98.", "0x1F"]
    assert choice["prompt"] == "12:30" and choice["explanation"] == "98." and choice["correct"] == [1]
    assert (numeric["answer"], numeric["tolerance"]) == (98.0, 0.5)


@pytest.mark.parametrize(("fields", "expected"), [
    # A misspelt field is unknown, and the field it was meant to be is then missing: both say what to write.
    ("    answer: true\n    explanaton: E.\n",
     ["14: question 'typo': explanaton: unknown field for true_false (did you mean 'explanation'?)",
      "10: question 'typo': explanation: missing; it must be non-empty text"]),
    ("    Answer: true\n    explanation: E.\n",
     ["13: question 'typo': Answer: unknown field for true_false (did you mean 'answer'?)",
      "10: question 'typo': answer: missing; it must be true or false"]),
    ("    choices: [yes, no]\n    explanation: E.\n",
     ["13: question 'typo': choices: a field of multiple_response and single_choice, not of true_false",
      "10: question 'typo': answer: missing; it must be true or false"]),
])
def test_a_misspelt_or_missing_field_says_which_field_to_write(tmp_path, fields, expected):
    problems = problems_for(tmp_path, f"""\
  - id: typo
    type: true_false
    prompt: Q?
{fields}    source: {{document: osw-2022, quote: "Basic Law"}}
    topic: T
    difficulty: recall
""")
    assert problems == expected


def test_a_misspelt_type_names_the_type_it_looks_like(tmp_path):
    problems = problems_for(tmp_path, GOOD.replace("id: good", "id: hyphen").replace("true_false", "true-false"))
    assert len(problems) == 1 and problems[0].endswith("(got 'true-false'): did you mean 'true_false'?"), problems


NUMERIC_MISTAKES = {
    "spread in the answer": ('answer: "98 ± 0.5"', "answer", "answer: must be a number (got '98 ± 0.5'): "
                             "write the number alone (answer: 98) and the spread apart (tolerance: 0.5)"),
    "plus or minus tolerance": ('answer: 98\n    tolerance: "±0.5"', "tolerance",
                                "(got '±0.5'): write the number alone (tolerance: 0.5); it counts both ways"),
    "slash tolerance": ("answer: 98\n    tolerance: +/- 2", "tolerance",
                        "(got '+/- 2'): write the number alone (tolerance: 2); it counts both ways"),
    "percentage tolerance": ("answer: 98\n    tolerance: 5%", "tolerance",
                             "(got '5%'): tolerance is an amount in the answer's own units, not a percentage; 5% of "
                             "98 is 4.9, so write tolerance: 4.9"),
    "negative tolerance": ("answer: 98\n    tolerance: -1", "tolerance",
                           "tolerance: must be a finite number of zero or more (got -1)"),
    # 2,125 is two thousand and some in English, two and a bit in German: guessing would grade students wrongly.
    "ambiguous separator": ('answer: "2,125"', "answer", "answer: must be a number (got '2,125'): it reads "
                            "as 2125 or as 2.125, so write the number without a thousands separator"),
}


@pytest.mark.parametrize("case", NUMERIC_MISTAKES)
def test_a_numeric_answer_or_tolerance_written_as_people_write_it_says_how_to_write_it(tmp_path, case):
    fields, field, message = NUMERIC_MISTAKES[case]
    question = f"""\
  - id: seats
    type: numeric
    prompt: How many deputies?
    {fields}
    explanation: The appendix lists the cut.
    source: {{document: osw-2022, quote: "has been reduced from 107 to 98"}}
    topic: Parliament
    difficulty: recall
"""
    problems = problems_for(tmp_path, question)
    line = 10 + next(n for n, text in enumerate(question.splitlines()) if text.strip().startswith(f"{field}:"))
    assert len(problems) == 1 and problems[0].startswith(f"{line}: question 'seats': {field}: "), problems
    assert message in problems[0]


def test_a_tolerance_with_a_decimal_comma_is_read_as_the_answer_is():
    from quizapp.banks.schema import validate_question

    question, errors = validate_question({"id": "q", "type": "numeric", "prompt": "P", "answer": "29,4",
                                          "tolerance": "0,05", "topic": "T", "difficulty": "recall"},
                                         {}, require_source=False, require_explanation=False)
    assert errors == [] and (question.data["answer"], question.data["tolerance"]) == (29.4, 0.05)


@pytest.mark.parametrize(("text", "message"), [
    ("The Mazhilis shrinks from {{107} to {{98}} deputies.",
     "a blank's opening '{{' has no closing '}}' (near 'zhilis shrinks from {{107} to {{98}} deput')"),
    ("The Mazhilis shrinks from {{107}} to 98}} deputies.",
     "a blank's closing '}}' has no opening '{{' (near 's from {{107}} to 98}} deputies.')"),
    ("The Mazhilis shrinks from {{107} to 98 deputies.", "a blank's opening '{{' has no closing '}}'"),
])
def test_a_cloze_blank_with_a_brace_missing_is_a_problem_not_text_shown_to_students(tmp_path, text, message):
    # The blank with one brace too few used to load, showing students "{{107} to" with its answer in it.
    problems = problems_for(tmp_path, f"""\
  - id: braces
    type: cloze
    text: {text}
    explanation: E.
    source: {{document: osw-2022, quote: "has been reduced from 107 to 98"}}
    topic: Parliament
    difficulty: recall
""")
    assert len(problems) == 1 and problems[0].startswith("12: question 'braces': text: "), problems
    assert message in problems[0] and problems[0].endswith("write each blank as {{answer}}")


QUOTE_MISTAKES = {
    "other capitals": ("almost 80% of the voters", "the text has it with other capitals: 'Almost 80% of the voters'"),
    "double for single quotes": ('from a "super-presidential" system',
                                 "the text has single quotes where the quote has double ones"),
    "typed dash": ("the deep crisis -- the most serious", "the text matches from '- the most serious' to the end, "
                   "but before that reads 'form was the deep crisis ' where the quote has 'the deep crisis -'"),
    "words left out": ("a package of amendments … more than a third", "then reads 'that covered more than a ' "
                       "where the quote has '… more than a third': a quote cannot leave words out"),
    "a word changed": ("has been cut from 107 to 98", "the text matches from ' from 107 to 98' to the end, but "
                       "before that reads 'r house) has been reduced' where the quote has 'has been cut'"),
    "nothing like it": ("a quote from another text", "no passage of the text starts or ends like it: copy the "
                        "passage from the text itself"),
}


@pytest.mark.parametrize("case", QUOTE_MISTAKES)
def test_a_quote_the_text_does_not_hold_says_where_it_parts_from_the_text(tmp_path, case):
    quote, advice = QUOTE_MISTAKES[case]
    problems = problems_for(tmp_path, GOOD.replace("id: good", "id: misquoted").replace(
        '"a new constitution was not adopted"', '"' + quote.replace('"', '\\"') + '"'))
    assert len(problems) == 1 and problems[0].startswith("15: question 'misquoted': source: quote not found in "
                                                         "osw-2022: "), problems
    assert advice in problems[0]


@pytest.mark.parametrize("written", ["about 20000", "roughly 20 000", "~20000"])
def test_a_numeric_key_written_as_roughly_so_much_asks_for_a_tolerance(tmp_path, written):
    """Students may write "about 20,000" and be graded by the tolerance; a key written so would be read as exactly
    20000 with no tolerance, marking wrong the near answers its author meant to accept."""
    problems = problems_for(tmp_path, f"""\
  - id: seats
    type: numeric
    prompt: Roughly how many people took part?
    answer: "{written}"
    explanation: The appendix gives the count.
    source: {{document: osw-2022, quote: "has been reduced from 107 to 98"}}
    topic: Parliament
    difficulty: recall
""")
    assert len(problems) == 1 and problems[0].startswith("13: "), problems
    assert problems[0].endswith("write the number alone (answer: 20000) and how near an answer must come as "
                                "tolerance"), problems
