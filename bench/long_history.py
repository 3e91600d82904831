"""Time the pages of a student with a long history and an instructor with big classes, and count their statements.

    python bench/long_history.py [--runs 5] [--scale 1.0] [--database-url URL] [--only WORD ...]

Builds a fresh database with the project's migrations (a temporary SQLite file unless a URL is given), loads
the project's banks and source texts, then writes the rest directly as rows:

- 20 public banks of 500 questions each, their content copied from the project's questions;
- a heavy student after two years of daily study: 3,000 cards, 60,000 review logs, 500 finished practice
  quizzes of 10 answers each, and a study streak of 700 days (time zone Asia/Almaty);
- a light student with a tenth of that history (300 cards, 6,000 logs, 50 quizzes, a 70-day streak);
- a heavy instructor with 10 classes of 60 students and 30 assignments each, every student having handed
  in one attempt of 5 answers at every assignment;
- a light instructor with one class of 6 students and 3 assignments.

On PostgreSQL the tables are analysed once built. --scale multiplies the heavy figures (0.1 for a quick
run). Each page is fetched --runs times through Flask's test client after a warm-up fetch, logged in as the one
who reads it; a before_cursor_execute listener counts the SQL statements of a fetch. The table gives, for the
light and the heavy account, the median time and the statements: a page whose statements or time grow from
light to heavy grows with the history.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402

from bench.instructor_reports import given_for  # noqa: E402
from quizapp import create_app  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import (  # noqa: E402
    Assignment,
    Bank,
    Card,
    Classroom,
    Membership,
    Question,
    QuestionRevision,
    QuizAttempt,
    QuizItem,
    Response,
    ReviewLog,
    SourceDocument,
    User,
)
from quizapp.models.user import hash_password  # noqa: E402

PASSWORD = "bench password"
ZONE = ZoneInfo("Asia/Almaty")
CHUNK = 5000
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# Flashcards are answered by self-grading; the quizzes here hold the types a student answers in a form.
ANSWERED_TYPES = ("single_choice", "multiple_response", "true_false", "numeric", "short_text", "cloze")


class Ids:
    """Explicit ids for rows written in bulk, so that later rows can point at them."""

    def __init__(self) -> None:
        self.next: dict[type, int] = {}

    def take(self, model: type, count: int = 1) -> int:
        """The first of `count` fresh ids of that model's table."""
        if model not in self.next:
            self.next[model] = (db.session.scalar(select(func.max(model.id))) or 0) + 1
        first = self.next[model]
        self.next[model] += count
        return first


def write(model: type, rows: list[dict]) -> None:
    """Insert the rows in chunks, as plain Core inserts."""
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start:start + CHUNK])


def build_banks(ids: Ids, banks: int, per_bank: int, now: datetime) -> list[list[tuple[int, int, str, dict]]]:
    """Public banks of questions copied from the loaded ones; per bank, (question, revision, type, data) rows."""
    models = db.session.execute(
        select(Question.type, Question.topic, Question.section, QuestionRevision.data)
        .join(QuestionRevision, QuestionRevision.question_id == Question.id)
        .where(Question.type.in_(ANSWERED_TYPES)).order_by(Question.id)
    ).all()
    made = []
    for number in range(banks):
        bank_id = ids.take(Bank)
        write(Bank, [{"id": bank_id, "slug": f"bench-{number:02d}", "title": f"Bench bank {number:02d}",
                      "description": "Questions for the benchmark.", "is_public": True, "is_published": True,
                      "practice_open": True, "origin": "", "created_at": now, "updated_at": now}])
        first_q, first_r = ids.take(Question, per_bank), ids.take(QuestionRevision, per_bank)
        questions, revisions, rows = [], [], []
        for n in range(per_bank):
            qtype, topic, section, data = models[n % len(models)]
            questions.append({"id": first_q + n, "bank_id": bank_id, "key": f"q{n:04d}", "type": qtype,
                              "topic": topic, "difficulty": "recall", "section": section, "tags": [],
                              "revision": 1})
            revisions.append({"id": first_r + n, "question_id": first_q + n, "number": 1,
                              "content_hash": f"{bank_id:032d}{n:032d}", "data": data, "created_at": now})
            rows.append((first_q + n, first_r + n, qtype, data))
        write(Question, questions)
        write(QuestionRevision, revisions)
        made.append(rows)
    return made


