"""`/healthz`: whether the database answers, can be written and has the schema this code needs, for load balancers
and monitors; and whether the shared login-limit counters (Redis) answer."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from quizapp.extensions import db, limiter

bp = Blueprint("health", __name__)


@cache
def known_revisions(directory: str) -> tuple[frozenset[str], frozenset[str]]:
    """The head revisions of the migrations folder, and every revision in it; neither changes while the app runs."""
    script = ScriptDirectory(directory)
    return frozenset(script.get_heads()), frozenset(rev.revision for rev in script.walk_revisions())


def migration_state(current: frozenset[str], heads: frozenset[str], known: frozenset[str]) -> str:
    """current, outdated (this code needs migrations the database lacks) or newer (the database was upgraded
    for newer code, as in a rolling upgrade before this server is reloaded: this code still runs on it)."""
    if current == heads:
        return "current"
    return "newer" if current and not current <= known else "outdated"


def sqlite_writable(url: URL) -> bool:
    """Whether a SQLite database file and its folder (for the WAL files) can be written; True for servers."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return True
    path = Path(url.database)
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


@bp.get("/healthz")
def healthz():
    """200 when the database answers, can be written and has the schema this code needs; 503 otherwise."""
    heads, known = known_revisions(current_app.extensions["migrate"].directory)
    try:
        with db.engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        # The reason goes to the log, not to whoever asked.
        current_app.logger.exception("health check: the database did not answer")
        return jsonify(status="error", database="unavailable", migrations="unknown"), 503
    report = {"database": "ok", "migrations": migration_state(current, heads, known), "revision": sorted(current)}
    if report["migrations"] != "current":
        report["head"] = sorted(heads)
    if current_app.config.get("REDIS_URL"):
        # Without Redis the limits fall back to each worker's own counts: serving goes on, so it is not an error.
        report["rate_limit_storage"] = "ok" if limiter.storage.check() else "unavailable"
    if not sqlite_writable(db.engine.url):
        report["database"] = "read-only"
    healthy = report["database"] == "ok" and report["migrations"] != "outdated"
    return jsonify(status="ok" if healthy else "error", **report), 200 if healthy else 503
