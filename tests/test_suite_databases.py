"""Which database server the suite runs on."""

from __future__ import annotations

from tests.databases import server_url


def test_the_suite_runs_on_postgresql_only_when_test_database_url_names_it(monkeypatch):
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://quizapp@db.school.example/quizapp")
    assert server_url() is None  # a development server's database is not the suite's
    monkeypatch.setenv("TEST_DATABASE_URL", "postgres://quizapp@127.0.0.1:5432/quizapp_test")
    assert server_url() == "postgresql+psycopg://quizapp@127.0.0.1:5432/quizapp_test"