def add_user(ids: Ids, email: str, name: str, role: str, now: datetime, timezone: str = "UTC") -> int:
    """An account that can log in with PASSWORD."""
    user_id = ids.take(User)
    write(User, [{"id": user_id, "email": email, "display_name": name, "password_hash": hash_password(PASSWORD),
                  "role": role, "created_at": now - timedelta(days=800), "timezone": timezone,
                  "new_cards_per_day": 20, "desired_retention": 0.9, "again_good_only": False,
                  "session_version": 0}])
    return user_id


def local_moment(now: datetime, days_ago: int, rng: random.Random) -> datetime:
    """A moment on the local day `days_ago` days before now's, never after now."""
    midnight = now.astimezone(ZONE).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)
    span = (now - midnight).total_seconds() if days_ago == 0 else 86_000
    return (midnight + timedelta(seconds=rng.uniform(0, span))).astimezone(UTC)


def add_quiz(ids: Ids, user_id: int, bank_id: int, drawn: list[tuple[int, int, str, dict]], started: datetime,
             rng: random.Random, assignment_id: int | None = None, number: int | None = None) -> tuple[list, list]:
    """A finished attempt with every item answered, seven in ten right; returns its item and answer rows."""
    attempt_id = ids.take(QuizAttempt)
    write(QuizAttempt, [{"id": attempt_id, "user_id": user_id, "bank_id": bank_id, "topic": None,
                         "started_at": started, "finished_at": started + timedelta(minutes=len(drawn)),
                         "assignment_id": assignment_id, "number": number, "deadline_at": None,
                         "is_late": False}])
    first = ids.take(QuizItem, len(drawn))
    items, answers = [], []
    for position, (question_id, revision_id, qtype, data) in enumerate(drawn, start=1):
        right = rng.random() < 0.7
        items.append({"id": first + position - 1, "attempt_id": attempt_id, "position": position,
                      "question_id": question_id, "revision_id": revision_id,
                      "choice_order": list(range(len(data["choices"]))) if "choices" in data else None})
        answers.append({"item_id": first + position - 1, "user_id": user_id, "question_id": question_id,
                        "revision_id": revision_id, "given": given_for(qtype, data, right), "is_correct": right,
                        "score": 1.0 if right else 0.0, "answered_at": started + timedelta(minutes=position)})
    return items, answers


