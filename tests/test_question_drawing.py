"""Which questions an assignment asks without HTTP: each student's stable draw, and selection by topic, tag or hand."""

from __future__ import annotations

import pytest

from quizapp.classroom.assignments import drawn_for, selected_questions, start_attempt
from quizapp.extensions import db
from quizapp.models.types import utcnow
from quizapp.quiz.deadlines import submit_attempt
from tests.test_classroom_rules import course, enrolled  # noqa: F401 - fixture


def test_each_student_draws_a_stable_set(course, make_user):  # noqa: F811
    course.draw_count = 3
    first, second = enrolled(make_user, course), enrolled(make_user, course)
    drawn = [q[0] for q in drawn_for(db.session, course, first)]
    assert len(drawn) == 3 and drawn == [q[0] for q in drawn_for(db.session, course, first)]
    others = {tuple(q[0] for q in drawn_for(db.session, course, make_user())) for _ in range(6)}
    assert len(others | {tuple(drawn)}) > 1, "every student drew the same questions"
    assert second is not None


def test_a_question_retired_between_attempts_is_the_only_one_replaced(course, make_user):  # noqa: F811
    from quizapp.models import Question

    course.draw_count = 4
    student = enrolled(make_user, course)
    now = utcnow()
    first = start_attempt(db.session, course, student, now)
    asked = [item.question_id for item in first.items]
    submit_attempt(first, now)
    db.session.get(Question, asked[1]).retired_at = now
    db.session.commit()
    second = start_attempt(db.session, course, student, now)
    again = [item.question_id for item in second.items]
    assert len(again) == 4 and again[:3] == [asked[0], asked[2], asked[3]] and again[3] not in asked
    submit_attempt(second, now)
    db.session.get(Question, asked[1]).retired_at = None  # back in the bank: the first attempt's set again
    db.session.commit()
    assert [item.question_id for item in start_attempt(db.session, course, student, now).items] == asked


@pytest.mark.parametrize(("selection", "field", "value", "expected_topics"), [
    ("topics", "topics", ["Parliament"], {"Parliament"}),
    ("tags", "tags", ["__none__"], set()),
])
def test_selection_by_topic_and_tag(course, selection, field, value, expected_topics):  # noqa: F811
    course.selection = selection
    setattr(course, field, value)
    chosen = selected_questions(db.session, course)
    from quizapp.models import Question

    assert {db.session.get(Question, q[0]).topic for q in chosen} == expected_topics


def test_hand_picked_questions_and_flashcards_left_out(course):  # noqa: F811
    everything = selected_questions(db.session, course)
    assert all(qtype != "flashcard" for _, qtype, _, _ in everything)
    course.selection, course.question_ids = "questions", [everything[0][0]]
    assert [q[0] for q in selected_questions(db.session, course)] == [everything[0][0]]
