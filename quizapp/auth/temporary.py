"""Temporary passwords an admin hands out, on a printed slip or read aloud, for servers without mail.

Only the hash is stored. The account is marked so that its owner chooses their own password at the next
login before anything else (quizapp.web sends every page there while the mark is set).
"""

from __future__ import annotations

import secrets

from quizapp.models import User
from quizapp.models.user import hash_password, hash_temporary_password

# Lower case without the letters and digits that look alike on paper (0/o, 1/i/l, 2/z, 5/s, 8/b), as join codes.
ALPHABET = "acdefghjkmnpqrtuvwxy34679"
GROUPS, GROUP_LENGTH = 3, 4  # 12 random characters, about 2^55 possibilities


def temporary_password() -> str:
    """A random password easy to copy from paper, such as kx7m-qd4t-hn9c."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))


class AccountClosed(Exception):
    """The account is deactivated: a password would not let anyone in."""


def give_temporary_password(user: User) -> str:
    """Give the account a new temporary password, end its sessions and return the password (never stored).

    Raises AccountClosed for a deactivated account, which must be reactivated first."""
    if not user.is_active:
        raise AccountClosed(user.email)
    password = temporary_password()
    # Random: its many possibilities, not the hash's cost, keep it from being guessed (see TEMPORARY_HASH_METHOD).
    _mark_temporary(user, hash_temporary_password(password))
    # Whoever was logged in with the old password is logged out, as with any new password.
    user.end_sessions()
    return password


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
