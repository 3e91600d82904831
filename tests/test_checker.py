"""`questions check`: every kind of problem is reported as path:line: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.banks.checker import check_paths
from tests.conftest import QUESTIONS

GOOD = """\
  - id: good
    type: true_false
    prompt: The constitution was replaced.
    answer: false
    explanation: It was amended.
    source: {document: osw-2022, quote: "a new constitution was not adopted"}
    topic: Referendum
    difficulty: recall
"""


def write_bank(folder: Path, questions: str, name: str = "questions.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bank.yaml").write_text("id: test-bank\ntitle: Test bank\n", encoding="utf-8")
    path = folder / name
    path.write_text("questions:\n" + GOOD + questions, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, questions: str) -> list[str]:
    write_bank(tmp_path / "bank", questions)
    result = check_paths([tmp_path / "bank"], QUESTIONS)
    return [f"{p.line}: {p.message}" for p in result.problems]


# Each case: the question (starting on line 10 of the file) and a fragment of the message.
CASES = {
    "missing field": ("""\
  - id: no-topic
    type: true_false
    prompt: Q?
    answer: true
    explanation: E.
    source: {document: osw-2022, quote: "Basic Law"}
    difficulty: recall
""", "question 'no-topic': topic: topic must be non-empty text"),
    "unknown type": ("""\
  - id: essay
    type: essay
    prompt: Q?
    explanation: E.
    source: {document: osw-2022, quote: "Basic Law"}
    topic: T
    difficulty: recall
""", "type: type must be one of"),
    "duplicate id": (GOOD, "question 'good': id: duplicate id, first used at"),
    "unknown source": ("""\
  - id: unknown-source
    type: true_false
    prompt: Q?
    answer: true
    explanation: E.
    source: {document: wikipedia, quote: "Basic Law"}
    topic: T
    difficulty: recall
""", "source: unknown source document 'wikipedia'"),
    "unresolved quote": ("""\
  - id: bad-quote
    type: true_false
    prompt: Q?
    answer: true
    explanation: E.
    source: {document: osw-2022, quote: "reduced from 107 to 99"}
    topic: T
    difficulty: recall
""", "source: quote not found in osw-2022: 'reduced from 107 to 99'"),
    "answer not among choices": ("""\
  - id: bad-answer
    type: single_choice
    prompt: Q?
    choices: ["98", "107"]
    answer: "99"
    explanation: E.
    source: {document: osw-2022, quote: "from 107 to 98"}
    topic: T
    difficulty: recall
""", "answer: answer '99' is not among the choices"),
    "multiple answers not among choices": ("""\
  - id: bad-answers
    type: multiple_response
    prompt: Q?
    choices: ["98", "107"]
    answers: ["98", "12"]
    explanation: E.
    source: {document: osw-2022, quote: "from 107 to 98"}
    topic: T
    difficulty: recall
""", "answers: answer '12' is not among the choices"),
    "unparsable numeric answer": ("""\
  - id: bad-number
    type: numeric
    prompt: Q?
    answer: ninety-eight
    explanation: E.
    source: {document: osw-2022, quote: "from 107 to 98"}
    topic: T
    difficulty: recall
""", "answer: numeric answer must be a number (got 'ninety-eight')"),
    "empty explanation": ("""\
  - id: no-explanation
    type: true_false
    prompt: Q?
    answer: true
    explanation: "  "
    source: {document: osw-2022, quote: "Basic Law"}
    topic: T
    difficulty: recall
""", "explanation: explanation must be non-empty text"),
    "cloze without blanks": ("""\
  - id: no-blanks
    type: cloze
    text: Nothing to fill.
    explanation: E.
    source: {document: osw-2022, quote: "Basic Law"}
    topic: T
    difficulty: recall
""", "text: a cloze text needs at least one {{blank}}"),
    "misspelt field": ("""\
  - id: typo
    type: true_false
    prompt: Q?
    answr: true
    answer: true
    explanation: E.
    source: {document: osw-2022, quote: "Basic Law"}
    topic: T
    difficulty: recall
