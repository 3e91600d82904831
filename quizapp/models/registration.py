"""Sign-ups waiting for the link in their confirmation mail to be opened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.types import UTCDateTime, utcnow


class PendingRegistration(db.Model):
    __tablename__ = "pending_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One sign-up per address at a time: signing up again replaces the row, and so the link.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # Hashed as an account's password is, so the account takes it over as it stands.
    password_hash: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the link's token: the token is long and random, so whoever reads the table cannot rebuild the link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Indexed: expired sign-ups are deleted by age.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
