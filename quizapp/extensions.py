"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from quizapp.signing import CSRFGuard

# Explicit constraint names let Alembic's batch mode alter constraints on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFGuard()
# Set up by quizapp.mail.init_mail: without MAIL_SERVER nothing is sent, messages go to instance/outbox.
mail = Mail()
# Storage comes from RATELIMIT_STORAGE_URI (memory:// or REDIS_URL); routes opt in with @limiter.limit.
# The client address is the proxy's unless PROXY_HOPS lets ProxyFix take it from X-Forwarded-For.
limiter = Limiter(key_func=get_remote_address)


def limit_setting(name: str) -> Callable[[], str]:
    """A limit read from the app's settings when a request is checked (tests and deployments set their own)."""
    return lambda: current_app.config[name]


# Blueprints whose routes declare limits (tests/test_rate_limit_scope.py keeps this list true).
RATE_LIMITED_BLUEPRINTS = frozenset({"auth", "classroom"})


def init_limiter(app: Flask) -> None:
    """Bind the limiter, with its per-request hooks run only for the blueprints whose routes declare limits.

    Everywhere else they find nothing to count or report, yet took a tenth of an answer's time."""
    limiter.init_app(app)
    hooks = ((app.before_request_funcs, lambda hook: hook == limiter._check_request_limit),
             (app.after_request_funcs, lambda hook: getattr(hook, "func", None) is _LIMITER_HEADERS),
             (app.teardown_request_funcs, lambda hook: hook == limiter._Limiter__release_context))  # type: ignore
    for registry, is_limiters in hooks:
        moved = [hook for hook in registry.get(None, []) if is_limiters(hook)]
        for hook in moved:  # none when RATELIMIT_ENABLED is off
            registry[None].remove(hook)
            for name in RATE_LIMITED_BLUEPRINTS:
                registry.setdefault(name, []).append(hook)


# flask-limiter's response-header hook, private to it, which init_app registers app-wide like the others.
_LIMITER_HEADERS = Limiter._Limiter__inject_headers  # type: ignore[attr-defined]


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """Make every SQLite connection safe for concurrent use by many workers."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # No lower() of our own: SQLite's folds only A to Z, as PostgreSQL's does on a cluster of the C locale, so the
    # suite on SQLite fails where text compared with SQL lower() would (quizapp.collation.folded compares it).
