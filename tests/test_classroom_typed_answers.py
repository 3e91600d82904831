"""Item statistics show what students typed to numeric, short-text and cloze questions: the most common answers
of the counted attempts, grouped, counted and marked right or wrong, each cloze blank apart."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.classroom import item_analysis
from quizapp.classroom.assignments import start_attempt
from quizapp.classroom.item_analysis import item_statistics, typed_answers
from quizapp.classroom.membership import remove_student
from quizapp.classroom.typed_answers import ALL_ANSWERS
from quizapp.extensions import db
from quizapp.models import Assignment, Question, QuizAttempt, User
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from quizapp.quiz.service import submit_answer
from tests.conftest import FIXTURE_BANKS, QUESTIONS, login
from tests.html_forms import Element, parse
from tests.test_classroom_rules import course, enrolled  # noqa: F401 - fixture

KEYS = ("eu-share", "ncpt-successor", "mazhilis-cloze")


@pytest.fixture
def typed_course(course: Assignment) -> Assignment:  # noqa: F811
    """The course with only its numeric, short-text and cloze questions."""
    course.selection = "questions"
    course.question_ids = list(db.session.scalars(select(Question.id).where(Question.key.in_(KEYS))))
    db.session.commit()
    return course


@pytest.fixture
def teacher(app, instructor) -> FlaskClient:
    client = app.test_client()
    assert login(client, instructor.email).status_code == 302
    return client


def type_answers(assignment: Assignment, student: User, answers: dict[str, Any], hand_in: bool = True) -> QuizAttempt:
    """An attempt in which the student types these answers (by question key), handed in unless told not to."""
    now = utcnow()
    attempt = start_attempt(db.session, assignment, student, now)
    for item in attempt.items:
        if item.question.key in answers:
            submit_answer(db.session, item, answers[item.question.key])
    if hand_in:
        submit_attempt(attempt, now)
    db.session.commit()
    return attempt


def answer_tables(page: str) -> dict[str, list[tuple[str, ...]]]:
    """Each table of typed answers on the page, by its caption: its rows' cells as text, the summary row last."""
    tables = {}
    for table in parse(page).walk():
        if table.tag == "table" and "typed-answers" in table.attrs.get("class", "").split():
            caption = next(e for e in table.walk() if e.tag == "caption").text()
            rows = [e for e in table.walk() if e.tag == "tr" and not any(a.tag == "thead" for a in e.ancestors())]
            tables[caption] = [tuple(cell.text() for cell in row.children if isinstance(cell, Element)) for row in rows]
    return tables


def statistics_page(client: FlaskClient, assignment: Assignment) -> str:
    response = client.get(f"/classes/{assignment.classroom_id}/assignments/{assignment.id}/statistics")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_common_typed_answers_are_shown_most_frequent_first_with_their_verdict(teacher, typed_course,
                                                                                  make_user):
    typed = [
        ("29", "Ulttyk Kuryltai", ["107", "98", "mixed"]),
        ("29", "Ulttyk Kuryltai", ["107", "98", "Mixed"]),
        ("29%", "  ulttyk   KURYLTAI ", ["107", "107", "majoritarian"]),
        ("29.4%", "Senate", ["107", "98", "mixed "]),
        ("29.4 %", "Senate", ["98", "98", "proportional"]),
        ("30", "<b>Senate</b>", ["107", "", "mixed"]),
    ]
    for numeric, short, cloze in typed:
        type_answers(typed_course, enrolled(make_user, typed_course),
                     dict(zip(KEYS, (numeric, short, cloze), strict=True)))

    page = statistics_page(teacher, typed_course)
    tables = answer_tables(page)
    # "29" and "29%" are the same number as graded; "29.4%" is spelled as most of its students typed it.
    assert tables["Most common answers — key: 29.4%"] == [
        ("29", "3", "wrong"), ("29.4%", "2", "right"), ("30", "1", "wrong")]
    # Case and spacing make no other answer; the spelling shown is the one most students typed.
    assert tables["Most common answers — key: Ulttyk Kuryltai"] == [
        ("Ulttyk Kuryltai", "3", "right"), ("Senate", "2", "wrong"), ("<b>Senate</b>", "1", "wrong")]
    assert tables["Blank 1 of 3: most common answers — key: 107"] == [
        ("107", "5", "right"), ("98", "1", "wrong")]
    assert tables["Blank 2 of 3: most common answers — key: 98"] == [
        ("98", "4", "right"), ("107", "1", "wrong"), ("(left blank)", "1", "wrong")]
    assert tables["Blank 3 of 3: most common answers — key: mixed"] == [
        ("mixed", "4", "right"), ("majoritarian", "1", "wrong"), ("proportional", "1", "wrong")]
    # What students typed is text, never markup.
    assert "&lt;b&gt;Senate&lt;/b&gt;" in page and "<b>Senate</b>" not in page
    assert '<td class="right">right</td>' in page and '<td class="wrong">wrong</td>' in page


