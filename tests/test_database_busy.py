"""When another write holds SQLite past its busy timeout, an answer or an upload is refused with a 503 that says
to send it again (JSON under /api), nothing of it is written, and sending the same form again then works."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy import event, func, select

from quizapp.extensions import db
from quizapp.failures import database_busy
from quizapp.models import Bank, Question, QuizItem, Response
from quizapp.quiz.routes import ANSWER_NOT_SAVED
from tests.conftest import csrf_from, login
from tests.test_api import bank_id, bearer, json_answer, start, token  # noqa: F401 - fixtures
from tests.test_api_document import Document
from tests.test_quiz_flow import item_at
from tests.test_quiz_flow import start as start_quiz
from tests.test_uploads import GOOD_BANK, upload


@pytest.fixture
def short_wait(app: Flask) -> None:
    """The app's connections give up on a lock after a tenth of a second rather than ten."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("holds SQLite's write lock")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    event.listen(db.engine, "connect", lambda connection, _record: connection.execute("PRAGMA busy_timeout=100"))
    db.session.commit()
    db.engine.dispose()


@contextmanager
def write_held() -> Iterator[None]:
    """Another connection holds the database's write lock until the block ends."""
    other = sqlite3.connect(db.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def responses() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Response))


def test_an_answer_sent_while_the_database_is_busy_comes_back_typed_and_can_be_sent_again(
        app, logged_in, fixture_bank, short_wait) -> None:
    quiz = start_quiz(logged_in).location
    item = db.session.scalar(select(QuizItem).join(Question).where(Question.type == "short_text"))
    question = quiz.replace("/q/1", f"/q/{item.position}")
    form = {"csrf_token": csrf_from(logged_in.get(question).get_data(as_text=True)), "answer": "Mazhilis & Senate"}
    db.session.remove()
    with write_held():
        refused = logged_in.post(question, data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "10"
    assert str(escape(ANSWER_NOT_SAVED)) in html and 'value="Mazhilis &amp; Senate"' in html
    assert "locked" not in html and responses() == 0
    # The page holds the answer and a token: sent again, it is recorded once.
    again = {"csrf_token": csrf_from(html), "answer": "Mazhilis & Senate"}
    assert logged_in.post(question, data=again).status_code == 302 and responses() == 1
    assert logged_in.post(question, data=again).status_code == 302 and responses() == 1


def test_an_upload_sent_while_the_database_is_busy_loads_nothing(app, instructor, short_wait) -> None:
    teacher = app.test_client()
    login(teacher, instructor.email)
    with write_held():
        refused = upload(teacher, "civics.yaml", GOOD_BANK.encode())
    assert refused.status_code == 503 and "nothing you sent was saved" in refused.get_data(as_text=True)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Bank)) == 0
    assert upload(teacher, "civics.yaml", GOOD_BANK.encode()).status_code == 302


def test_an_api_answer_sent_while_the_database_is_busy_is_a_503_in_json(
        app, client, token, bank_id, short_wait) -> None:  # noqa: F811 - fixtures
    quiz = start(client, bank_id, bearer(token)).get_json()
    body = {"answer": json_answer(item_at(1))}
    db.session.remove()
    address = f"/api/v1/quizzes/{quiz['id']}/items/1/answer"
    with write_held():
        refused = client.post(address, json=body, headers=bearer(token))
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "10"
    assert refused.get_json()["error"]["status"] == 503 and responses() == 0
    assert "Retry-After" in refused.get_json()["error"]["message"]  # not a browser's Back button
    document = Document(client.get("/api/v1/openapi.json").get_json())
    assert document.problems("/quizzes/{attempt_id}/items/{position}/answer", "POST", refused) == []
    assert client.post(address, json=body, headers=bearer(token)).status_code == 200 and responses() == 1


def test_only_a_busy_database_is_told_apart() -> None:
    locked = sqlite3.connect(":memory:")
    locked.execute("CREATE TABLE t (x)")
    with pytest.raises(sqlite3.OperationalError) as missing:
        locked.execute("SELECT * FROM nowhere")
    assert not database_busy(missing.value) and not database_busy(RuntimeError("database is locked"))
