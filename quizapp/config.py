"""Configuration defaults and the layers that override them."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

import click
from flask import Flask

from quizapp.timezones import is_known_zone

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    """Settings every deployment starts from."""

    QUESTIONS_DIR = str(PROJECT_ROOT / "questions")
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # werkzeug's password hashing; the test suite lowers the cost, nothing else should.
    PASSWORD_HASH_METHOD = "scrypt"
    # Without SECRET_KEY the app starts only for development (see is_development).
    DEVELOPMENT = False
    # None: secure cookies everywhere but in development; set false only for plain-HTTP setups.
    SECURE_COOKIES: bool | None = None
    # How many reverse proxies stand in front and set X-Forwarded-*; 0 trusts none of those headers.
    PROXY_HOPS = 0
    # Rate-limit counters; shared storage (REDIS_URL) is needed once several app servers run.
    RATELIMIT_STORAGE_URI = "memory://"
    # When Redis does not answer, each worker counts on its own until it does again: logins go on.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins per client address (successful ones do not count); high, because a whole school may
    # reach the app from one address.
    LOGIN_RATE_LIMIT = "300 per minute"
    # Failed logins per typed email before that email is refused for a while.
    LOGIN_LOCKOUT = "5 per 15 minutes"
    # Sign-up and password-reset requests per client address; high for the same reason as logins.
    MAIL_FORMS_RATE_LIMIT = "100 per hour"
    # Mails that one typed email address may be sent, sign-ups and resets together, so no mailbox can be flooded.
    MAILS_PER_EMAIL = "3 per hour; 10 per day"
    # Invitation mails to teach a class that one instructor's address may be sent, whoever invites and to
    # whichever class; past it the invitation is still made, only not mailed. Apart from the count above, so
    # invitations cannot use up an address's password-reset mails.
    INVITATION_MAILS_PER_EMAIL = "5 per day"
    # Refused invitations (no instructor account with that address, say) per inviting account.
    INVITATION_REFUSALS_PER_USER = "20 per hour"
    # Wrong join codes per account and per client address: a code has about 2^28 values, and enough guesses
    # could hit one of many classes; typing mistakes never come near these numbers.
    JOIN_FAILURES_PER_USER = "10 per hour; 30 per day"
    JOIN_FAILURES_PER_ADDRESS = "200 per hour"
    # Outgoing mail through Flask-Mail (quizapp/mail.py). Without MAIL_SERVER nothing is sent: development keeps
    # each message in the log and instance/outbox/, production turns self sign-up and password reset off.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    # None: by the port, as quizapp.mail.init_mail says (TLS from the start on 465, STARTTLS elsewhere).
    MAIL_USE_TLS: bool | None = None
    MAIL_USE_SSL: bool | None = None
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER: str | None = None
    # The time zone of accounts whose browser reports none (and of those made on the command line): a school
    # sets its own, so that a deadline typed as 23:59 means 23:59 there.
    DEFAULT_TIMEZONE = "UTC"


class SettingError(RuntimeError, click.ClickException):
    """A setting the app cannot start with."""

    # A ClickException too: a `flask` command that builds the app says "Error: <the reason>" in one line and
    # exits 1, instead of a traceback that buries the reason at its end.
    def __init__(self, message: str) -> None:
        click.ClickException.__init__(self, message)


class MissingSecretKey(SettingError):
    """SECRET_KEY is not set and the app is not running for development."""


# The placeholder of docs/deploy/quizapp.env.example, refused so that a copy left unedited cannot serve.
EXAMPLE_SECRET_KEY = "change-me"
# A key shorter or plainer than this can be guessed, and with it a session cookie signed for any account; the key
# the advice below makes has 64 characters of 16 kinds.
KEY_MIN_LENGTH, KEY_MIN_DISTINCT = 32, 8
# Debian and Ubuntu have `python3`, and no `python` unless a package adds it.
_MAKE_A_KEY = ("Set it in the environment, for example to the output of `python3 -c 'import secrets; "
               "print(secrets.token_hex(32))'`, the same on every app server.")

# Environment variables read without a prefix because deployment tools
# conventionally set them under these names.
_PLAIN_ENV = ("SECRET_KEY", "DATABASE_URL", "QUESTIONS_DIR", "REDIS_URL")


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Apply the layers: defaults, instance/config.py, environment, then explicit overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("QUIZAPP")
    for name in _PLAIN_ENV:
        if name in os.environ:
            app.config[name] = os.environ[name]
    if overrides:
        app.config.update(overrides)

    if app.config.get("DATABASE_URL") and not (overrides or {}).get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["DATABASE_URL"])
    if "SQLALCHEMY_DATABASE_URI" not in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'quizapp.sqlite3'}"
        # The default database lives in the instance folder, which a fresh checkout does not have yet.
        with contextlib.suppress(OSError):
            Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A database file cannot drop a connection the way a server can, so checking each one before use would
        # only add a query to every request.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            name: value for name, value in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items() if name != "pool_pre_ping"}
    if app.config.get("REDIS_URL"):
        _require_redis_client()
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]

    if not is_known_zone(app.config["DEFAULT_TIMEZONE"]):
        raise SettingError(f"QUIZAPP_DEFAULT_TIMEZONE is {app.config['DEFAULT_TIMEZONE']!r}, which is not a time "
                           "zone name: use one such as Asia/Almaty or Europe/London.")
    development = is_development(app)
    if app.config.get("SECRET_KEY") == EXAMPLE_SECRET_KEY:
        # Everyone can read the example file's key, and with it sign a session cookie for any account.
        raise SettingError(f"SECRET_KEY is still {EXAMPLE_SECRET_KEY!r} from the example environment file. "
                           f"{_MAKE_A_KEY}")
    key = app.config.get("SECRET_KEY")
    if key and not development and guessable_key(key):
        raise SettingError(f"SECRET_KEY is too short or too plain to stay secret: give it at least {KEY_MIN_LENGTH} "
                           f"characters, {KEY_MIN_DISTINCT} of them different. {_MAKE_A_KEY}")
    if not key:
        if not development:
            raise MissingSecretKey(f"SECRET_KEY is not set. {_MAKE_A_KEY}")
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    secure = app.config["SECURE_COOKIES"]
    secure = not development if secure is None else flag(secure)
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure


def guessable_key(key: str | bytes) -> bool:
    """Whether a secret key is too short, or repeats too few characters, to resist guessing."""
    return len(key) < KEY_MIN_LENGTH or len(set(key)) < KEY_MIN_DISTINCT


def is_development(app: Flask) -> bool:
    """Whether the app runs for development: tests, debug mode, the `flask` command, or DEVELOPMENT set.

    The `flask` command covers `flask run` (the development server) and maintenance commands; production
    traffic is served by gunicorn, where none of these hold and a missing SECRET_KEY stops the start."""
    return bool(
        flag(app.config.get("DEVELOPMENT")) or app.config.get("TESTING") or app.debug
        or os.environ.get("FLASK_RUN_FROM_CLI") == "true"
    )


def flag(value: Any) -> bool:
    """A yes/no setting, given as a boolean or as text such as 'true', '1', 'no', 'off'."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _require_redis_client() -> None:
    """REDIS_URL needs the optional Redis client; without it the limiter would fail with a stack trace."""
    try:
        import redis  # noqa: F401
    except ImportError as error:
        raise SettingError("REDIS_URL is set but the Redis client is not installed: install it with "
                           "`.venv/bin/pip install -e '.[redis]'`, or unset REDIS_URL.") from error


def normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(instance: Path) -> str:
    """A per-installation key kept in the instance folder, so sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
