"""CSV exports of a class's results, and of an assignment's item statistics, that open cleanly in spreadsheet
programs.

Each comes two ways: plain CSV (commas, decimal points) for scripts and most programs, and a file for Excel set to
a language that writes decimal commas, such as Russian or Kazakh, which splits cells at semicolons instead: given
the plain file, it shows every row in one column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.classroom.gradebook import Gradebook
from quizapp.classroom.item_analysis import ItemStatistics, item_statistics
from quizapp.classroom.typed_answers import AnswerTable
from quizapp.content.markdown import plain_text
from quizapp.models import Assignment, Bank, Question, QuestionRevision, QuizAttempt, QuizItem, Response, User
from quizapp.progress.stats import question_text
from quizapp.quiz.present import correct_answer, given_answer_text

# A byte-order mark makes spreadsheet programs read the file as UTF-8 rather than a local code page.
BOM = "\ufeff"
# Cells starting with these would run as formulas when opened; a leading apostrophe keeps them text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A signed number alone ("-0.5", "+3", "-0,5") is read as a number, not run: it keeps its sign as typed.
_SIGNED_NUMBER = re.compile(r"[+-]\d+(?:[.,]\d+)?")

# "account" (active or deactivated, as the gradebook marks it) and "status" (see gradebook.STANDINGS) come last:
# scripts reading columns by position find the others where they were.
GRADE_COLUMNS = ["class", "assignment", "student", "email", "attempts", "counted_attempt", "grading", "points",
                 "possible", "percent", "handed_in_at", "late", "account", "status"]
# One row per version of a question, as the statistics page shows them: sorting by facility or discrimination moves
# whole items. The choices picked and the answers typed are a cell each, read rather than computed with.
STATISTICS_COLUMNS = ["class", "assignment", "bank", "question_id", "version", "question", "type", "topic",
                      "attempts", "unanswered", "facility_percent", "discrimination", "discrimination_note", "flags",
                      "choices_picked", "answers_typed"]
RESPONSE_COLUMNS = ["class", "assignment", "student", "email", "attempt", "position", "bank", "question_id", "type",
                    "topic", "answer", "correct_answer", "score", "correct", "answered_at", "account"]


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV file separates its cells and writes the decimals of numbers."""

    delimiter: str
    decimal: str
    # Whether text that looks like a number, date or time is written as a formula giving the text back.
    text_as_formula: bool = False


PLAIN = CsvStyle(",", ".")
# The separators of Excel set to Russian or Kazakh (and most of Europe). A decimal point must go too: that Excel
# reads 12.5 as the 12th of May. So would it a student's typed answer "29.4": cells of text like that are
# written ="29.4", which Excel shows as the text it holds.
SEMICOLONS = CsvStyle(";", ",", text_as_formula=True)
# Digits with the signs, separators and brackets of numbers, dates, times, fractions and percentages, as
# Excel reads them ("(5)" is -5 to it), or a number in scientific notation. Text with a letter stays text there.
# Spaces count, those that group thousands too, but not tabs or line breaks, which a formula's text cannot hold.
_NUMBER_PART = r"[\d.,:/+\-%() \u00a0\u2007\u2009\u202f]"
_NUMBER_LIKE = re.compile(rf"{_NUMBER_PART}*\d{_NUMBER_PART}*(?:[eE][+-]?\d+)?")
# Excel takes no longer text in a formula.
_LONGEST_FORMULA_TEXT = 255


def spreadsheet_cell(value: object, style: CsvStyle = PLAIN) -> str:
    """A value as a CSV cell that a spreadsheet program shows as written and never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float):
        return str(value).replace(".", style.decimal)
    text = str(value)
    if isinstance(value, int):
        return text
    if style.text_as_formula and len(text) <= _LONGEST_FORMULA_TEXT and _NUMBER_LIKE.fullmatch(text):
        return f'="{text}"'
    # Text is kept as typed, decimal point or comma: a student's answer is shown as they gave it.
    if _SIGNED_NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(_FORMULA_START) else text


def account_status(user: User) -> str:
    """The "account" cell of a student's rows."""
    return "active" if user.is_active else "deactivated"


def spreadsheet_csv(columns: list[str], rows: Iterable[Iterable[object]], style: CsvStyle = PLAIN) -> str:
    """A header and rows as the text of a CSV file, with a byte-order mark, in the given style."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([spreadsheet_cell(v, style) for v in row] for row in rows)
    return BOM + buffer.getvalue()


def grades_csv(book: Gradebook, style: CsvStyle = PLAIN) -> str:
    """One row per student per assignment, with the counted attempt's score and where the student stands."""
    rows = []
    for assignment in book.assignments:
        for student in book.students:
            cell = book.cell(student.id, assignment.id)
            counted = cell.counted
            rows.append([
                book.classroom.name, assignment.title, student.display_name, student.email, len(cell.attempts),
                counted.number if counted else None, assignment.grading, counted.points if counted else None,
                counted.possible if counted else None, counted.percent if counted else None,
                counted.finished_at if counted else None, counted.is_late if counted else None,
                account_status(student), book.standing(student.id, assignment),
            ])
    return spreadsheet_csv(GRADE_COLUMNS, rows, style)


