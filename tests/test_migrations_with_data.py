"""A school's rows survive every migration: rows put in with plain SQL at the revision where each table appears are
intact and usable by the app after `flask db upgrade`, and downgrading with them present keeps what the older
schema can hold."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import JSON, Connection, bindparam, inspect, text
from werkzeug.security import generate_password_hash

from quizapp.banks.checker import CheckResult, ParsedQuestion, check_paths, content_hash
from quizapp.banks.loader import load_banks
from quizapp.extensions import db
from tests.conftest import FIXTURE_BANKS, PASSWORD, QUESTIONS, login, make_app

API = "/api/v1"
STUDENT_TOKEN = "qz_student-script-token-from-before-the-upgrade"
TEACHER_TOKEN = "qz_teacher-script-token-from-before-the-upgrade"
# Naive UTC, as the app stores times; the rows were written a while before the upgrade.
NOW = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
EARLIER = NOW - timedelta(days=20)


@pytest.fixture
def empty_database(databases, tmp_path: Path):
    url = databases.empty(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def bank() -> CheckResult:
    result = check_paths([FIXTURE_BANKS / "bank"], QUESTIONS)
    assert result.ok, [str(p) for p in result.problems]
    return result


# The JSON columns of every revision; other values are bound by their Python types, as the app binds them.
JSON_COLUMNS = {"sections", "tags", "data", "choice_order", "given", "topics", "question_ids"}


def run(connection: Connection, sql: str, **values: Any):
    """Plain SQL with its values bound."""
    params = [bindparam(name, value, type_=JSON() if name in JSON_COLUMNS else None)
              for name, value in values.items()]
    return connection.execute(text(sql).bindparams(*params))


def insert(connection: Connection, table: str, **values: Any) -> int:
    """Insert one row and return its id; ids come from the database, so its sequences stay right."""
    columns = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join(f":{name}" for name in values)
    returning = "" if table == "source_document" else " RETURNING id"
    result = run(connection, f'INSERT INTO "{table}" ({columns}) VALUES ({marks}){returning}', **values)
    return result.scalar_one() if returning else 0


def counts(connection: Connection) -> dict[str, int]:
    """The number of rows in every table but Alembic's, and of references that ON DELETE SET NULL would clear."""
    inspector = inspect(connection)
    found = {}
    for table in set(inspector.get_table_names()) - {"alembic_version"}:
        found[table] = connection.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
        for key in inspector.get_foreign_keys(table):
            if key["options"].get("ondelete") == "SET NULL":
                column = key["constrained_columns"][0]
                found[f"{table}.{column}"] = connection.execute(
                    text(f'SELECT COUNT("{column}") FROM "{table}"')).scalar_one()
    return found


def upgrade_keeping_rows(revision: str = "head") -> None:
    """Upgrade, checking that every row of the tables there before is still there after."""
    with db.engine.connect() as connection:
        before = counts(connection)
    upgrade(revision=revision)
    with db.engine.connect() as connection:
        after = counts(connection)
    assert {table: after[table] for table in before} == before, f"rows lost upgrading to {revision}"


def at(revision: str):
    """Upgrade to `revision`, then a connection in a transaction for writing that revision's rows."""
    upgrade_keeping_rows(revision)
    return db.engine.begin()


class School:
    """The ids of the rows written along the way."""

    student: int
    teacher: int
    colleague: int
    bank: int
    questions: dict[str, int]
    revisions: dict[str, int]
    card: int
    classroom: int
    assignment: int


def _question(bank: CheckResult, key: str) -> ParsedQuestion:
    return next(q for q in bank.banks[0].questions if q.key == key)


def _answer(connection: Connection, school: School, attempt: int, position: int, key: str, given: Any,
            correct: bool, user: int, when: datetime, choice_order: list[int] | None = None) -> None:
    item = insert(connection, "quiz_item", attempt_id=attempt, position=position,
                  question_id=school.questions[key], revision_id=school.revisions[key], choice_order=choice_order)
    insert(connection, "response", item_id=item, user_id=user, question_id=school.questions[key],
           revision_id=school.revisions[key], given=given, is_correct=correct, score=1.0 if correct else 0.0,
           answered_at=when)


