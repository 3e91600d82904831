"""`flask db-backup PATH`: an online SQLite backup that restores, and pg_dump instructions for PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from quizapp.auth.accounts import register_user
from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import PASSWORD, make_app


@pytest.fixture
def sqlite_app(tmp_path: Path):
    """An app on a migrated SQLite file, whatever database the rest of the suite runs on."""
    app = make_app(f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path)
    with app.app_context():
        upgrade()
        register_user(db.session, "kept@example.org", "Kept", PASSWORD)
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def _users(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT email FROM user ORDER BY email")]


def test_backup_copies_a_live_database_and_restores(sqlite_app, tmp_path: Path):
    # A connection holding an open read transaction stands for a worker busy at backup time.
    with db.engine.connect() as busy:
        busy.execute(select(func.count()).select_from(User))
        result = sqlite_app.test_cli_runner().invoke(args=["db-backup", str(tmp_path / "backup.sqlite3")])
    assert result.exit_code == 0, result.output
    assert "integrity check ok" in result.output
    backup = tmp_path / "backup.sqlite3"
    assert _users(backup) == ["kept@example.org"]
    with closing(sqlite3.connect(backup)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"

    register_user(db.session, "later@example.org", "Later", PASSWORD)
    db.session.commit()
    db.engine.dispose()
    live = tmp_path / "live.sqlite3"
    assert _users(live) == ["kept@example.org", "later@example.org"]
    # The documented restore: with the app stopped, the backup replaces the file and its WAL files go.
    for leftover in (tmp_path / "live.sqlite3-wal", tmp_path / "live.sqlite3-shm"):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(backup, live)
    assert db.session.scalars(select(User.email)).all() == ["kept@example.org"]


def test_backup_never_overwrites(sqlite_app, tmp_path: Path):
    target = tmp_path / "backup.sqlite3"
    target.write_text("an older backup")
    result = sqlite_app.test_cli_runner().invoke(args=["db-backup", str(target)])
    assert result.exit_code != 0
    assert "exists" in result.output
    assert target.read_text() == "an older backup"


def test_postgresql_gets_pg_dump_instructions_without_the_password(tmp_path: Path):
    app = make_app("postgresql+psycopg://quizapp:s3cret@db.internal:5433/quizapp", tmp_path)
    result = app.test_cli_runner().invoke(args=["db-backup", "/var/backups/quizapp.dump"])
    assert result.exit_code == 1
    assert ("pg_dump --host db.internal --port 5433 --username quizapp --format custom "
            "--file /var/backups/quizapp.dump quizapp") in result.output
    assert "pg_restore" in result.output
    assert "s3cret" not in result.output


def test_backup_into_a_missing_folder_says_so(sqlite_app, tmp_path: Path):
    target = tmp_path / "not-made-yet" / "backup.sqlite3"
    result = sqlite_app.test_cli_runner().invoke(args=["db-backup", str(target)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert f"there is no folder {target.parent}" in result.output
    assert not target.parent.exists()
