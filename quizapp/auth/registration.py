"""Sign-up by email: the form stores a pending registration, the link mailed to the address makes the account.

Whoever fills in the form sees the same answer whether or not the address has an account; only the owner of the
address learns which, from the mail.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from quizapp.auth.accounts import EmailTaken, add_account, normalise_email, user_by_email
from quizapp.auth.mails import REGISTRATION_HOURS, send_already_registered, send_confirmation, send_deactivated
from quizapp.models import PendingRegistration, User
from quizapp.models.types import utcnow
from quizapp.models.user import hash_password

LINK_LIFETIME = timedelta(hours=REGISTRATION_HOURS)


def token_digest(token: str) -> str:
    """What is stored of a link's token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def request_registration(session: Session, email: str, display_name: str, password: str,
                         now: datetime | None = None) -> None:
    """Mail a link to finish signing up, or, if the address has an account, tell its owner so; commits."""
    now = now or utcnow()
    email = normalise_email(email)
    # Hashed either way, so that the response time does not tell whether the address has an account.
    password_hash = hash_password(password)
    remove_expired(session, now)
    existing = user_by_email(session, email)
    if existing is not None:
        session.commit()
        # Logging in or resetting the password would not help with a closed account: its owner is told so.
        (send_already_registered if existing.is_active else send_deactivated)(email)
        return
    token = secrets.token_urlsafe(32)
    try:
        _store(session, email, display_name.strip(), password_hash, token, now)
    except IntegrityError:
        # A sign-up for the same address was stored in the meantime: replace it like any earlier one.
        session.rollback()
        _store(session, email, display_name.strip(), password_hash, token, now)
    send_confirmation(email, token)


def _store(session: Session, email: str, display_name: str, password_hash: str, token: str, now: datetime) -> None:
    session.execute(delete(PendingRegistration).where(PendingRegistration.email == email))
    session.add(PendingRegistration(email=email, display_name=display_name, password_hash=password_hash,
                                    token_hash=token_digest(token), created_at=now))
    session.commit()


def remove_expired(session: Session, now: datetime | None = None) -> None:
    """Delete the sign-ups whose link no longer works; called whenever a sign-up comes in."""
    cutoff = (now or utcnow()) - LINK_LIFETIME
    session.execute(delete(PendingRegistration).where(PendingRegistration.created_at <= cutoff))


def registration_for(session: Session, token: str, now: datetime | None = None) -> PendingRegistration | None:
    """The pending registration a link names, unless the link is unknown, used or expired."""
    pending = session.scalar(select(PendingRegistration).where(PendingRegistration.token_hash == token_digest(token)))
    if pending is None or pending.created_at <= (now or utcnow()) - LINK_LIFETIME:
        return None
    return pending


def already_registered(session: Session, pending: PendingRegistration) -> bool:
    """Whether the address got an account since signing up; if so the sign-up is dropped (commits)."""
    if user_by_email(session, pending.email) is None:
        return False
    session.delete(pending)
    session.commit()
    return True


def password_matches(pending: PendingRegistration, password: str) -> bool:
    """Whether the password is the one chosen with this sign-up."""
    return check_password_hash(pending.password_hash, password)


def confirm_registration(session: Session, pending: PendingRegistration, device_zone: str | None = None) -> User:
    """Make the student account the sign-up asked for and forget the sign-up (commits); EmailTaken if it exists."""
    if already_registered(session, pending):
        raise EmailTaken(pending.email)
    session.delete(pending)
    user = add_account(session, pending.email, pending.display_name, pending.password_hash,
                       device_zone=device_zone)
    session.commit()
    return user
