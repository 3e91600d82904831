"""The instructor's reports cost the same few queries however large the class, keep each student's rows
together even when two students share a name, and download both as plain CSV and as CSV for Excel in Russian or
Kazakh settings."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.export import (
    GRADE_COLUMNS,
    PLAIN,
    RESPONSE_COLUMNS,
    SEMICOLONS,
    responses_csv,
    spreadsheet_cell,
    statistics_csv,
)
from quizapp.classroom.gradebook import build_gradebook
from quizapp.classroom.item_analysis import item_statistics
from quizapp.classroom.membership import create_class
from quizapp.extensions import db
from quizapp.models import Assignment, Question, QuizAttempt
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from quizapp.quiz.service import submit_answer
from tests.conftest import login
from tests.test_classroom_rules import course, enrolled, given_for  # noqa: F401 - fixture


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def answered_by(make_user: Callable, assignment: Assignment, students: int, name: str | None = None) -> None:
    """That many more students of the class each hand in an attempt, every other answer right."""
    now = utcnow()
    for _ in range(students):
        student = enrolled(make_user, assignment)
        if name is not None:
            student.display_name = name
        attempt = start_attempt(db.session, assignment, student, now)
        for position, item in enumerate(attempt.items):
            if item.question.type != "flashcard":
                submit_answer(db.session, item, given_for(item, position % 2 == 0))
        submit_attempt(attempt, now)
    db.session.commit()


def statements_for(report: Callable[[], object]) -> int:
    db.session.expunge_all()  # as a new request finds it: nothing loaded yet
    with counted_statements() as statements:
        report()
    return len(statements)


def report_run(report: str, assignment_id: int) -> Callable[[], object]:
    """The report as a page or download builds it, for the assignment (statistics) or its class (gradebook,
    responses)."""

    def run() -> object:
        assignment = db.session.get(Assignment, assignment_id)
        if report == "statistics":
            return item_statistics(db.session, assignment)
        if report == "statistics.csv":
            return statistics_csv(db.session, assignment)
        book = build_gradebook(db.session, assignment.classroom)
        return responses_csv(db.session, book) if report == "responses" else book

    return run


REPORTS = ["gradebook", "responses", "statistics", "statistics.csv"]


@pytest.mark.parametrize("report", REPORTS)
def test_a_report_runs_as_many_queries_for_many_students_as_for_two(course, make_user, report):  # noqa: F811
    assignment_id = course.id
    answered_by(make_user, course, 2)
    few = statements_for(report_run(report, assignment_id))
    answered_by(make_user, db.session.get(Assignment, assignment_id), 6)
    assert statements_for(report_run(report, assignment_id)) == few


@pytest.mark.parametrize("report", REPORTS)
def test_a_report_runs_as_many_queries_for_a_whole_bank_as_for_one_question(course, make_user, instructor,  # noqa: F811
                                                                            report):
    one_question = course
    one_question.selection = "questions"
    one_question.question_ids = [next(q.id for q in course.bank.questions if q.type != "flashcard")]
    whole_bank = Assignment(classroom=create_class(db.session, instructor, "Civics B"), bank_id=course.bank_id,
                            title="Everything", created_by=instructor.id)
    db.session.add(whole_bank)
    db.session.commit()
    ids = one_question.id, whole_bank.id
    for assignment in (one_question, whole_bank):
        answered_by(make_user, assignment, 2)
    counts = [statements_for(report_run(report, assignment_id)) for assignment_id in ids]
    assert counts[0] == counts[1]


def test_an_attempt_page_runs_as_many_queries_for_a_whole_bank_as_for_one_question(client, course, make_user,  # noqa: F811
                                                                                  instructor):
    one_question = course
    one_question.selection = "questions"
    one_question.question_ids = [next(q.id for q in course.bank.questions if q.type != "flashcard")]
    whole_bank = Assignment(classroom=course.classroom, bank_id=course.bank_id, title="Everything",
                            created_by=instructor.id)
    db.session.add(whole_bank)
    db.session.commit()
    addresses = []
    for assignment in (one_question, whole_bank):
        answered_by(make_user, assignment, 1)
        attempt_id = db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.assignment_id == assignment.id))
        addresses.append(f"/classes/{assignment.classroom_id}/attempts/{attempt_id}")
    assert login(client, instructor.email).status_code == 302
    counts = []
    for address in addresses:
        db.session.expunge_all()
        with counted_statements() as statements:
            assert client.get(address).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def typed_differently(make_user: Callable, assignment: Assignment, students: int) -> None:
    """That many more students each hand in an attempt, typing answers no other student types."""
    now = utcnow()
    for _ in range(students):
        student = enrolled(make_user, assignment)
        attempt = start_attempt(db.session, assignment, student, now)
        for item in attempt.items:
            qtype, blanks = item.question.type, len(item.revision.data.get("blanks", ()))
            typed = {"numeric": f"{student.id}.5", "short_text": f"answer {student.id}",
                     "cloze": [f"blank {student.id}"] * blanks}
            if qtype in typed:
                submit_answer(db.session, item, typed[qtype])
        submit_attempt(attempt, now)
    db.session.commit()


def _statements_as_the_class_grows(client, make_user, assignment_id: int, address: str) -> tuple[list[int], str]:
    """The statements a page runs with 2 students' typed answers, then with 8, and the last page."""
    counts, page = [], ""
    for students in (2, 6):
        typed_differently(make_user, db.session.get(Assignment, assignment_id), students)
        db.session.expunge_all()
        with counted_statements() as statements:
            page = client.get(address).get_data(as_text=True)
        counts.append(len(statements))
    return counts, page


