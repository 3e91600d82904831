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
""", "question 'no-topic': topic: missing; it must be non-empty text"),
    "unknown type": ("""\
  - id: essay
    type: essay
    prompt: Q?
    explanation: E.
    source: {document: osw-2022, quote: "Basic Law"}
    topic: T
    difficulty: recall
""", "type: must be one of"),
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
""", "source: unknown document 'wikipedia'"),
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
""", "answer: '99' is not among the choices"),
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
""", "answers: '12' is not among the choices"),
    "unparsable numeric answer": ("""\
  - id: bad-number
    type: numeric
    prompt: Q?
    answer: ninety-eight
    explanation: E.
    source: {document: osw-2022, quote: "from 107 to 98"}
    topic: T
    difficulty: recall
""", "answer: must be a number (got 'ninety-eight')"),
    "empty explanation": ("""\
  - id: no-explanation
    type: true_false
    prompt: Q?
    answer: true
    explanation: "  "
    source: {document: osw-2022, quote: "Basic Law"}
    topic: T
    difficulty: recall
""", "explanation: must be non-empty text"),
    "cloze without blanks": ("""\
  - id: no-blanks
    type: cloze
    text: Nothing to fill.
    explanation: E.
    source: {document: osw-2022, quote: "Basic Law"}
    topic: T
    difficulty: recall
""", "text: a cloze needs at least one {{blank}}"),
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
""", "answr: unknown field for true_false (did you mean 'answer'?)"),
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


def test_a_question_that_is_not_a_mapping_is_named_by_its_own_line(tmp_path):
    # GOOD takes lines 2 to 9; what follows is not a question's fields but a line of text, a list and a number.
    problems = problems_for(tmp_path, "  - just text\n  - [a, b]\n  -\n    42\n")
    assert problems == ["10: question: must be a mapping of fields", "11: question: must be a mapping of fields",
                        "13: question: must be a mapping of fields"]


def test_a_problem_names_its_field_once(tmp_path):
    problems = problems_for(tmp_path, """\
  - just text
  - id: Faults
    type: multiple_response
    prompt: ""
    choices: ["98", "98"]
    answers: ["98"]
    shuffle: maybe
    answr: 1
    unit: cm
    tags: []
    source: []
    topic: T
    difficulty: hard
  - id: faults-2
    type: numeric
    prompt: Q?
    answer: 98
    tolerance: -1
    explanation: E.
    source: {document: osw-2022, quote: ""}
    topic: T
    difficulty: recall
""")
    assert len(problems) == 12, problems
    for problem in problems:
        said = problem.split(": ", 1)[1]
        parts = said.split(": ", 2) if said.startswith("question '") else ["", *said.split(": ", 1)]
        field, message = parts[1], parts[2]
        assert not message.startswith((f"{field} ", f"source {field} ", f"each {field} ")), problem
        assert field not in message.split(" (")[0].split()[:3], problem


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
    assert problems == ["17: question 'two-sources': source: quote not found in osw-2022: 'reduced from 107 to 99'; "
                        "the text matches as far as 'reduced from 107 to 9', then reads '8; - MPs are elected in a' "
                        "where the quote has '9'"]


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
