"""`/healthz` for load balancers: the database answers and is migrated to the newest revision."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, stamp

from quizapp.extensions import db
from quizapp.health import migration_heads
from tests.conftest import make_app


def newest(app) -> list[str]:
    return sorted(migration_heads(app.extensions["migrate"].directory))


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