def test_the_statistics_page_runs_as_many_queries_for_many_typed_answers_as_for_two(client, instructor, course,  # noqa: F811
                                                                                    make_user):
    address = f"/classes/{course.classroom_id}/assignments/{course.id}/statistics"
    assert login(client, instructor.email).status_code == 302
    counts, page = _statements_as_the_class_grows(client, make_user, course.id, address)
    assert counts[0] == counts[1]
    # Each student's answer is one of its own: beyond the five shown, the rest are counted together.
    assert "3 other answers" in page


def test_a_questions_page_runs_as_many_queries_for_many_students_as_for_two(client, instructor, course,  # noqa: F811
                                                                          make_user):
    cloze = db.session.scalar(select(Question.id).where(Question.type == "cloze"))
    address = f"/classes/{course.classroom_id}/assignments/{course.id}/questions/{cloze}"
    assert login(client, instructor.email).status_code == 302
    counts, page = _statements_as_the_class_grows(client, make_user, course.id, address)
    assert counts[0] == counts[1]
    assert page.count('<td class="wrong">wrong</td>') == 3 * 8  # every student's answer, in each blank's table


def test_students_who_share_a_name_keep_their_rows_apart(course, make_user):  # noqa: F811
    answered_by(make_user, course, 2, name="Sam Lee")
    text = responses_csv(db.session, build_gradebook(db.session, course.classroom))
    emails = [row["email"] for row in csv.DictReader(io.StringIO(text[1:]))]
    first_change = next(index for index, email in enumerate(emails) if email != emails[0])
    assert len(set(emails)) == 2 and set(emails[first_change:]) == {emails[first_change]}


def test_the_responses_file_lists_students_in_the_gradebooks_order_and_scores_alike(course, make_user):  # noqa: F811
    answered_by(make_user, course, 1, name="bella Ng")
    answered_by(make_user, course, 1, name="Anna Field")
    answered_by(make_user, course, 1, name="Carl Moss")
    laggard = enrolled(make_user, course)
    laggard.display_name = "dora Wu"
    start_attempt(db.session, course, laggard, utcnow())  # started, nothing answered
    db.session.commit()
    book = build_gradebook(db.session, course.classroom)
    rows = list(csv.DictReader(io.StringIO(responses_csv(db.session, book)[1:])))
    names = list(dict.fromkeys(row["student"] for row in rows))
    assert names == [student.display_name for student in book.students] == ["Anna Field", "bella Ng", "Carl Moss",
                                                                            "dora Wu"]
    unanswered = [row["score"] for row in rows if row["answer"] == ""]
    assert unanswered and set(unanswered) == {"0.0"}


