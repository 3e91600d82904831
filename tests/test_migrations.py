"""The schema comes only from migrations: every one runs up, down to base, and up again, on the suite's database."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, inspect, text

from quizapp.extensions import db
from tests.conftest import make_app


@pytest.fixture
def empty_database(databases, tmp_path: Path):
    url = databases.empty(tmp_path)
    yield url
    databases.drop(url)


def test_upgrade_downgrade_upgrade(empty_database: str, tmp_path: Path):
    app = make_app(empty_database, tmp_path)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"user", "bank", "question", "question_revision", "quiz_attempt", "quiz_item", "response"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == tables
        db.engine.dispose()


def test_sqlite_connections_are_set_up_for_concurrency(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas: the suite runs on PostgreSQL")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_models_and_migrations_agree(app):
    """A model change without its migration would leave autogenerate something to write."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        assert compare_metadata(context, db.metadata) == []


def test_models_and_migrations_have_the_same_check_constraints(app):
    """Autogenerate compares no CHECK constraints, so a model's must be seen in the migrated schema by name."""
    inspector = inspect(db.engine)
    for table in db.metadata.sorted_tables:
        declared = {constraint.name for constraint in table.constraints if isinstance(constraint, CheckConstraint)}
        assert {check["name"] for check in inspector.get_check_constraints(table.name)} == declared, table.name
