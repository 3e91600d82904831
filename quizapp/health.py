"""`/healthz`: whether the database answers and its schema is at the newest migration, for load balancers."""

from __future__ import annotations

from functools import cache

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from quizapp.extensions import db

bp = Blueprint("health", __name__)


@cache
def migration_heads(directory: str) -> frozenset[str]:
    """The head revisions of the migrations folder; it does not change while the app runs."""
    return frozenset(ScriptDirectory(directory).get_heads())


@bp.get("/healthz")
def healthz():
    """200 when the database answers and is migrated to head, 503 otherwise; no details of errors."""
    expected = migration_heads(current_app.extensions["migrate"].directory)
    try:
        with db.engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        # The reason goes to the log, not to whoever asked.
        current_app.logger.exception("health check: the database did not answer")
        return jsonify(status="error", database="unavailable", migrations="unknown"), 503
    if current != expected:
        return jsonify(status="error", database="ok", migrations="outdated",
                       revision=sorted(current), head=sorted(expected)), 503
    return jsonify(status="ok", database="ok", migrations="current", revision=sorted(current))
