"""Grades without HTTP: the attempt each grading policy counts, the gradebook, item analysis and CSV exports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.gradebook import build_gradebook, counted_attempt
from quizapp.extensions import db
from quizapp.models import Role
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from quizapp.quiz.service import submit_answer
from tests.test_classroom_rules import course, enrolled, given_for, hand_in  # noqa: F401 - fixture


@pytest.mark.parametrize(("grading", "expected"), [("best", 100.0), ("first", 0.0), ("last", 50.0)])
def test_grading_policy_picks_the_counted_attempt(course, make_user, grading, expected):  # noqa: F811
    course.grading, course.draw_count = grading, 2
    student = enrolled(make_user, course)
    for right in ([False, False], [True, True], [True, False]):
        hand_in(course, student, right)
    db.session.commit()
    book = build_gradebook(db.session, course.classroom)
    cell = book.cell(student.id, course.id)
    assert len(cell.attempts) == 3 and cell.counted.percent == expected


def test_the_best_attempt_is_the_best_share_when_attempts_differ_in_length(course, make_user):  # noqa: F811
    # The draw grew between attempts: 2 of 2 (100%) beats 3 of 4 (75%), though it has fewer points.
    course.grading, course.draw_count = "best", 2
    student = enrolled(make_user, course)
    for count, right in ((2, [True, True]), (4, [True, True, True, False])):
        course.draw_count = count
        hand_in(course, student, right)
    db.session.commit()
    cell = build_gradebook(db.session, course.classroom).cell(student.id, course.id)
    assert [a.possible for a in cell.attempts] == [2, 4]
    assert cell.counted.number == 1 and cell.counted.percent == 100.0


def test_unfinished_attempts_do_not_count():
    assert counted_attempt([], "best") is None


def test_a_student_outside_the_class_is_not_in_the_gradebook(course, make_user):  # noqa: F811
    outsider = make_user(Role.STUDENT)
    book = build_gradebook(db.session, course.classroom)
    assert outsider not in book.students


def pearson(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return cov / (sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)) ** 0.5


def test_item_analysis_matches_the_definitions(course, make_user):  # noqa: F811
    from quizapp.classroom.item_analysis import item_statistics
    from quizapp.models import Question

    ids = {q.key: q.id for q in db.session.scalars(select(Question))}
    picked = [ids["seats-choice"], ids["new-constitution"], ids["eu-share"], ids["ncpt-successor"]]
    course.selection, course.question_ids, course.shuffle_choices = "questions", picked, False
    # Rows: students; columns: the four items in `picked` order. The last item everyone gets right.
    pattern = [[1, 1, 1, 1], [1, 1, 0, 1], [1, 0, 0, 1], [0, 0, 0, 1]]
    now = utcnow()
    for row in pattern:
        attempt = start_attempt(db.session, course, enrolled(make_user, course), now)
        by_question = {item.question_id: item for item in attempt.items}
        for question_id, right in zip(picked, row, strict=True):
            submit_answer(db.session, by_question[question_id], given_for(by_question[question_id], bool(right)))
        submit_attempt(attempt, now)
    db.session.commit()

    stats = {s.question.id: s for s in item_statistics(db.session, course)}
    totals = [sum(row) for row in pattern]
    for column, question_id in enumerate(picked[:3]):
        scores = [row[column] for row in pattern]
        item = stats[question_id]
        assert item.facility == round(100 * sum(scores) / len(scores), 1)
        rest = [total - score for total, score in zip(totals, scores, strict=True)]
        assert item.discrimination == pytest.approx(pearson(scores, rest), abs=0.005)  # shown to two decimals
    assert stats[ids["eu-share"]].facility == 25.0
    easy = stats[ids["ncpt-successor"]]
    assert easy.facility == 100.0 and easy.discrimination is None and "very easy" in easy.flags[0]
    choice = stats[ids["seats-choice"]]
    counts = {index: count for index, _, count, _ in choice.option_rows()}
    correct = choice.revision.data["correct"][0]
    assert counts[correct] == 3 and sum(counts.values()) == 4
    # Flagged items come first.
    assert item_statistics(db.session, course)[0].flags


def test_csv_cells_cannot_run_as_formulas(course, make_user):  # noqa: F811
    import csv
    import io

    from quizapp.classroom.export import grades_csv, responses_csv
    from quizapp.models import Question

    short = db.session.scalar(select(Question).where(Question.key == "ncpt-successor"))
    course.selection, course.question_ids = "questions", [short.id]
    student = enrolled(make_user, course)
    attempt = start_attempt(db.session, course, student, utcnow())
    submit_answer(db.session, attempt.items[0], '=HYPERLINK("http://example.org","x")')
    submit_attempt(attempt, utcnow())
    db.session.commit()
    book = build_gradebook(db.session, course.classroom)
    text = responses_csv(db.session, book)
    assert text.startswith("\ufeff") and "\r\n" in text
    row = next(csv.DictReader(io.StringIO(text[1:])))
    assert row["answer"].startswith("'=") and row["correct"] == "no"
    grades = list(csv.DictReader(io.StringIO(grades_csv(book)[1:])))
    assert grades[0]["email"] == student.email and grades[0]["percent"] == "0.0"


@pytest.mark.parametrize(("typed", "cell"), [
    ("-0.5", "-0.5"), ("-0,5", "-0,5"), ("+12", "+12"),
    ("-1+2", "'-1+2"), ("-0.5 seats", "'-0.5 seats"), ("@SUM(A1)", "'@SUM(A1)"),
])
def test_a_signed_number_answered_stays_a_number_in_the_csv(course, make_user, typed, cell):  # noqa: F811
    import csv
    import io

    from quizapp.classroom.export import responses_csv
    from quizapp.models import Question

    numeric = db.session.scalar(select(Question).where(Question.key == "eu-share"))
    course.selection, course.question_ids = "questions", [numeric.id]
    student = enrolled(make_user, course)
    attempt = start_attempt(db.session, course, student, utcnow())
    submit_answer(db.session, attempt.items[0], typed)
    submit_attempt(attempt, utcnow())
    db.session.commit()
    text = responses_csv(db.session, build_gradebook(db.session, course.classroom))
    row = next(csv.DictReader(io.StringIO(text[1:])))
    assert row["answer"] == cell
