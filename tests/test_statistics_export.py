"""An assignment's item statistics as a CSV download: the page's figures, one row per question version, plain and for
Excel with semicolons, for the class's teachers only."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.export import PLAIN, SEMICOLONS, STATISTICS_COLUMNS, statistics_csv
from quizapp.classroom.item_analysis import item_statistics
from quizapp.extensions import db
from quizapp.models import Question, QuestionRevision, Role
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from quizapp.quiz.service import submit_answer
from tests.conftest import login
from tests.test_classroom_reports import answered_by
from tests.test_classroom_rules import course, enrolled  # noqa: F401 - fixture

FIGURES = ("facility_percent", "discrimination")


def rows_of(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    """The rows of a CSV file as the export writes it, header checked."""
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))
    assert rows[0] == STATISTICS_COLUMNS and all(len(row) == len(STATISTICS_COLUMNS) for row in rows)
    return [dict(zip(STATISTICS_COLUMNS, row, strict=True)) for row in rows[1:]]


def test_each_row_holds_the_figures_of_one_item_as_the_page_works_them_out(course, make_user):  # noqa: F811
    answered_by(make_user, course, 4)
    stats = item_statistics(db.session, course)
    rows = rows_of(statistics_csv(db.session, course))
    assert len(rows) == len(stats) > 1
    for row, item in zip(rows, stats, strict=True):
        assert (row["class"], row["assignment"], row["bank"]) == ("Civics", "Week 1", "fixture-bank")
        assert (row["question_id"], row["version"]) == (item.question.key, str(item.revision.number))
        assert (row["type"], row["topic"]) == (item.question.type, item.question.topic)
        assert (row["attempts"], row["unanswered"]) == (str(item.attempts), str(item.unanswered))
        assert row["facility_percent"] == str(item.facility)
        assert row["discrimination"] == ("" if item.discrimination is None else str(item.discrimination))
        assert row["discrimination_note"] == (item.no_discrimination or "")
        assert row["flags"] == "; ".join(item.flags)
        options = item.option_rows()
        assert row["choices_picked"] == "; ".join(
            f"{'ABCD'[index]}. {text}{' (correct)' if right else ''}: {count}" for index, text, count, right in options)
        tables = item.answer_tables()
        assert (row["answers_typed"] != "") == bool(tables)
        for table in tables:
            assert all(f"“{answer.text}” ({answer.verdict}): {answer.count}" in row["answers_typed"]
                       for answer in table.rows)
    # A typed answer is quoted, so that "-1" neither starts a formula nor needs the apostrophe that stops one.
    assert all(row["answers_typed"][:1] in ("", "“", "B") for row in rows)
    # The flagged items first, as on the page.
    flagged = [bool(row["flags"]) for row in rows]
    assert flagged == sorted(flagged, reverse=True)
    seats = next(row for row in rows if row["question_id"] == "seats-choice")
    assert re.fullmatch(r"A\. 98 \(correct\): \d+; B\. 107: \d+; C\. 77: \d+", seats["choices_picked"])
    # True and false are counted as the two choices they are on the quiz page (false is right here).
    true_false = next(row for row in rows if row["question_id"] == "new-constitution")
    assert re.fullmatch(r"A\. True: \d+; B\. False \(correct\): \d+", true_false["choices_picked"])
    assert sum(map(int, re.findall(r": (\d+)", true_false["choices_picked"]))) == 4 - int(true_false["unanswered"])
    cloze = next(row for row in rows if row["question_id"] == "mazhilis-cloze")
    # The question as students read it: its blanks, not their answers; those are in what students typed.
    assert cloze["question"] == "The Mazhilis was reduced from _____ to _____ deputies, elected in a _____ system."
    assert cloze["answers_typed"].startswith("Blank 1: ") and " | Blank 3: " in cloze["answers_typed"]


def test_typed_answers_past_the_five_shown_are_counted_together(course, make_user):  # noqa: F811
    numeric = db.session.scalar(select(Question).where(Question.key == "eu-share"))
    course.selection, course.question_ids = "questions", [numeric.id]
    for typed in ("29.4", "29.4%", "30", "31", "32", "33", "34", "35", "=1+2"):
        attempt = start_attempt(db.session, course, enrolled(make_user, course), utcnow())
        submit_answer(db.session, attempt.items[0], typed)
        submit_attempt(attempt, utcnow())
    db.session.commit()
    (row,) = rows_of(statistics_csv(db.session, course))
    assert row["answers_typed"] == ("“29.4” (right): 2; “30” (wrong): 1; “31” (wrong): 1; “32” (wrong): 1; "
                                    "“33” (wrong): 1; 3 other answers: 3")
    assert row["choices_picked"] == ""


def test_a_question_that_looks_like_a_formula_stays_text(course, make_user):  # noqa: F811
    seats = db.session.scalar(select(Question).where(Question.key == "seats-choice"))
    revision = db.session.scalar(select(QuestionRevision).where(QuestionRevision.question_id == seats.id))
    revision.data = {**revision.data, "prompt": '=HYPERLINK("https://evil.example/","Open")'}
    course.selection, course.question_ids = "questions", [seats.id]
    db.session.commit()
    answered_by(make_user, course, 3)
    for style in (PLAIN, SEMICOLONS):
        (row,) = rows_of(statistics_csv(db.session, course, style), style.delimiter)
        assert row["question"] == "'=HYPERLINK(\"https://evil.example/\",\"Open\")"


def test_the_file_for_excel_writes_decimal_commas_and_the_rest_alike(course, make_user):  # noqa: F811
    answered_by(make_user, course, 5)
    plain = rows_of(statistics_csv(db.session, course))
    excel = rows_of(statistics_csv(db.session, course, SEMICOLONS), ";")
    decimals = [row[column] for row in plain for column in FIGURES if row[column]]
    assert decimals and all(re.fullmatch(r"-?\d+\.\d+", value) for value in decimals)
    # Choices of digits alone ("98") stay inside longer text, which Excel never reads as a number.
    assert excel == [{key: value.replace(".", ",") if key in FIGURES else value for key, value in row.items()}
                     for row in plain]


def statistics_address(assignment) -> str:
    return f"/classes/{assignment.classroom_id}/assignments/{assignment.id}/statistics.csv"


def test_the_download_is_saved_under_the_class_and_assignment(client, instructor, course, make_user):  # noqa: F811
    answered_by(make_user, course, 2)
    login(client, instructor.email)
    stem = f"class-{course.classroom_id}-assignment-{course.id}-statistics"
    for query, delimiter, fallback, name in (
            ({}, ",", f"{stem}.csv", "Civics%20Week%201%20statistics.csv"),
            ({"separator": "semicolon"}, ";", f"{stem}-excel.csv", "Civics%20Week%201%20statistics%20%28Excel%29.csv")):
        response = client.get(statistics_address(course), query_string=query)
        assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"] == (f'attachment; filename="{fallback}"; '
                                                           f"filename*=UTF-8''{name}")
        rows = rows_of(response.get_data().decode("utf-8"), delimiter)
        assert len(rows) == len(item_statistics(db.session, course))


def test_an_assignment_nobody_handed_in_gives_the_header_alone(client, instructor, course, make_user):  # noqa: F811
    student = enrolled(make_user, course)
    start_attempt(db.session, course, student, utcnow())  # begun, not handed in: nothing counts yet
    db.session.commit()
    login(client, instructor.email)
    response = client.get(statistics_address(course))
    assert response.status_code == 200
    assert response.get_data().decode("utf-8") == "\ufeff" + ",".join(STATISTICS_COLUMNS) + "\r\n"


def test_the_statistics_page_links_both_files(client, instructor, course):  # noqa: F811
    login(client, instructor.email)
    page = client.get(f"/classes/{course.classroom_id}/assignments/{course.id}/statistics").get_data(as_text=True)
    address = statistics_address(course)
    assert f'<a href="{address}">item statistics (CSV)</a>' in page
    assert f'<a href="{address}?separator=semicolon">item statistics (CSV for Excel, semicolons)</a>' in page


def test_only_the_classes_teachers_download_it(app, client, course, make_user):  # noqa: F811
    answered_by(make_user, course, 1)
    login(client, enrolled(make_user, course).email)
    assert client.get(statistics_address(course)).status_code == 403
    other = app.test_client()
    login(other, make_user(Role.INSTRUCTOR).email)
    assert other.get(statistics_address(course)).status_code == 404
