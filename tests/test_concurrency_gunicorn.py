"""Students at once against the production server: gunicorn, the project's config, three worker processes.

tests/test_concurrency.py runs the same kind of load on a threaded server in the test process; here every request
may land in another process with its own database connection, as in production. gunicorn starts once for the
module on a database of its own (a SQLite file, or a PostgreSQL database when the suite runs on one), and the
students are plain HTTP clients with their own cookies. Afterwards the database must hold exactly one response
per answered item and one review log per rated card, no request may have failed and the server log must be clean.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.extensions import db
from quizapp.models import Bank, Card, Question, Response, ReviewLog, User
from quizapp.quiz.service import start_quiz
from tests.concurrent_clients import Browser, at_once
from tests.conftest import FIXTURE_BANKS, PASSWORD, QUESTIONS, make_app
from tests.databases import PostgresDatabases, SQLiteDatabases
from tests.gunicorn_server import gunicorn, served_requests, server_errors
from tests.test_concurrency import Student, answer, answer_fields, log_in_all, rate

WORKERS = 3


@dataclass
class Served:
    """The running server's address, its log, and an app on the same database for setting up and checking."""

    address: tuple[str, int]
    app: Flask
    log: Path


@pytest.fixture(scope="module")
def served(databases: SQLiteDatabases | PostgresDatabases, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Served]:
    """gunicorn with WORKERS sync workers on a fresh database holding the fixture bank; stopped after the module."""
    folder = tmp_path_factory.mktemp("gunicorn")
    url = databases.fresh(folder)
    app = make_app(url, folder)
    try:
        with app.app_context():
            load_banks(db.session, check_paths([FIXTURE_BANKS / "bank"], QUESTIONS))
            db.engine.dispose()
        with gunicorn(url, folder / "gunicorn.log", WORKERS) as address:
            yield Served(address, app, folder / "gunicorn.log")
    finally:
        with app.app_context():
            db.engine.dispose()
        databases.drop(url)


def add_students(prefix: str, count: int, answers: int, ratings: int, new_per_day: int = 20) -> list[Student]:
    """Accounts written straight to the database, each with a quiz started and new cards to rate, not in the quiz."""
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.execute(insert(User), [
        {"email": f"{prefix}{number}@example.org", "display_name": f"Student {number}", "password_hash": hashed,
         "role": "student", "new_cards_per_day": new_per_day} for number in range(count)])
    bank = db.session.scalar(select(Bank))
    question_ids = list(db.session.scalars(select(Question.id).order_by(Question.id)))
    students = []
    for number, user in enumerate(db.session.scalars(
            select(User).where(User.email.like(f"{prefix}%")).order_by(User.id))):
        attempt = start_quiz(db.session, user, bank, None, answers, random.Random(number))
        asked = {item.question_id for item in attempt.items}
        students.append(Student(
            user.email, user.id, attempt.id,
            [(item.position, item.id, answer_fields(item.question.type, item.revision.data)) for item in attempt.items],
            random.Random(number).sample([q for q in question_ids if q not in asked], ratings)))
    db.session.commit()
    return students


def stored(students: list[Student]) -> tuple[Counter, Counter, dict[tuple[int, int], int]]:
    """The students' responses per item, review logs per (user, question) and card versions, as now stored."""
    db.session.remove()
    users = [s.user_id for s in students]
    responses = Counter(db.session.scalars(select(Response.item_id).where(Response.user_id.in_(users))))
    reviews = Counter(tuple(row) for row in db.session.execute(
        select(ReviewLog.user_id, ReviewLog.question_id).where(ReviewLog.user_id.in_(users))))
    versions = {(user_id, question_id): version for user_id, question_id, version in db.session.execute(
        select(Card.user_id, Card.question_id, Card.version).where(Card.user_id.in_(users)))}
    return responses, reviews, versions


def assert_served_cleanly(served: Served) -> None:
    """No request answered with a 5xx, nothing went wrong in the log, and more than one worker did the work."""
    requests = served_requests(served.log)
    assert [status for _pid, status in requests if status >= 500] == []
    assert server_errors(served.log) == []
    assert len({pid for pid, _status in requests}) > 1


def test_students_answer_double_submit_and_rate_at_once_across_workers(served: Served) -> None:
    with served.app.app_context():
        students = add_students("burst", 100, answers=2, ratings=2)
    log_in_all(served.address, students)

    def tab(student: Student, browser: Browser, second: bool) -> Callable[[], list[int]]:
        (first_item, second_item), (first_card, second_card) = student.items, student.to_rate

        def run() -> list[int]:
            # Both tabs send the first answer and the first rating (a double submission), then one thing each.
            statuses = [answer(browser, student, first_item[0], first_item[2]), rate(browser, first_card)]
            if second:
                return [*statuses, rate(browser, second_card)]
            return [*statuses, answer(browser, student, second_item[0], second_item[2])]
        return run

    tasks = [tab(s, browser, second) for s in students
             for browser, second in ((s.browser, False), (s.browser.twin(), True))]
    statuses = at_once(tasks)
    assert Counter(statuses) == {302: 3 * len(tasks)}
    assert_served_cleanly(served)

    with served.app.app_context():
        responses, reviews, versions = stored(students)
    assert responses == {item: 1 for s in students for _position, item, _fields in s.items}
    assert reviews == {(s.user_id, q): 1 for s in students for q in s.to_rate}
    assert all(versions[(s.user_id, q)] == 1 for s in students for q in s.to_rate)


def test_the_new_card_limit_holds_across_worker_processes(served: Served) -> None:
    with served.app.app_context():
        students = add_students("limit", 40, answers=1, ratings=2, new_per_day=1)
    log_in_all(served.address, students)
    # Two tabs per student rate two different new cards at once, with one new card left for the day.
    tasks = [lambda b=browser, q=question_id: [rate(b, q)] for s in students
             for browser, question_id in zip((s.browser, s.browser.twin()), s.to_rate, strict=True)]
    statuses = at_once(tasks)
    assert Counter(statuses) == {302: len(tasks)}
    assert_served_cleanly(served)

    with served.app.app_context():
        _responses, reviews, versions = stored(students)
    assert Counter(user_id for user_id, _question in reviews) == {s.user_id: 1 for s in students}
    assert set(reviews.values()) == {1} and sorted(versions) == sorted(reviews)
