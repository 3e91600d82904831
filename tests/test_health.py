"""`/healthz` for load balancers: the database answers and is migrated to the newest revision."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic.script import ScriptDirectory
from flask_migrate import downgrade, stamp

from quizapp.extensions import db
from quizapp.health import known_revisions
from tests.conftest import make_app


def newest(app) -> list[str]:
    return sorted(known_revisions(app.extensions["migrate"].directory)[0])


def test_healthy_when_the_database_is_at_the_newest_migration(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "migrations": "current", "revision": newest(app)}
    assert "Set-Cookie" not in response.headers


def test_unhealthy_when_migrations_are_behind(app, client):
    downgrade(revision="0001")
    db.session.remove()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["migrations"] == "outdated"
    assert response.json["revision"] == ["0001"] and response.json["head"] == newest(app)
    stamp(revision="base")
    assert client.get("/healthz").json["revision"] == []


def test_unhealthy_without_revealing_why_when_the_database_does_not_answer(tmp_path: Path):
    missing = tmp_path / "no-such-folder" / "quizapp.sqlite3"
    app = make_app(f"sqlite:///{missing}", tmp_path)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unavailable", "migrations": "unknown"}
    assert "sqlite" not in response.get_data(as_text=True).lower()


def test_a_database_upgraded_for_newer_code_keeps_this_server_in_service(app, client):
    """In a rolling upgrade the migrations run once, before each server is reloaded with the new code."""
    stamp(revision=newest(app)[0])
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["migrations"] == "newer" and response.json["head"] == newest(app)


def test_a_sqlite_file_that_cannot_be_written_is_unhealthy(app, client, monkeypatch):
    database = Path(str(db.engine.url).removeprefix("sqlite:///"))
    if not str(db.engine.url).startswith("sqlite"):
        return  # a database server reports its own errors
    monkeypatch.setattr("quizapp.health.os.access", lambda path, mode: Path(path) not in (database,))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "read-only"


def test_redis_down_is_reported_and_logins_go_on(tmp_path: Path):
    from quizapp.auth.accounts import register_user
    from quizapp.models import Role
    from tests.conftest import PASSWORD, login

    app = make_app(f"sqlite:///{tmp_path / 'q.sqlite3'}", tmp_path, REDIS_URL="redis://127.0.0.1:1/0",
                   RATELIMIT_ENABLED=True)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        register_user(db.session, "ada@example.org", "Ada", PASSWORD, Role.STUDENT)
        db.session.commit()
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["rate_limit_storage"] == "unavailable"
    assert login(client, "ada@example.org", "wrong password!").status_code == 422  # counted, in memory
    assert login(client, "ada@example.org").status_code == 302


def test_a_server_judges_by_the_migrations_of_the_code_it_runs_while_a_newer_release_is_unpacked(tmp_path: Path):
    """Upgrading: the new code is unpacked first, and until the reload the old workers go on serving."""
    migrations = tmp_path / "migrations"
    shutil.copytree(Path(__file__).resolve().parents[1] / "migrations", migrations,
                    ignore=shutil.ignore_patterns("__pycache__"))
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path, MIGRATIONS_DIR=str(migrations))
    with app.app_context():
        stamp(revision="head")
        db.session.remove()
    head = ScriptDirectory(str(migrations)).get_current_head()
    (migrations / "versions" / "9999_next_release.py").write_text(
        f'revision = "9999"\ndown_revision = "{head}"\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n')
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["migrations"] == "current" and response.json["revision"] == [head]
