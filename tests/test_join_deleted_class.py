"""A student joins a class at the moment its instructor deletes it: they are told it is gone, and no row is left."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from quizapp.classroom.membership import create_class, delete_class
from quizapp.extensions import db
from quizapp.models import Classroom, Membership
from tests.conftest import csrf_from
from tests.test_classroom_flow import join


@contextmanager
def deleted_once_looked_up(classroom_id: int) -> Iterator[None]:
    """The instructor's delete of the class commits just after a join has looked its code up."""
    done = []

    def delete_it(_connection, _cursor, statement: str, *_args) -> None:
        if done or not statement.lstrip().upper().startswith("SELECT") or "join_code" not in statement:
            return
        done.append(True)
        with Session(db.engine) as other:
            delete_class(other, classroom_id)
            other.commit()

    event.listen(db.engine, "after_cursor_execute", delete_it)
    try:
        yield
    finally:
        event.remove(db.engine, "after_cursor_execute", delete_it)
    assert done, "the join never looked the code up"


def test_joining_a_class_deleted_meanwhile_says_it_is_gone(app, logged_in, instructor):
    classroom = create_class(db.session, instructor, "Civics")
    db.session.commit()
    classroom_id, code = classroom.id, classroom.join_code
    with deleted_once_looked_up(classroom_id):
        response = join(logged_in, code)
    assert response.status_code == 422
    assert "“Civics” was deleted by its instructor a moment ago, so you were not added to it." in \
        response.get_data(as_text=True)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Classroom)) == 0
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0
    # The class page the student would otherwise have been sent to is not theirs to see.
    assert logged_in.get(f"/classes/{classroom_id}/work").status_code == 404


def test_a_class_deleted_just_after_joining_it_fails_nothing(app, logged_in, instructor):
    """The join commits, then the instructor's delete at once: the student is told they joined, nothing fails."""
    classroom = create_class(db.session, instructor, "Civics")
    db.session.commit()
    classroom_id, code = classroom.id, classroom.join_code
    token = csrf_from(logged_in.get("/classes/join").get_data(as_text=True))
    done = []

    def delete_it(session) -> None:
        if not done and not session.in_nested_transaction():  # the join's own commit, not its savepoint's
            done.append(True)
            with Session(db.engine) as other:
                delete_class(other, classroom_id)
                other.commit()

    event.listen(db.session, "after_commit", delete_it)
    try:
        response = logged_in.post("/classes/join", data={"csrf_token": token, "code": code})
    finally:
        event.remove(db.session, "after_commit", delete_it)
    assert done and response.status_code == 302
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0