def test_past_the_five_most_common_answers_the_rest_are_counted_together(teacher, typed_course, make_user):
    answers = ["Senate"] * 3 + ["Majilis"] * 2 + ["Kurultai", "Congress", "Assembly", "Council", "Parliament"]
    for answer in answers:
        type_answers(typed_course, enrolled(make_user, typed_course), {"ncpt-successor": answer})

    caption = "Most common answers — key: Ulttyk Kuryltai"
    page = statistics_page(teacher, typed_course)
    rows = answer_tables(page)[caption]
    assert rows[:2] == [("Senate", "3", "wrong"), ("Majilis", "2", "wrong")]
    assert len(rows) == 6
    assert rows[-1] == ("2 other answers", "2", "")

    # The question's own page lists them all, the rare ones too.
    question = db.session.scalar(select(Question).where(Question.key == "ncpt-successor"))
    item_url = f"/classes/{typed_course.classroom_id}/assignments/{typed_course.id}/questions/{question.id}"
    assert f'<a href="{item_url}?version=1#answers">2 other answers</a>' in page
    rows = answer_tables(teacher.get(f"{item_url}?version=1").get_data(as_text=True))[caption]
    assert len(rows) == 7 and sorted(row[0] for row in rows[2:]) == sorted(answers[5:])


def test_a_question_nobody_has_answered_says_so_on_its_page(teacher, typed_course, make_user):
    type_answers(typed_course, enrolled(make_user, typed_course), {"ncpt-successor": "Senate"}, hand_in=False)
    ids = {q.key: q.id for q in db.session.scalars(select(Question).where(Question.key.in_(KEYS)))}
    base = f"/classes/{typed_course.classroom_id}/assignments/{typed_course.id}/questions"
    page = teacher.get(f"{base}/{ids['ncpt-successor']}").get_data(as_text=True)
    assert "No handed-in attempt has answered this version of the question yet." in page
    assert "Senate" not in page
    # A choice question's page has no such section: its choices are counted on the statistics page.
    choice = db.session.scalar(select(Question.id).where(Question.key == "seats-choice"))
    typed_course.question_ids = [*typed_course.question_ids, choice]
    db.session.commit()
    shown = teacher.get(f"{base}/{choice}")
    assert shown.status_code == 200 and "Answers typed" not in shown.get_data(as_text=True)


def test_only_the_counted_attempts_answers_are_shown(teacher, typed_course, make_user):
    typed_course.grading = "best"
    improved, unfinished, started = (enrolled(make_user, typed_course) for _ in range(3))
    # Best of two: the second attempt, right, counts; the first one's "29" does not.
    type_answers(typed_course, improved, {"eu-share": "29"})
    type_answers(typed_course, improved, {"eu-share": "29.4"})
    # A second attempt not handed in does not count, nor does a student's only one.
    type_answers(typed_course, unfinished, {"eu-share": "30"})
    type_answers(typed_course, unfinished, {"eu-share": "31"}, hand_in=False)
    type_answers(typed_course, started, {"eu-share": "77"}, hand_in=False)

    rows = answer_tables(statistics_page(teacher, typed_course))["Most common answers — key: 29.4%"]
    assert sorted(rows) == [("29.4", "1", "right"), ("30", "1", "wrong")]