def build_student(ids: Ids, email: str, banks: list, cards: int, logs: int, quizzes: int, streak: int,
                  now: datetime, rng: random.Random) -> tuple[int, int]:
    """A student with that history; returns the account id and the id of one finished quiz."""
    user_id = add_user(ids, email, email.split("@")[0], "student", now, "Asia/Almaty")
    pool = [row for bank in banks for row in bank]
    studied = pool[:cards]
    first_card = ids.take(Card, cards)
    card_rows = []
    for n, (question_id, _, _, _) in enumerate(studied):
        overdue = rng.random() < 0.05
        card_rows.append({"id": first_card + n, "user_id": user_id, "question_id": question_id, "state": 2,
                          "step": None, "stability": rng.uniform(1, 300), "difficulty": rng.uniform(1, 10),
                          "due": now + timedelta(days=-rng.uniform(0, 5) if overdue else rng.uniform(0, 365)),
                          "last_review": now - timedelta(days=rng.uniform(0, 60)), "version": 1, "origin": "new",
                          "created_at": now - timedelta(days=730)})
    write(Card, card_rows)
    # Reviews on every day of the streak (and a gap the day before it), then older ones before the gap.
    days = [d for d in range(streak + 30) if d != streak]
    log_rows = []
    for n in range(logs):
        card = rng.randrange(cards)
        log_rows.append({"card_id": first_card + card, "user_id": user_id, "question_id": studied[card][0],
                         "revision_id": studied[card][1], "rating": rng.choice((1, 2, 3, 3, 3, 4)),
                         "state_before": rng.choice((None, 1, 2, 2, 2, 3)),
                         "reviewed_at": local_moment(now, days[n % len(days)], rng), "duration_ms": 4000})
    write(ReviewLog, log_rows)
    items, answers, first_attempt = [], [], None
    for n in range(quizzes):
        bank = banks[n % len(banks)]
        attempt_items, attempt_answers = add_quiz(
            ids, user_id, bank_id_of(bank), rng.sample(bank, 10),
            local_moment(now, 1 + n * (streak - 2) // max(quizzes, 1), rng) - timedelta(minutes=15), rng)
        first_attempt = first_attempt or attempt_items[0]["attempt_id"]
        items += attempt_items
        answers += attempt_answers
    write(QuizItem, items)
    write(Response, answers)
    db.session.commit()
    return user_id, first_attempt


def bank_id_of(bank: list[tuple[int, int, str, dict]]) -> int:
    """The bank of a list of question rows."""
    return db.session.scalar(select(Question.bank_id).where(Question.id == bank[0][0]))


def build_instructor(ids: Ids, email: str, banks: list, classes: int, students: int, assignments: int,
                     questions: int, now: datetime, rng: random.Random) -> tuple[int, int, int, int]:
    """An instructor's classes and their work; returns the instructor, one class, its first student and
    its first assignment."""
    teacher_id = add_user(ids, email, "Teacher " + email.split("@")[0], "instructor", now)
    prefix = email.split("@")[0]
    first_class = None
    for number in range(classes):
        class_id = ids.take(Classroom)
        write(Classroom, [{"id": class_id, "name": f"Class {number + 1}", "join_code": f"{prefix[:6]}{class_id:08d}",
                           "joining_open": True, "created_at": now - timedelta(days=200)}])
        members = [{"classroom_id": class_id, "user_id": teacher_id, "role": "instructor", "joined_at": now}]
        pupils = [add_user(ids, f"{prefix}-c{number}-s{n}@bench.example", f"Student {number}-{n}", "student",
                           now) for n in range(students)]
        members += [{"classroom_id": class_id, "user_id": p, "role": "student", "joined_at": now} for p in pupils]
        write(Membership, members)
        first_assignment = ids.take(Assignment, assignments)
        work = []
        for n in range(assignments):
            bank = banks[(number + n) % len(banks)]
            work.append({"id": first_assignment + n, "classroom_id": class_id, "bank_id": bank_id_of(bank),
                         "title": f"Week {n + 1}", "selection": "all", "topics": [], "tags": [],
                         "question_ids": [], "draw_count": questions, "shuffle_choices": True,
                         "opens_at": None, "due_at": now - timedelta(days=assignments - n), "attempt_limit": None,
                         "time_limit_minutes": None, "feedback_policy": "each", "late_policy": "refuse",
                         "grading": "best", "created_at": now - timedelta(days=200), "created_by": teacher_id})
        write(Assignment, work)
        items, answers = [], []
        for n, assignment in enumerate(work):
            bank = banks[(number + n) % len(banks)]
            for pupil in pupils:
                attempt_items, attempt_answers = add_quiz(
                    ids, pupil, assignment["bank_id"], rng.sample(bank, questions),
                    assignment["due_at"] - timedelta(hours=rng.uniform(1, 48)), rng, assignment["id"], 1)
                items += attempt_items
                answers += attempt_answers
        write(QuizItem, items)
        write(Response, answers)
        if first_class is None:
            first_class = (class_id, pupils[0], first_assignment)
        db.session.commit()
    return (teacher_id, *first_class)


def build(scale: float, now: datetime) -> dict:
    """Every account and page; returns, per reader, their email and the pages to fetch (light, heavy)."""
    rng = random.Random(7)
    ids = Ids()
    banks = build_banks(ids, 20, 500, now)
    db.session.commit()
    heavy, light = {}, {}
    for name, factor, store in (("heavy", scale, heavy), ("light", scale / 10, light)):
        student, quiz = build_student(ids, f"{name}-student@bench.example", banks, round(3000 * factor),
                                      round(60_000 * factor), round(500 * factor), round(700 * factor), now, rng)
        store["student"] = (f"{name}-student@bench.example", quiz)
    teacher, class_id, pupil, assignment = build_instructor(
        ids, "heavy-teacher@bench.example", banks, max(1, round(10 * scale)), max(1, round(60 * scale)),
        max(1, round(30 * scale)), 5, now, rng)
    heavy["teacher"] = ("heavy-teacher@bench.example", class_id, pupil, assignment)
    teacher, class_id, pupil, assignment = build_instructor(
        ids, "light-teacher@bench.example", banks, 1, max(1, round(6 * scale)), max(1, round(3 * scale)), 5, now,
        rng)
    light["teacher"] = ("light-teacher@bench.example", class_id, pupil, assignment)
    if db.engine.dialect.name == "postgresql":
        # Rows were written with explicit ids: move each sequence past them for the rows the pages add.
        for model in ids.next:
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{model.__tablename__}', 'id'), "
                                    f"(SELECT max(id) FROM \"{model.__tablename__}\"))"))
        db.session.commit()
        # As autovacuum would soon after such a load: without statistics the planner guesses, and the pages'
        # times would measure its guesses.
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return {"light": light, "heavy": heavy, "bank": bank_id_of(banks[0]),
            "document": db.session.scalar(select(SourceDocument.id).order_by(SourceDocument.id))}


