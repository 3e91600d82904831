"""Accounts."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.extensions import db
from quizapp.models.types import UTCDateTime, utcnow


def password_hash_method() -> str:
    """The configured werkzeug hashing method (scrypt unless configured otherwise)."""
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


def hash_password(password: str) -> str:
    """A salted hash of the password with the configured method."""
    return generate_password_hash(password, method=password_hash_method())


# scrypt at an eighth of the default's work and memory (N = 2^12 rather than 2^15). What keeps a person's own
# password from being guessed out of a stolen hash is the hash's cost, since people choose guessable ones; what
# keeps a temporary password is its 2^55 random possibilities, which no guessing goes through even at this cost,
# and it is replaced at the first login. At the full cost, a class of 100 took 10 to 40 seconds to make on a
# 2-core server, past gunicorn's 30-second timeout when the machine was busy, and then nothing was made.
TEMPORARY_HASH_METHOD = "scrypt:4096:8:1"


def hash_temporary_password(password: str) -> str:
    """A salted hash of a random temporary password (quizapp.auth.temporary): cheaper than a chosen one's."""
    method = password_hash_method()
    return generate_password_hash(password, method=TEMPORARY_HASH_METHOD if method == "scrypt" else method)


class Role(enum.StrEnum):
    STUDENT = "student"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


def parse_session_id(session_id: str) -> tuple[int, int] | None:
    """The account id and session version of a session id that User.get_id wrote; None if it is not one."""
    user_id, _, version = session_id.partition(".")
    return (int(user_id), int(version)) if user_id.isdigit() and version.isdigit() else None


class User(UserMixin, db.Model):
    __tablename__ = "user"
    # The study settings form offers these hours alone; the database holds any other writer to them too.
    __table_args__ = (CheckConstraint("day_starts_at >= 0 AND day_starts_at <= 23", name="day_starts_at_hour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.STUDENT.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Study settings
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    new_cards_per_day: Mapped[int] = mapped_column(default=20, server_default="20")
    desired_retention: Mapped[float] = mapped_column(default=0.9, server_default="0.9")
    again_good_only: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The hour (0-23, in their time zone) their study day starts at: new cards, due days and streaks turn over then.
    # 4:00 as in Anki, so a session past midnight belongs to the evening it began in.
    day_starts_at: Mapped[int] = mapped_column(default=4, server_default="4")
    fsrs_parameters: Mapped[list[float] | None] = mapped_column(JSON)
    # Part of the login session's id: raising it ends every session of the account (logout, new password).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set when an admin closes the account: it can no longer log in, but its work stays in gradebooks.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set while the password is one an admin handed out: its owner must choose their own before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="0")

    @property
    def is_active(self) -> bool:
        """Whether the account may log in and use its sessions and API tokens (Flask-Login's hook)."""
        return self.deactivated_at is None

    def get_id(self) -> str:
        """The session id Flask-Login stores: the account and its session version."""
        return f"{self.id}.{self.session_version}"

    def end_sessions(self) -> None:
        """Invalidate every login session and remember-me cookie of this account."""
        self.session_version += 1

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password, never the password."""
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"