def revise_question(tmp_path: Path, old: str, new: str) -> None:
    """Load the fixture bank again with one question's text changed, as a re-upload would."""
    folder = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANKS / "bank", folder)
    questions = folder / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    assert text.count(old) == 1
    questions.write_text(text.replace(old, new), encoding="utf-8")
    result = check_paths([folder], QUESTIONS)
    assert result.ok, [str(p) for p in result.problems]
    load_banks(db.session, result)
    db.session.commit()


def test_a_questions_page_shows_the_answers_its_statistics_count(typed_course, make_user, tmp_path):
    typed_course.grading = "best"
    choice = db.session.scalar(select(Question.id).where(Question.key == "seats-choice"))
    typed_course.question_ids = [*typed_course.question_ids, choice]
    for numeric, short, cloze in [("29", "Ulttyk Kuryltai", ["107", "98", "mixed"]),
                                  ("29.4%", "senate", ["107", "", "Mixed"]),
                                  ("30", "  ulttyk kuryltai", ["98", "98", "majoritarian"])]:
        type_answers(typed_course, enrolled(make_user, typed_course),
                     dict(zip(KEYS, (numeric, short, cloze), strict=True)))
    # Of the best of two attempts, only the second (right) one counts.
    improved = enrolled(make_user, typed_course)
    type_answers(typed_course, improved, {"eu-share": "12", "mazhilis-cloze": ["1", "2", "3"]})
    type_answers(typed_course, improved, {"eu-share": "29.4", "mazhilis-cloze": ["107", "98", "mixed"]})
    # Neither an attempt still open, nor the work of a student taken off the roster, counts.
    type_answers(typed_course, enrolled(make_user, typed_course), {"eu-share": "77", "ncpt-successor": "open"},
                 hand_in=False)
    leaver = enrolled(make_user, typed_course)
    type_answers(typed_course, leaver, {"eu-share": "88", "mazhilis-cloze": ["gone", "gone", "gone"]})
    assert remove_student(db.session, typed_course.classroom, leaver.id)
    # An attempt whose time ran out while nobody had it open counts, as handed in at its deadline.
    lapsed = type_answers(typed_course, enrolled(make_user, typed_course), {"ncpt-successor": "Majilis"},
                          hand_in=False)
    lapsed.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    # The bank changes the numeric question: the answers to each version are counted apart.
    revise_question(tmp_path, "    answer: 29.4\n", "    answer: 29.5\n")
    type_answers(typed_course, enrolled(make_user, typed_course), {"eu-share": "29.5"})

    stats = item_statistics(db.session, typed_course)
    assert sorted((s.question.key, s.revision.number) for s in stats) == [
        ("eu-share", 1), ("eu-share", 2), ("mazhilis-cloze", 1), ("ncpt-successor", 1), ("seats-choice", 1)]
    shown = {}
    for entry in stats:
        tables = typed_answers(db.session, typed_course, entry.question.type, entry.revision)
        assert tables == (entry.typed.tables(ALL_ANSWERS) if entry.typed is not None else None)
        shown[entry.question.key, entry.revision.number] = {row.text for table in tables or [] for row in table.rows}
    assert shown["eu-share", 1] == {"29", "29.4%", "30"}  # "29.4" is grouped with "29.4%" as the same number
    assert shown["eu-share", 2] == {"29.5"}
    assert shown["ncpt-successor", 1] == {"Ulttyk Kuryltai", "senate", "Majilis"}
    assert shown["mazhilis-cloze", 1] == {"107", "98", "", "mixed", "majoritarian"}


def test_a_questions_page_does_not_work_out_every_questions_statistics(teacher, typed_course, make_user,
                                                                       monkeypatch):
    type_answers(typed_course, enrolled(make_user, typed_course), {"ncpt-successor": "Senate"})

    def whole_assignment(*_args: object) -> None:
        raise AssertionError("the statistics of every question were worked out for one question's page")

    monkeypatch.setattr(item_analysis, "item_statistics", whole_assignment)
    question = db.session.scalar(select(Question.id).where(Question.key == "ncpt-successor"))
    page = teacher.get(f"/classes/{typed_course.classroom_id}/assignments/{typed_course.id}/questions/{question}")
    assert page.status_code == 200
    assert answer_tables(page.get_data(as_text=True))["Most common answers — key: Ulttyk Kuryltai"] == [
        ("Senate", "1", "wrong")]
