"""Time what an instructor reads for a large class: the gradebook, its two CSV exports, item statistics and a
question's own page with every answer typed to it.

    python bench/instructor_reports.py [--students 300] [--assignments 4] [--runs 7] [--database-url URL]

Builds a fresh database with the project's migrations (a temporary SQLite file unless a URL is given) and
loads the project's banks. One class takes --assignments assignments of 20 questions each, drawn from the
referendum bank; every student hands in one or two attempts at each, answering seven in ten right. Then each
page is fetched --runs times through Flask's test client, logged in as the class's instructor, and the median
time is printed with the statements it ran, its size, and its ratio to the assignment's own page. The question's
page is that of the cloze question the first assignment drew most often.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.auth.accounts import register_user  # noqa: E402
from quizapp.classroom.assignments import start_attempt  # noqa: E402
from quizapp.classroom.membership import create_class, join_class  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Assignment, Bank, Question, QuizAttempt, QuizItem, Response, Role  # noqa: E402
from quizapp.models.types import utcnow  # noqa: E402
from quizapp.quiz.deadlines import submit_attempt  # noqa: E402
from quizapp.quiz.service import submit_answer  # noqa: E402

PASSWORD = "bench password"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def answer_for(item: QuizItem, right: bool) -> object:
    """An answer to the item in the checkers' terms, right or wrong."""
    return given_for(item.question.type, item.revision.data, right)


def given_for(qtype: str, data: dict, right: bool) -> object:
    """An answer to a question of that type and content in the checkers' terms, right or wrong."""
    if qtype == "single_choice":
        return data["correct"][0] if right else next(i for i in range(len(data["choices"])) if i not in data["correct"])
    if qtype == "multiple_response":
        return sorted(data["correct"]) if right else []
    if qtype == "true_false":
        return data["answer"] if right else not data["answer"]
    if qtype == "numeric":
        return f"{data['answer']:g}" if right else "-1"
    if qtype == "short_text":
        return data["answers"][0] if right else "no idea"
    return [blank[0] if right else "no idea" for blank in data["blanks"]]


def build(students: int, assignments: int, rng: random.Random) -> tuple[str, int, list[int]]:
    """The class and its work; returns the instructor's email, the class id and the assignment ids."""
    session = db.session
    teacher = register_user(session, "teacher@bench.example", "Bench Teacher", PASSWORD, Role.INSTRUCTOR)
    classroom = create_class(session, teacher, "Lecture hall")
    bank = session.scalar(select(Bank).where(Bank.slug == "referendum-2022"))
    work = [Assignment(classroom_id=classroom.id, bank_id=bank.id, title=f"Week {n + 1}", draw_count=20,
                       created_by=teacher.id) for n in range(assignments)]
    session.add_all(work)
    session.flush()
    for index in range(students):
        student = register_user(session, f"student{index:04d}@bench.example", f"Student {index:04d}", PASSWORD)
        join_class(session, student, classroom.join_code)
        for assignment in work:
            for _ in range(rng.choice((1, 1, 2))):
                attempt = start_attempt(session, assignment, student, utcnow())
                for item in attempt.items:
                    submit_answer(session, item, answer_for(item, rng.random() < 0.7))
                submit_attempt(attempt, utcnow())
        if index % 50 == 49:
            session.commit()
    session.commit()
    return teacher.email, classroom.id, [a.id for a in work]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--assignments", type=int, default=4)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='quizapp-reports-')) / 'reports.sqlite3'}"
    # Password hashing is the same for every page timed here and only slows the building down.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32), "SECURE_COOKIES": False,
                      "RATELIMIT_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    started = time.perf_counter()
    with app.app_context():
        upgrade()
    app.test_cli_runner().invoke(args=["questions", "load"])
    with app.app_context():
        email, class_id, assignment_ids = build(args.students, args.assignments, random.Random(1))
        responses = db.session.scalar(select(func.count()).select_from(Response))
        cloze = db.session.scalar(
            select(QuizItem.question_id).join(QuizAttempt, QuizAttempt.id == QuizItem.attempt_id)
            .join(Question, Question.id == QuizItem.question_id)
            .where(QuizAttempt.assignment_id == assignment_ids[0], Question.type == "cloze")
            .group_by(QuizItem.question_id).order_by(func.count().desc(), QuizItem.question_id).limit(1))
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *call: statements.append(call[2]))
    print(f"Built a class of {args.students} students, {args.assignments} assignments and {responses:,} answers "
          f"in {time.perf_counter() - started:.0f} s")

    client = app.test_client()
    token = _CSRF.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    client.post("/auth/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    first = f"/classes/{class_id}/assignments/{assignment_ids[0]}"
    pages = {"assignment page (the unit)": first, "class page": f"/classes/{class_id}",
             "gradebook": f"/classes/{class_id}/gradebook", "grades CSV": f"/classes/{class_id}/grades.csv",
             "every response CSV": f"/classes/{class_id}/responses.csv", "item statistics": first + "/statistics",
             "a question's page": f"{first}/questions/{cloze}"}
    results = {}
    for name, path in pages.items():
        assert client.get(path).status_code == 200, path  # templates compiled, caches warm
        times = []
        for _ in range(args.runs):
            statements.clear()
            begun = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - begun) * 1000)
        results[name] = (statistics.median(times), len(statements), len(response.data))
    unit = results["assignment page (the unit)"][0]
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, {url.split(':')[0]}")
    print(f"{'':28} {'p50 ms':>8} {'statements':>11} {'KiB':>7} {'p50/unit':>9}")
    for name, (median, count, size) in results.items():
        print(f"{name:28} {median:8.1f} {count:11d} {size // 1024:7d} {median / unit:9.1f}")


if __name__ == "__main__":
    main()