def pages_of(built: dict, size: str) -> dict[str, tuple[str, str, str, dict | None]]:
    """Page name: (reader's email, method, path, form)."""
    email, quiz = built[size]["student"]
    teacher, class_id, pupil, assignment = built[size]["teacher"]
    bank = built["bank"]
    return {
        "progress page": (email, "GET", "/progress/", None),
        "study page": (email, "GET", "/study/", None),
        "study settings": (email, "GET", "/study/settings", None),
        "quiz results": (email, "GET", f"/quiz/{quiz}/results", None),
        "API /me/progress": (email, "GET", "/api/v1/me/progress", None),
        "API /me/due": (email, "GET", "/api/v1/me/due", None),
        "home page": (email, "GET", "/", None),
        "start a quiz (POST)": (email, "POST", f"/quiz/start/{bank}",
                                {f"bank{bank}-topic": "", f"bank{bank}-length": "10"}),
        "sources": (email, "GET", "/sources/", None),
        "a source text": (email, "GET", f"/sources/{built['document']}", None),
        "classes page": (teacher, "GET", "/classes/", None),
        "class page": (teacher, "GET", f"/classes/{class_id}", None),
        "gradebook": (teacher, "GET", f"/classes/{class_id}/gradebook", None),
        "gradebook CSV": (teacher, "GET", f"/classes/{class_id}/grades.csv", None),
        "a student's work": (teacher, "GET", f"/classes/{class_id}/students/{pupil}", None),
        "assignment page": (teacher, "GET", f"/classes/{class_id}/assignments/{assignment}", None),
    }


def measure(app, clients: dict, statements: list, page: tuple, runs: int) -> tuple[float, int]:
    """Median milliseconds and the statements of one fetch."""
    email, method, path, form = page
    client = clients.get(email)
    if client is None:
        client = clients[email] = app.test_client()
        token = _CSRF.search(client.get("/auth/login").get_data(as_text=True)).group(1)
        assert client.post("/auth/login", data={"csrf_token": token, "email": email,
                                                "password": PASSWORD}).status_code == 302, email

    def fetch():
        data = None
        if form is not None:
            home = client.get("/").get_data(as_text=True)
            name = next(iter(form)).split("-")[0] + "-csrf_token"
            data = dict(form, **{name: re.search(f'name="{name}"[^>]*value="([^"]+)"', home).group(1)})
        statements.clear()
        begun = time.perf_counter()
        response = client.open(path, method=method, data=data)
        elapsed = (time.perf_counter() - begun) * 1000
        assert response.status_code in (200, 302), (path, response.status_code)
        return elapsed, len(statements)

    fetch()  # templates compiled, caches warm
    samples = [fetch() for _ in range(runs)]
    return statistics.median(t for t, _ in samples), max(n for _, n in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    parser.add_argument("--only", nargs="*", default=[], help="measure only the pages whose name holds a WORD")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='quizapp-history-')) / 'history.sqlite3'}"
    # Password hashing is the same for every page timed here and only slows the building down.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32), "SECURE_COOKIES": False,
                      "RATELIMIT_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    started = time.perf_counter()
    with app.app_context():
        upgrade()
    app.test_cli_runner().invoke(args=["questions", "load"])
    with app.app_context():
        built = build(args.scale, datetime.now(UTC))
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *call: statements.append(call[2]))
    print(f"Built in {time.perf_counter() - started:.0f} s on {url.split(':')[0]}, scale {args.scale}")
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}")
    clients: dict = {}
    light, heavy = pages_of(built, "light"), pages_of(built, "heavy")
    print(f"{'page':24} {'light ms':>9} {'stmts':>6} {'heavy ms':>9} {'stmts':>6} {'heavy/light':>12}")
    for name in light:
        if args.only and not any(word in name for word in args.only):
            continue
        light_ms, light_count = measure(app, clients, statements, light[name], args.runs)
        heavy_ms, heavy_count = measure(app, clients, statements, heavy[name], args.runs)
        print(f"{name:24} {light_ms:9.1f} {light_count:6d} {heavy_ms:9.1f} {heavy_count:6d} "
              f"{heavy_ms / light_ms:12.1f}", flush=True)


if __name__ == "__main__":
    main()