""", "answr: unknown field(s) for true_false: answr"),
}


def line_of_field(question: str, field: str) -> int:
    """Where the field stands in a case that starts on line 10, or the question's line when it is missing."""
    for offset, text in enumerate(question.splitlines()):
        if text.lstrip(" -").startswith(f"{field}:"):
            return 10 + offset
    return 10


@pytest.mark.parametrize("case", CASES)
def test_problem_is_reported_on_the_line_of_its_field(tmp_path, case):
    question, message = CASES[case]
    problems = problems_for(tmp_path, question)
    assert len(problems) == 1, problems
    field = message.split(": ")[1] if message.startswith("question") else message.split(":")[0]
    assert problems[0].startswith(f"{line_of_field(question, field)}: "), problems
    assert message in problems[0]


def test_a_missing_field_is_reported_on_the_question_line(tmp_path):
    assert problems_for(tmp_path, CASES["missing field"][0])[0].startswith("10: ")


def test_a_source_in_a_list_is_named_by_its_own_line(tmp_path):
    problems = problems_for(tmp_path, """\
  - id: two-sources
    type: true_false
    prompt: Q?
    answer: true
    explanation: E.
    source:
      - {document: osw-2022, quote: "Basic Law"}
      - document: osw-2022
        quote: "reduced from 107 to 99"
    topic: T
    difficulty: recall
""")
    assert problems == ["17: question 'two-sources': source: quote not found in osw-2022: 'reduced from 107 to 99'"]


def test_a_bad_choice_mapping_is_named_by_its_own_line(tmp_path):
    problems = problems_for(tmp_path, """\
  - id: bad-choice
    type: single_choice
    prompt: Q?
    choices:
      - text: "98"
      - text: "107"
        weight: 2
    answer: "98"
    explanation: E.
    source: {document: osw-2022, quote: "from 107 to 98"}
    topic: T
    difficulty: recall
""")
    assert len(problems) == 1 and problems[0].startswith("15: ") and "a choice mapping has 'text'" in problems[0]


def test_invalid_yaml_names_its_line(tmp_path):
    path = write_bank(tmp_path / "bank", "  - id: broken\n    prompt: [unclosed\n")
    result = check_paths([path], QUESTIONS)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.path.endswith("questions.yaml")
    assert problem.line >= 11
    assert "invalid YAML" in problem.message


def test_problem_string_is_path_line_message(tmp_path):
    write_bank(tmp_path / "bank", CASES["unresolved quote"][0])
    result = check_paths([tmp_path / "bank"], QUESTIONS)
    text = str(result.problems[0])
    assert text.split(":")[0].endswith("bank/questions.yaml")
    assert text.split(":")[1] == "15"  # the source line of the question on line 10


def test_every_problem_is_collected(tmp_path):
    problems = problems_for(tmp_path, CASES["unresolved quote"][0] + CASES["empty explanation"][0].replace(
        "no-explanation", "second"))
    assert len(problems) == 2
    assert problems[1].startswith("22: ")  # the explanation of the question on line 18


def test_single_file_bank(tmp_path):
    path = tmp_path / "solo.yaml"
    path.write_text("bank: {id: solo, title: Solo}\nquestions:\n" + GOOD, encoding="utf-8")
    result = check_paths([path], QUESTIONS)
    assert result.ok, result.problems
    assert result.banks[0].slug == "solo"
    assert len(result.banks[0].questions) == 1


def test_missing_path(tmp_path):
    result = check_paths([tmp_path / "nope"], QUESTIONS)
    assert [p.message for p in result.problems] == ["no such file or folder"]


def test_cli_check_prints_problems_and_exits_1(runner, tmp_path):
    write_bank(tmp_path / "bank", CASES["answer not among choices"][0])
    result = runner.invoke(args=["questions", "check", str(tmp_path / "bank")])
    assert result.exit_code == 1
    assert "questions.yaml:14: question 'bad-answer': answer:" in result.output


def test_cli_check_summary_on_success(runner):
    result = runner.invoke(args=["questions", "check"])
    assert result.exit_code == 0, result.output
    assert "2 bank(s)" in result.output
    assert "numeric:" in result.output


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
    ("cp1252", "3: file is not UTF-8 text (byte 32 cannot be read): save it as UTF-8"),
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
