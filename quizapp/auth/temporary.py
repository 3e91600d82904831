"""Temporary passwords an admin hands out, on a printed slip or read aloud, for servers without mail.

Only the hash is stored. The account is marked so that its owner chooses their own password at the next
login before anything else (quizapp.web sends every page there while the mark is set).

The admin's confirmation form names the password it was opened with (a keyed digest of its hash, signed with the
time), and gives a new one only while that is still the account's: a reload of the page that showed the password
sends the same form again, and must not silently replace the password on the slip already handed out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes
from sqlalchemy import update
from sqlalchemy.orm import Session

from quizapp.models import User
from quizapp.models.user import hash_password, hash_temporary_password

# Lower case without the letters and digits that look alike on paper (0/o, 1/i/l, 2/z, 5/s, 8/b), as join codes.
ALPHABET = "acdefghjkmnpqrtuvwxy34679"
GROUPS, GROUP_LENGTH = 3, 4  # 12 random characters, about 2^55 possibilities
# Keeps the confirmation forms' signatures apart from anything else signed with the secret key.
_SALT = "quizapp.auth.temporary-password-form"


def temporary_password() -> str:
    """A random password easy to copy from paper, such as kx7m-qd4t-hn9c."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))


class AccountClosed(Exception):
    """The account is deactivated: a password would not let anyone in."""


class PasswordChanged(Exception):
    """The account's password is no longer the one the confirmation form was opened with; nothing was changed.

    Most often the form that gave it was sent again (a reload); else another tab or admin gave one, or the owner
    chose their own."""

    def __init__(self, opened_at: datetime | None, temporary: bool) -> None:
        super().__init__(opened_at, temporary)
        self.opened_at = opened_at  # None if the form named no password of this account
        self.temporary = temporary  # whether the password now is a temporary one


def give_temporary_password(user: User) -> str:
    """Give the account a new temporary password, end its sessions and return the password (never stored).

    Raises AccountClosed for a deactivated account, which must be reactivated first."""
    if not user.is_active:
        raise AccountClosed(user.email)
    password, password_hash = _new_password()
    _given(user, password_hash)
    return password


def confirmation_token(user: User) -> str:
    """What the admin's confirmation form carries: the account and its password as they are now, with the time."""
    return _serializer().dumps({"user": user.id, "password": _digest(user.password_hash)})


def give_confirmed_password(session: Session, user: User, token: str | None) -> str:
    """give_temporary_password for a confirmation form with confirmation_token's token (flushes, the caller
    commits). Raises PasswordChanged, with nothing changed, if the password is no longer the one the form saw."""
    if not user.is_active:
        raise AccountClosed(user.email)
    seen, opened_at = _read(token, user)
    before = user.password_hash
    if seen is None or not hmac.compare_digest(seen, _digest(before)):
        raise PasswordChanged(opened_at, user.must_change_password)
    password, password_hash = _new_password()
    # Replaced only if it is still the one the form saw: of a double click's two sendings arriving at once, one
    # gives the password and the other is told, instead of the page showing one the other sending overwrote.
    claimed = session.execute(update(User).where(User.id == user.id, User.password_hash == before)
                              .values(password_hash=password_hash),
                              execution_options={"synchronize_session": "evaluate"}).rowcount
    if not claimed:
        session.rollback()
        raise PasswordChanged(opened_at, user.must_change_password)
    _given(user, password_hash)
    return password


def _new_password() -> tuple[str, str]:
    password = temporary_password()
    # Random: its many possibilities, not the hash's cost, keep it from being guessed (see TEMPORARY_HASH_METHOD).
    return password, hash_temporary_password(password)


def _given(user: User, password_hash: str) -> None:
    _mark_temporary(user, password_hash)
    # Whoever was logged in with the old password is logged out, as with any new password.
    user.end_sessions()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _digest(password_hash: str) -> str:
    # Keyed, as the page shows it: nothing in it helps to guess the password, even with the hash's salt known.
    message = f"{_SALT}:{password_hash}".encode()
    return hmac.new(want_bytes(current_app.config["SECRET_KEY"]), message, hashlib.sha256).hexdigest()[:32]


def _read(token: str | None, user: User) -> tuple[str | None, datetime | None]:
    """The password digest a form's token names for this account, and when the form was opened; Nones if the token
    is missing, forged or another account's."""
    try:
        data, opened_at = _serializer().loads(token or "", return_timestamp=True)
    except BadData:
        return None, None
    if not isinstance(data, dict) or data.get("user") != user.id or not isinstance(data.get("password"), str):
        return None, None
    return data["password"], opened_at


def set_temporary_password(user: User, password: str) -> None:
    """Store the hash of a password someone else chose for the account, which its owner must then replace."""
    # Chosen by a person, it may be guessable: hashed at the full cost, as its owner's own will be.
    _mark_temporary(user, hash_password(password))


def _mark_temporary(user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    user.must_change_password = True


def chose_own_password(user: User, password: str) -> None:
    """Store the password the account's owner chose, which lifts the duty to change it."""
    user.set_password(password)
    user.must_change_password = False