def write_0001(app: Flask, bank: CheckResult, school: School) -> None:
    """Accounts, an instructor's bank and its source texts, and a finished practice quiz: one right, one wrong."""
    method = app.config["PASSWORD_HASH_METHOD"]
    with at("0001") as connection:
        for document in bank.documents.values():
            insert(connection, "source_document", id=document.id, title=document.title, authors=document.authors,
                   publisher=document.publisher, published=document.published, address=document.address,
                   text=document.text, sections=[{"title": s.title, "start": s.start} for s in document.sections])
        school.student = insert(connection, "user", email="aigerim@example.org", display_name="Айгерим",
                                password_hash=generate_password_hash(PASSWORD, method), role="student",
                                created_at=EARLIER)
        school.teacher = insert(connection, "user", email="teacher@example.org", display_name="Teacher",
                                password_hash=generate_password_hash(PASSWORD, method), role="instructor",
                                created_at=EARLIER)
        school.colleague = insert(connection, "user", email="colleague@example.org", display_name="Colleague",
                                  password_hash=generate_password_hash(PASSWORD, method), role="instructor",
                                  created_at=EARLIER)
        parsed = bank.banks[0]
        school.bank = insert(connection, "bank", slug=parsed.slug, title=parsed.title, description=parsed.description,
                             owner_id=school.teacher, is_public=True, origin=parsed.origin, created_at=EARLIER,
                             updated_at=EARLIER)
        school.questions, school.revisions = {}, {}
        for item in parsed.questions:
            school.questions[item.key] = insert(
                connection, "question", bank_id=school.bank, key=item.key, type=item.type, topic=item.topic,
                difficulty=item.difficulty, section=item.section, tags=item.tags, revision=1)
            school.revisions[item.key] = insert(
                connection, "question_revision", question_id=school.questions[item.key], number=1,
                content_hash=content_hash(item), data=item.data, created_at=EARLIER)
        attempt = insert(connection, "quiz_attempt", user_id=school.student, bank_id=school.bank, topic=None,
                         started_at=EARLIER, finished_at=EARLIER + timedelta(minutes=5))
        seats = _question(bank, "seats-choice").data
        _answer(connection, school, attempt, 1, "seats-choice", seats["correct"][0], True, school.student, EARLIER,
                choice_order=list(range(len(seats["choices"]))))
        _answer(connection, school, attempt, 2, "new-constitution", True, False, school.student, EARLIER)


def write_0002(school: School) -> None:
    """A card in review, due since yesterday, with its review log; the student's time zone and daily limit."""
    with at("0002") as connection:
        run(connection, 'UPDATE "user" SET timezone = :zone, new_cards_per_day = 5 WHERE id = :id',
            zone="Asia/Almaty", id=school.student)
        school.card = insert(connection, "card", user_id=school.student, question_id=school.questions["eu-share"],
                             state=2, step=None, stability=3.2, difficulty=5.1, due=NOW - timedelta(days=1),
                             last_review=NOW - timedelta(days=4), version=2, origin="new",
                             created_at=NOW - timedelta(days=5))
        insert(connection, "review_log", card_id=school.card, user_id=school.student,
               question_id=school.questions["eu-share"], revision_id=school.revisions["eu-share"], rating=3,
               state_before=1, reviewed_at=NOW - timedelta(days=4), duration_ms=8200)


def write_0003(school: School) -> None:
    """A class with its two instructors and its student, an assignment, and the student's handed-in attempt."""
    with at("0003") as connection:
        school.classroom = insert(connection, "classroom", name="10 B", join_code="ABCDEF", joining_open=True,
                                  created_at=EARLIER)
        insert(connection, "membership", classroom_id=school.classroom, user_id=school.teacher, role="instructor",
               joined_at=EARLIER)
        insert(connection, "membership", classroom_id=school.classroom, user_id=school.colleague, role="instructor",
               joined_at=EARLIER)
        insert(connection, "membership", classroom_id=school.classroom, user_id=school.student, role="student",
               joined_at=EARLIER)
        school.assignment = insert(
            connection, "assignment", classroom_id=school.classroom, bank_id=school.bank, title="Parliament",
            selection="questions", topics=[], tags=[], question_ids=[school.questions["seats-choice"]],
            draw_count=None, shuffle_choices=False, opens_at=EARLIER, due_at=NOW + timedelta(days=7),
            attempt_limit=2, time_limit_minutes=None, feedback_policy="each", late_policy="refuse",
            grading="best", created_at=EARLIER, created_by=school.teacher)
        attempt = insert(connection, "quiz_attempt", user_id=school.student, bank_id=school.bank, topic=None,
                         started_at=NOW - timedelta(days=2), finished_at=NOW - timedelta(days=2),
                         assignment_id=school.assignment, number=1, deadline_at=None, is_late=False)
        _answer(connection, school, attempt, 1, "seats-choice", 0, True, school.student, NOW - timedelta(days=2),
                choice_order=[0, 1, 2])


def write_0004_to_0006(school: School) -> None:
    """The student's and the instructor's API tokens, and a sign-up waiting for its link to be opened."""
    with at("0004") as connection:
        for user, secret in ((school.student, STUDENT_TOKEN), (school.teacher, TEACHER_TOKEN)):
            insert(connection, "api_token", user_id=user, name="gradebook script", prefix=secret[:10],
                   token_hash=hashlib.sha256(secret.encode()).hexdigest(), created_at=EARLIER)
    with at("0006") as connection:
        insert(connection, "pending_registration", email="late@example.org", display_name="Late",
               password_hash="x", token_hash="0" * 64, created_at=NOW - timedelta(hours=1))


