"""Deactivating an account on the Users page: asked first, ends its sessions, keeps its work, undone by reactivating."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.auth.deactivation import deactivate
from quizapp.classroom.gradebook import build_gradebook
from quizapp.classroom.item_analysis import item_statistics
from quizapp.extensions import db
from quizapp.models import Question
from tests.conftest import login
from tests.test_classroom_rules import course, enrolled, hand_in  # noqa: F401 - fixture


def test_a_deactivated_students_work_still_counts_and_is_marked(app, course, make_user, instructor):  # noqa: F811
    seats = db.session.scalar(select(Question).where(Question.key == "seats-choice"))
    course.selection, course.question_ids = "questions", [seats.id]
    stays, leaves = enrolled(make_user, course), enrolled(make_user, course)
    hand_in(course, stays, [True])
    hand_in(course, leaves, [False])
    deactivate(db.session, leaves)
    db.session.commit()

    book = build_gradebook(db.session, course.classroom)
    assert {s.id for s in book.students} == {stays.id, leaves.id}
    assert book.cell(leaves.id, course.id).counted.percent == 0.0
    (item,) = item_statistics(db.session, course)
    assert item.attempts == 2 and item.facility == 50.0
    client = app.test_client()
    login(client, instructor.email)
    for page in (f"/classes/{course.classroom_id}", f"/classes/{course.classroom_id}/gradebook"):
        assert client.get(page).get_data(as_text=True).count("(account deactivated)") == 1, page
    work = client.get(f"/classes/{course.classroom_id}/students/{leaves.id}").get_data(as_text=True)
    assert "This account is deactivated" in work
