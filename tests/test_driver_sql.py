"""Statements run on the driver's cursor give and store what SQLAlchemy's own execution does, on each database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import bindparam, select

from quizapp.driver_sql import DriverConnection, DriverStatement
from quizapp.extensions import db
from quizapp.models import Bank, Card, QuizAttempt, Response, User
from quizapp.models.types import utcnow
from quizapp.quiz import quick
from quizapp.quiz.quick import _ANSWERABLE
from quizapp.quiz.service import FINISH_ATTEMPT, INSERT_RESPONSE, start_quiz
from quizapp.srs.missed import enqueue_missed


@pytest.fixture
def items(app, fixture_bank, student):
    attempt = start_quiz(db.session, student, db.session.scalar(select(Bank)), None, 31)
    db.session.commit()
    return attempt.items


def test_a_select_returns_the_rows_execute_returns(app, items, student):
    with db.engine.connect() as connection, DriverConnection(db.engine) as driver:
        for item in items:
            params = {"attempt_id": item.attempt_id, "position": item.position, "user_id": student.id,
                      "session_version": student.session_version}
            expected = [tuple(row) for row in connection.execute(_ANSWERABLE, params)]
            assert DriverStatement(_ANSWERABLE).rows(driver, params) == expected
            assert expected
            revision = {"revision_id": item.revision_id}
            expected = [tuple(row) for row in connection.execute(quick._REVISION_DATA_ON_DRIVER.statement, revision)]
            assert quick._REVISION_DATA_ON_DRIVER.rows(driver, revision) == expected
            assert isinstance(expected[0][0], dict)  # the revision's JSON, decoded


def test_a_revisions_content_is_read_once_per_revision_and_content(app, items, monkeypatch):
    kept: dict = {}
    monkeypatch.setattr(quick, "_revision_data", kept)
    item = items[0]
    with db.engine.connect() as connection:
        data = quick.revision_data(connection, item.revision_id, item.revision.content_hash)
        assert data == item.revision.data and list(kept) == [(item.revision_id, item.revision.content_hash)]
        assert quick.revision_data(connection, item.revision_id, item.revision.content_hash) is data
        # The same id with other content (a bank deleted and loaded again) is read afresh.
        kept[item.revision_id, "other content"] = {"stale": True}
        assert quick.revision_data(connection, item.revision_id, "other content") == {"stale": True}
        kept.clear()
        assert quick.revision_data(connection, item.revision_id, "new content") == item.revision.data


@pytest.mark.parametrize("given", [None, 2, [0, 3], True, "98 seats", ["107", ""]])
def test_an_insert_stores_what_execute_would(app, items, student, given):
    by_driver, by_execute = items[0], items[1]
    now = utcnow().replace(microsecond=0) + timedelta(microseconds=1)

    def values(item) -> dict:
        return {"item_id": item.id, "user_id": student.id, "question_id": item.question_id,
                "revision_id": item.revision_id, "given": given, "is_correct": True, "score": 0.5, "answered_at": now}

    with db.engine.connect() as connection:
        connection.begin()
        DriverStatement(INSERT_RESPONSE).rows(connection, values(by_driver))
        connection.execute(INSERT_RESPONSE, values(by_execute))
        connection.commit()
    stored = {r.item_id: (r.given, r.is_correct, r.score, r.answered_at) for r in db.session.scalars(select(Response))}
    assert stored[by_driver.id] == stored[by_execute.id] == (given, True, 0.5, now)


def test_a_second_answer_to_an_item_is_the_drivers_integrity_error(app, items, student):
    item = items[0]
    values = {"item_id": item.id, "user_id": student.id, "question_id": item.question_id,
              "revision_id": item.revision_id, "given": 1, "is_correct": False, "score": 0.0, "answered_at": utcnow()}
    insert = DriverStatement(INSERT_RESPONSE)
    with DriverConnection(db.engine) as connection:
        insert.rows(connection, values)
        with pytest.raises(connection.IntegrityError):
            insert.rows(connection, values)


def test_what_a_driver_connection_does_not_commit_is_rolled_back_when_it_closes(app, items, student):
    item = items[0]
    values = {"item_id": item.id, "user_id": student.id, "question_id": item.question_id,
              "revision_id": item.revision_id, "given": 1, "is_correct": False, "score": 0.0, "answered_at": utcnow()}
    with DriverConnection(db.engine) as connection:
        DriverStatement(INSERT_RESPONSE).rows(connection, values)
    assert db.session.scalars(select(Response)).all() == []
    with DriverConnection(db.engine) as connection:
        DriverStatement(INSERT_RESPONSE).rows(connection, values)
        connection.commit()
    assert [response.item_id for response in db.session.scalars(select(Response))] == [item.id]


def test_finishing_an_attempt_on_the_driver_does_what_execute_does(app, items, student):
    now = utcnow().replace(microsecond=0)
    answers = [{"item_id": item.id, "user_id": student.id, "question_id": item.question_id,
                "revision_id": item.revision_id, "given": None, "is_correct": False, "score": 0.0,
                "answered_at": now} for item in items]
    finish = {"attempt_id": items[0].attempt_id, "now": now}
    with DriverConnection(db.engine) as connection:
        for values in answers[:-1]:
            DriverStatement(INSERT_RESPONSE).rows(connection, values)
        DriverStatement(FINISH_ATTEMPT).rows(connection, finish)  # one item still unanswered: not finished
        connection.commit()
    assert db.session.get(QuizAttempt, items[0].attempt_id).finished_at is None
    with DriverConnection(db.engine) as connection:
        DriverStatement(INSERT_RESPONSE).rows(connection, answers[-1])
        DriverStatement(FINISH_ATTEMPT).rows(connection, finish)
        connection.commit()
    db.session.expire_all()
    assert db.session.get(QuizAttempt, items[0].attempt_id).finished_at == now


def test_a_missed_question_is_queued_then_only_moved_earlier_on_a_connection(app, items, student):
    question_id, now = items[0].question_id, utcnow()
    with DriverConnection(db.engine) as connection:
        enqueue_missed(connection, student.id, question_id, now + timedelta(hours=1))
        enqueue_missed(connection, student.id, question_id, now)
        enqueue_missed(connection, student.id, question_id, now + timedelta(hours=2))
        connection.commit()
    cards = db.session.scalars(select(Card).where(Card.user_id == student.id)).all()
    assert [(c.question_id, c.due, c.version, c.origin) for c in cards] == [(question_id, now, 2, "missed")]


def test_a_float_column_is_read_as_execute_reads_it(app, student):
    """PostgreSQL's conversion of a Float column depends on the type the database reports for it."""
    retention = select(User.__table__.c.desired_retention, User.__table__.c.id).where(
        User.__table__.c.id == bindparam("user_id"))
    with db.engine.connect() as connection, DriverConnection(db.engine) as driver:
        expected = [tuple(row) for row in connection.execute(retention, {"user_id": student.id})]
        assert DriverStatement(retention).rows(driver, {"user_id": student.id}) == expected == [(0.9, student.id)]