def write_0011(school: School) -> None:
    """A third instructor invited to teach the class, who has not answered."""
    with at("0011") as connection:
        invitee = insert(connection, "user", email="invitee@example.org", display_name="Invitee",
                         password_hash="x", role="instructor", created_at=NOW)
        insert(connection, "instructor_invitation", classroom_id=school.classroom, user_id=invitee,
               invited_by=school.teacher, created_at=NOW)


def check_usable(app: Flask, bank: CheckResult, school: School) -> None:
    """At head, the app reads the old rows as the school left them."""
    student = {"Authorization": f"Bearer {STUDENT_TOKEN}"}
    teacher = {"Authorization": f"Bearer {TEACHER_TOKEN}"}
    client = app.test_client()
    progress = client.get(f"{API}/me/progress", headers=student).get_json()
    quizzes = progress["quizzes"]
    assert (quizzes["answered"], quizzes["correct"], quizzes["attempts"]) == (3, 2, 2)
    assert progress["study"]["due_now"] == 1
    # The review logged before reviews had a source was given in study.
    assert db.session.execute(text("SELECT source FROM review_log")).scalars().all() == ["study"]
    due = client.get(f"{API}/me/due", headers=student).get_json()
    assert [(card["question"]["id"], card["due"]) for card in due["cards"]] == [
        (school.questions["eu-share"], (NOW - timedelta(days=1)).replace(tzinfo=UTC).isoformat())]
    settings = db.session.execute(text('SELECT timezone, new_cards_per_day, session_version, day_starts_at '
                                       'FROM "user" WHERE id = :id'), {"id": school.student}).one()
    # A study day from 4:00, as a new account's: one that turned at midnight split late sessions in two.
    assert tuple(settings) == ("Asia/Almaty", 5, 0, 4)
    book = client.get(f"{API}/classes/{school.classroom}/gradebook", headers=teacher).get_json()
    assert [(s["email"], s["grades"][0]["points"], s["grades"][0]["attempts"]) for s in book["students"]] == [
        ("aigerim@example.org", 1, 1)]
    # A person signs in with the password they had, and their pages show their past work.
    browser = app.test_client()
    assert login(browser, "aigerim@example.org").status_code == 302
    page = browser.get("/progress/").get_data(as_text=True)
    assert "Parliament" in page and "Referendum and amendments" in page
    assert browser.get("/study/").status_code == 200
    # An instructor who taught the class before invitations existed still teaches it, unasked.
    colleague = app.test_client()
    assert login(colleague, "colleague@example.org").status_code == 302
    assert colleague.get(f"/classes/{school.classroom}/gradebook").status_code == 200
    # Its owner uploading the same bank again finds every question unchanged: no new revisions, no duplicates.
    report = load_banks(db.session, bank, owner_id=school.teacher)
    assert (report.created, report.revised, report.unchanged) == (0, 0, len(bank.banks[0].questions))
    # New rows get ids after the old ones.
    started = client.post(f"{API}/quizzes", json={"bank_id": school.bank, "length": 2}, headers=student)
    assert started.status_code == 201, started.get_data(as_text=True)
    db.session.remove()


def test_rows_written_along_the_migrations_survive_upgrade_and_downgrade(empty_database: str, tmp_path: Path,
                                                                        bank: CheckResult):
    app = make_app(empty_database, tmp_path)
    school = School()
    with app.app_context():
        write_0001(app, bank, school)
        write_0002(school)
        write_0003(school)
        write_0004_to_0006(school)
        write_0011(school)
        upgrade_keeping_rows()
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # Migrations run with foreign keys off (see migrations/env.py): none may dangle, and the pooled
                # connection the app gets back enforces them again.
                assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
                assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        check_usable(app, bank, school)
        with db.engine.begin() as connection:
            # A lapse a quiz counted: going down it stays, read as a study review, with the schedule it gave.
            insert(connection, "review_log", card_id=school.card, user_id=school.student,
                   question_id=school.questions["eu-share"], revision_id=school.revisions["eu-share"], rating=1,
                   state_before=2, reviewed_at=NOW - timedelta(days=1), source="quiz")

        with db.engine.connect() as connection:
            before = counts(connection)
        for revision in ("0009", "0006", "0005", "0004", "0003", "0002", "0001"):
            downgrade(revision=revision)
            with db.engine.connect() as connection:
                left = counts(connection)
            assert left == {table: before[table] for table in left}, f"rows lost going down to {revision}"
        upgrade()
        with db.engine.connect() as connection:
            again = counts(connection)
        assert {table: again[table] for table in left} == left
        browser = app.test_client()
        assert login(browser, "aigerim@example.org").status_code == 302
        db.engine.dispose()