def responses_csv(session: Session, book: Gradebook, style: CsvStyle = PLAIN) -> str:
    """One row per question of every attempt at the class's assignments, answered or not."""
    titles = {a.id: a.title for a in book.assignments}
    students = {s.id: s for s in book.students}
    # Plain columns rather than entities: a class's export runs to tens of thousands of rows, each of which the
    # ORM would turn into five tracked objects. A question revision's content is read and answered once.
    found = session.execute(
        select(QuizAttempt.assignment_id, QuizAttempt.user_id, QuizAttempt.number, QuizItem.position,
               QuizItem.revision_id, Bank.slug, Question.key, Question.type, Question.topic, Response.id,
               Response.given, Response.score, Response.is_correct, Response.answered_at)
        .join(QuizItem, QuizItem.attempt_id == QuizAttempt.id)
        .outerjoin(Response, Response.item_id == QuizItem.id)
        .join(Question, Question.id == QuizItem.question_id)
        .join(Bank, Bank.id == Question.bank_id)
        .where(QuizAttempt.assignment_id.in_(list(titles)), QuizAttempt.user_id.in_(list(students)))
        .order_by(QuizAttempt.assignment_id, QuizAttempt.user_id, QuizAttempt.number, QuizItem.position)
    ).all()
    # Students in the gradebook's order of names, which SQL cannot sort by (see quizapp.collation).
    rank = {student.id: index for index, student in enumerate(book.students)}
    found.sort(key=lambda row: (row.assignment_id, rank[row.user_id]))
    contents = dict(session.execute(select(QuestionRevision.id, QuestionRevision.data).where(
        QuestionRevision.id.in_({row.revision_id for row in found}))).all())
    correct: dict[int, str] = {}
    status = {student.id: account_status(student) for student in book.students}
    rows = []
    for (assignment_id, user_id, number, position, revision_id, bank_slug, key, qtype, topic, response_id,
         given, score, is_correct, answered_at) in found:
        data, student, answered = contents[revision_id], students[user_id], response_id is not None
        if revision_id not in correct:
            correct[revision_id] = correct_answer(qtype, data)
        rows.append([
            book.classroom.name, titles[assignment_id], student.display_name, student.email, number, position,
            bank_slug, key, qtype, topic, given_answer_text(qtype, data, given) if answered else None,
            correct[revision_id], score if answered else 0.0, is_correct if answered else False,
            answered_at if answered else None, status[user_id],
        ])
    return spreadsheet_csv(RESPONSE_COLUMNS, rows, style)


def statistics_csv(session: Session, assignment: Assignment, style: CsvStyle = PLAIN) -> str:
    """The assignment's item statistics, one row per version of a question in the page's order (flagged first)."""
    items = item_statistics(session, assignment)
    classroom, bank = assignment.classroom.name, assignment.bank.slug  # an assignment draws from its one bank
    rows = [[
        classroom, assignment.title, bank, item.question.key, item.revision.number,
        question_text(item.revision.data), item.question.type, item.question.topic, item.attempts,
        item.unanswered, item.facility,
        item.discrimination,
        item.no_discrimination, "; ".join(item.flags), _choices_picked(item),
        " | ".join(_typed_table(table) for table in item.answer_tables()),
    ] for item in items]
    return spreadsheet_csv(STATISTICS_COLUMNS, rows, style)


def _choices_picked(item: ItemStatistics) -> str:
    """Each choice (or True and False) by its letter and text, the correct ones marked, with how often it was picked:
    "A. 98 (correct): 12; B. 107: 3"."""
    return "; ".join(f"{_letter(index)}. {plain_text(text)}{' (correct)' if right else ''}: {count}"
                     for index, text, count, right in item.option_rows())


def _letter(index: int) -> str:
    """A, B, ... Z, then AA, AB, ... as spreadsheet columns are named: a bank may give a question many choices."""
    return _letter(index // 26 - 1) + chr(ord("A") + index % 26) if index >= 26 else chr(ord("A") + index)


def _typed_table(table: AnswerTable) -> str:
    """The answers most often typed (to one blank of a cloze), as the page lists them: '“29.4” (right): 5; “30”
    (wrong): 2; 3 other answers: 4'."""
    # Quoted, a student's answer can neither start the cell as a formula would ("-1") nor pass for two ("a; b").
    parts = [f"{f'“{answer.text}”' if answer.text else '(left blank)'} ({answer.verdict}): {answer.count}"
             for answer in table.rows]
    if table.other_answers:
        parts.append(f"{table.other_answers} other answer{'s' if table.other_answers != 1 else ''}: "
                     f"{table.other_students}")
    return (f"Blank {table.blank}: " if table.blank else "") + "; ".join(parts)
