"""Password reset by email: a signed link that names the account and its session version.

Nothing is stored: the link stops working after an hour, and once the account's session version moves on,
which setting the new password does (as do logging out and changing the password).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from quizapp.auth.accounts import user_by_email
from quizapp.auth.mails import RESET_MINUTES, send_deactivated, send_reset
from quizapp.auth.temporary import chose_own_password
from quizapp.models import User
from quizapp.models.types import utcnow

LINK_LIFETIME = timedelta(minutes=RESET_MINUTES)
# Keeps these signatures apart from anything else signed with the secret key.
_SALT = "quizapp.auth.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def reset_token(user: User) -> str:
    """A signed token for the account as it is now."""
    return _serializer().dumps({"user": user.id, "version": user.session_version})


def _link_of(token: str, now: datetime | None) -> tuple[int, int] | None:
    """The account id and session version a reset link names, unless the link is forged or expired."""
    try:
        data, signed_at = _serializer().loads(token, return_timestamp=True)
    except BadData:
        return None
    if (now or utcnow()) - signed_at > LINK_LIFETIME or not isinstance(data, dict):
        return None
    user_id, version = data.get("user"), data.get("version")
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None
    return user_id, version


def user_for_reset(session: Session, token: str, now: datetime | None = None) -> User | None:
    """The account a reset link names, unless the link is forged, expired or already used."""
    link = _link_of(token, now)
    if link is None:
        return None
    user = session.get(User, link[0])
    return user if user is not None and user.session_version == link[1] and user.is_active else None


def reset_link_used(session: Session, token: str, now: datetime | None = None) -> bool:
    """Whether a genuine, unexpired reset link no longer works because its account's session version moved on:
    a password was set with it (in another tab, say), or changed, or the account logged out, since it was sent."""
    link = _link_of(token, now)
    if link is None:
        return False
    user = session.get(User, link[0])
    return user is not None and user.is_active and user.session_version > link[1]


def request_reset(session: Session, email: str) -> None:
    """Mail a reset link if an active account has the address (its owner learns instead that a deactivated one
    is closed); otherwise do nothing, and say nothing about it."""
    user = user_by_email(session, email)
    if user is None:
        return
    if not user.is_active:
        send_deactivated(user.email)
        return
    send_reset(user.email, reset_token(user))


def set_new_password(session: Session, user: User, password: str) -> bool:
    """Set the password and end every session of the account, which also retires the link (commits); False,
    with nothing changed, if the link was used meanwhile."""
    version = user.session_version  # the link's, as user_for_reset checked
    # Chosen by the account's owner (the link went to their mailbox), so an admin's temporary password is gone.
    # Hashed here, slowly on purpose, before any write takes a lock.
    chose_own_password(user, password)
    # Moved on only from the link's version: of two tabs sending the link at once, one sets the password and the
    # other finds the link used, instead of both setting one.
    moved = session.execute(update(User).where(User.id == user.id, User.session_version == version)
                            .values(session_version=version + 1),
                            execution_options={"synchronize_session": "evaluate"}).rowcount
    if not moved:
        session.rollback()
        return False
    session.commit()
    return True