def test_the_exports_download_plain_and_for_excel_with_semicolons(client, instructor, course, make_user):  # noqa: F811
    answered_by(make_user, course, 1, name="Әлия Қасымова")
    answered_by(make_user, course, 1, name='=HYPERLINK("https://evil.example/","Open")')
    login(client, instructor.email)
    names = {"Әлия Қасымова", "'=HYPERLINK(\"https://evil.example/\",\"Open\")"}
    classroom = course.classroom_id
    # The columns of figures with decimals; answers are text, kept as typed.
    for report, columns, figures in (("grades", GRADE_COLUMNS, {"points", "percent"}),
                                     ("responses", RESPONSE_COLUMNS, {"score"})):
        address = f"/classes/{classroom}/{report}.csv"
        files = {}
        for delimiter, query in ((",", {}), (";", {"separator": "semicolon"})):
            response = client.get(address, query_string=query)
            assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
            text = response.get_data().decode("utf-8")
            assert text.startswith("\ufeff")
            rows = list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))
            assert rows[0] == columns and all(len(row) == len(columns) for row in rows)
            found = [dict(zip(columns, row, strict=True)) for row in rows[1:]]
            assert {row["student"] for row in found} == names
            files[delimiter] = (response.headers["Content-Disposition"], found)
        # Saved under the class's name; the plain name is for programs that read no other.
        assert files[","][0] == (f'attachment; filename="class-{classroom}-{report}.csv"; '
                                 f"filename*=UTF-8''Civics%20{report}.csv")
        assert files[";"][0] == (f'attachment; filename="class-{classroom}-{report}-excel.csv"; '
                                 f"filename*=UTF-8''Civics%20{report}%20%28Excel%29.csv")
        plain, excel = files[","][1], files[";"][1]
        # The same cells, but decimals with a comma, which is what Excel in those settings reads as a number.
        decimals = [row[column] for row in plain for column in figures]
        assert all(re.fullmatch(r"\d+\.\d+", value) for value in decimals)
        # Answers of digits alone ("98", "-1", "29.4%") come as formulas giving them back as text.
        assert excel == [{key: value.replace(".", ",") if key in figures else
                          f'="{value}"' if re.fullmatch(r"-?[\d.]+%?", value) and key in ("answer", "correct_answer")
                          else value
                          for key, value in row.items()} for row in plain]
        assert report == "grades" or {'="98"', '="29.4%"'} <= {row[key] for row in excel for key in row}


@pytest.mark.parametrize(("value", "plain", "excel"), [
    # Typed answers Excel in Russian or Kazakh settings would read as a date, a time, a fraction or a number
    # other than the one typed: shown as typed, through a formula that gives the text back.
    ("29.4", "29.4", '="29.4"'), ("12:30", "12:30", '="12:30"'), ("3/4", "3/4", '="3/4"'),
    ("(5)", "(5)", '="(5)"'), ("1e5", "1e5", '="1e5"'), ("20\u2009000", "20\u2009000", '="20\u2009000"'),
    ("-0,5", "-0,5", '="-0,5"'), ("29,4%", "29,4%", '="29,4%"'), ("2022-06-05", "2022-06-05", '="2022-06-05"'),
    # Text with a letter stays text in Excel, and keeps its cell as it is.
    ("98 seats", "98 seats", "98 seats"), ("h9ea-qajp-jedw", "h9ea-qajp-jedw", "h9ea-qajp-jedw"),
    # Still never a formula of the student's: a formula's text is kept text by an apostrophe.
    ("=1+2", "'=1+2", "'=1+2"), ("-2+3", "'-2+3", '="-2+3"'),
    # A line break or text too long for Excel's formulas keeps the cell as typed.
    ("1\n2", "1\n2", "1\n2"), ("1" * 256, "1" * 256, "1" * 256),
    # Figures the export computes stay numbers.
    (12.5, "12.5", "12,5"), (3, "3", "3"),
])
def test_excel_shows_a_typed_answer_as_typed(value, plain, excel):
    assert spreadsheet_cell(value, PLAIN) == plain
    assert spreadsheet_cell(value, SEMICOLONS) == excel


@pytest.mark.parametrize(("name", "saved"), [
    ("История 9Б", "%D0%98%D1%81%D1%82%D0%BE%D1%80%D0%B8%D1%8F%209%D0%91%20grades.csv"),
    ('Civics: "A/B" \\ 9?', "Civics%20A%20B%209%20grades.csv"),
    (". . .", "grades.csv"),
])
def test_a_download_is_saved_under_the_class_name(client, instructor, course, name, saved):  # noqa: F811
    course.classroom.name = name
    db.session.commit()
    login(client, instructor.email)
    response = client.get(f"/classes/{course.classroom_id}/grades.csv")
    fallback = f'attachment; filename="class-{course.classroom_id}-grades.csv"; '
    assert response.headers["Content-Disposition"] == fallback + f"filename*=UTF-8''{saved}"
