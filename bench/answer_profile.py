"""Count what one request of the quiz loop costs: SQL statements and Python function calls, per page.

    python bench/answer_profile.py [--students 20] [--database-url URL] [--profile question|answer|feedback]

Runs in one process with Flask's test client on a fresh database (as bench/classroom.py builds it): every
student opens each question of a 31-question quiz, answers it and reads the feedback. Function calls are
counted by cProfile and do not depend on how busy the machine is, which makes them the figure to compare
before and after a change; --profile prints the cProfile table of one kind of request.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import secrets
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import event, select  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from bench.bare import app as bare_app  # noqa: E402
from bench.classroom_db import answer_fields, prepare  # noqa: E402
from quizapp import create_app  # noqa: E402
from quizapp.driver_sql import DriverStatement  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Question, QuestionRevision, QuizItem  # noqa: E402

# A logged-in page carries the session's token in its head (its forms name and order their fields in several
# ways); the login page in its form.
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(page: str) -> str:
    """The CSRF token a page carries."""
    found = _CSRF.search(page)
    return found.group(1) or found.group(2)
Visit = tuple[FlaskClient, str, int, int, list[tuple[str, str]]]


def visits(database_url: str, students: int) -> tuple[Flask, list[Visit]]:
    """The app, and logged-in clients with, for each item of their quizzes, the answer they will give."""
    plan = prepare(database_url, students, "profile password")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secrets.token_hex(32),
                      "SECURE_COOKIES": False})
    clients = {}
    for index in range(students):
        client = app.test_client()
        token = csrf_token(client.get("/auth/login").get_data(as_text=True))
        client.post("/auth/login", data={"csrf_token": token, "email": f"student{index:04d}@bench.example",
                                         "password": "profile password"})
        # Logging in starts a new CSRF token: take it from the page the login leads to.
        token = csrf_token(client.get("/").get_data(as_text=True))
        prefix = f"bank{plan.bank_id}-"
        started = client.post(f"/quiz/start/{plan.bank_id}", data={
            "csrf_token": token, prefix + "topic": plan.topic, prefix + "length": str(plan.length)})
        clients[int(re.search(r"/quiz/(\d+)/q/1$", started.headers["Location"]).group(1))] = (client, token)
    with app.app_context():
        rows = db.session.execute(
            select(QuizItem.attempt_id, QuizItem.position, QuizItem.choice_order, Question.type, QuestionRevision.data)
            .join(Question, Question.id == QuizItem.question_id)
            .join(QuestionRevision, QuestionRevision.id == QuizItem.revision_id)
        ).all()
        db.session.remove()
    return app, [(*clients[attempt], attempt, position, answer_fields(qtype, data, order, position % 3 != 0))
                 for attempt, position, order, qtype, data in rows if qtype != "flashcard"]


def question(visit: Visit) -> None:
    client, _, attempt, position, _ = visit
    assert client.get(f"/quiz/{attempt}/q/{position}").status_code == 200


def answer(visit: Visit) -> None:
    client, token, attempt, position, fields = visit
    assert client.post(f"/quiz/{attempt}/q/{position}", data=MultiDict([("csrf_token", token), *fields])
                       ).status_code == 302


def bare(visit: Visit) -> None:
    _, token, _, _, fields = visit
    assert bare_client.post("/", data=MultiDict([("csrf_token", token), *fields])).status_code == 200


bare_client = bare_app.test_client()


def measure(name: str, action: Callable[[Visit], None], planned: list[Visit], statements: list[str],
            show: bool) -> None:
    """Run one kind of request for every visit; print statements and function calls per request."""
    statements.clear()
    profile = cProfile.Profile()
    profile.enable()
    for visit in planned:
        action(visit)
    profile.disable()
    stats = pstats.Stats(profile, stream=io.StringIO() if not show else sys.stdout)
    print(f"{name:22} {len(statements) / len(planned):5.1f} SQL statements {stats.total_calls / len(planned):8.0f} "
          f"function calls per request")
    if show:
        stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    parser.add_argument("--profile", choices=("question", "answer", "feedback"))
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='quizapp-profile-')) / 'profile.sqlite3'}"
    app, planned = visits(url, args.students)
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *call: statements.append(call[2]))
    # Statements run on the driver's cursor (the quick answer path) pass no SQLAlchemy event: count them here.
    on_driver = DriverStatement.rows
    DriverStatement.rows = lambda self, connection, params: (statements.append("driver"),  # type: ignore
                                                             on_driver(self, connection, params))[1]
    print(f"{len(planned)} requests of each kind, test client in one process")
    measure("bare Flask POST", bare, planned, statements, False)
    measure("question page GET", question, planned, statements, args.profile == "question")
    measure("answer POST", answer, planned, statements, args.profile == "answer")
    measure("feedback page GET", question, planned, statements, args.profile == "feedback")


if __name__ == "__main__":
    main()
