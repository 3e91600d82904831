"""The classroom benchmark's database side: build it fresh, read the quizzes back, check what was stored."""

from __future__ import annotations

import os
import platform
import random
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, insert, inspect, select, text

from quizapp import create_app
from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionRevision, QuizItem, Response, User

ROOT = Path(__file__).resolve().parents[1]
BANK_SLUG = "referendum-2022"
# Share of students who pick the right answer; the others trigger the review-queue write of a missed question.
RIGHT_SHARE = 0.7
Answer = tuple[int, list[tuple[str, str]]]


@dataclass(frozen=True)
class Plan:
    """What every student's quiz is made of: one topic, all of its questions, one shared single-choice one."""

    bank_id: int
    topic: str
    length: int
    question_id: int


@contextmanager
def bench_app(database_url: str) -> Iterator[Flask]:
    """An app context on the benchmark database, outside any server."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "TESTING": True,
                      "QUESTIONS_DIR": str(ROOT / "questions"), "INSTANCE_PATH": str(ROOT / "instance")})
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def prepare(database_url: str, students: int, password: str) -> Plan:
    """Migrate the empty database, load the banks, add the students and choose the quiz everyone takes."""
    with bench_app(database_url):
        if inspect(db.engine).get_table_names():
            raise SystemExit(f"{database_url} is not empty: give the benchmark a database of its own")
        upgrade()
        result = check_paths([ROOT / "questions"], ROOT / "questions")
        load_banks(db.session, result)
        # One PBKDF2 round: the students' passwords are checked at login like any other, only cheaply.
        from werkzeug.security import generate_password_hash

        hashed = generate_password_hash(password, method="pbkdf2:sha256:1")
        db.session.execute(insert(User), [
            {"email": f"student{i:04d}@bench.example", "display_name": f"Student {i}", "password_hash": hashed,
             "role": "student"} for i in range(students)])
        db.session.commit()
        return _choose_plan()


def _choose_plan() -> Plan:
    """The largest topic that fits in one quiz and holds a single-choice question."""
    bank = db.session.scalar(select(Bank).where(Bank.slug == BANK_SLUG))
    limit = 50
    counts = db.session.execute(
        select(Question.topic, func.count(), func.sum((Question.type == "single_choice").cast(db.Integer)))
        .where(Question.bank_id == bank.id, Question.retired_at.is_(None))
        .group_by(Question.topic).order_by(Question.topic)
    ).all()
    fitting = [(count, topic) for topic, count, single in counts if count <= limit and single]
    count, topic = max(fitting)
    question_id = db.session.scalar(
        select(Question.id).where(Question.bank_id == bank.id, Question.topic == topic,
                                  Question.type == "single_choice", Question.retired_at.is_(None))
        .order_by(Question.key).limit(1))
    return Plan(bank.id, topic, count, question_id)


def answer_fields(qtype: str, data: dict[str, Any], order: list[int] | None, right: bool) -> list[tuple[str, str]]:
    """Form fields that answer a question of any type, right or wrong."""
    if qtype in ("single_choice", "multiple_response"):
        shown = order or list(range(len(data["choices"])))
        picked = [p for p, index in enumerate(shown) if (index in data["correct"]) == right][:1] or [0]
        return [("answer", str(picked[0]))]
    if qtype == "true_false":
        return [("answer", "true" if data["answer"] is right else "false")]
    if qtype == "numeric":
        return [("answer", f"{data['answer']} {data.get('unit') or ''}".strip() if right else "-1")]
    if qtype == "short_text":
        return [("answer", data["answers"][0] if right else "not this")]
    if qtype == "cloze":
        return [(f"blanks-{i}", blank[0] if right else "x") for i, blank in enumerate(data["blanks"])]
    return []


def quiz_items(database_url: str, plan: Plan, attempt_ids: list[int],
               seed: int = 7) -> list[tuple[Answer, list[Answer]]]:
    """Per attempt: the shared question's position and answer, then those of the other items in order."""
    rng = random.Random(seed)
    with bench_app(database_url):
        rows = db.session.execute(
            select(QuizItem.attempt_id, QuizItem.position, QuizItem.question_id, QuizItem.choice_order,
                   Question.type, QuestionRevision.data)
            .join(Question, Question.id == QuizItem.question_id)
            .join(QuestionRevision, QuestionRevision.id == QuizItem.revision_id)
            .where(QuizItem.attempt_id.in_(attempt_ids)).order_by(QuizItem.attempt_id, QuizItem.position)
        ).all()
    by_attempt: dict[int, list[Any]] = {}
    for row in rows:
        by_attempt.setdefault(row.attempt_id, []).append(row)
    plans = []
    for attempt_id in attempt_ids:
        answers = {row.question_id: (row.position, answer_fields(row.type, row.data, row.choice_order,
                                                                 rng.random() < RIGHT_SHARE))
                   for row in by_attempt[attempt_id]}
        shared = answers.pop(plan.question_id)
        plans.append((shared, list(answers.values())))
    return plans


def check_answers(database_url: str, acknowledged: set[tuple[int, int]]) -> tuple[int, int, int, int]:
    """Acknowledged answers, how many of them are stored, items stored more than once, and stored extras."""
    with bench_app(database_url):
        stored = db.session.execute(
            select(QuizItem.attempt_id, QuizItem.position, func.count(Response.id))
            .join(Response, Response.item_id == QuizItem.id)
            .group_by(QuizItem.attempt_id, QuizItem.position)
        ).all()
    counts = {(attempt, position): count for attempt, position, count in stored}
    found = sum(1 for key in acknowledged if counts.get(key, 0) >= 1)
    duplicated = sum(1 for count in counts.values() if count > 1)
    unacknowledged = sum(1 for key in counts if key not in acknowledged)
    return len(acknowledged), found, duplicated, unacknowledged


def machine(database_url: str, workers: int, threads: int, worker_class: str) -> str:
    """Where and how the figures were taken: CPU, memory, OS, Python, database and gunicorn settings."""
    cpu = "unknown CPU"
    with suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), cpu)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with bench_app(database_url):
        engine = db.engine
        if engine.dialect.name == "sqlite":
            version = "SQLite " + db.session.scalar(text("select sqlite_version()"))
        else:
            version = "PostgreSQL " + db.session.scalar(text("show server_version"))
    return (f"machine: {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {_os_name()}, "
            f"Python {platform.python_version()}, {version}\n"
            f"gunicorn: {workers} workers x {threads} threads ({worker_class})")


def _os_name() -> str:
    with suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    return platform.platform()
