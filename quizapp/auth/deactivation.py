"""Closing an account and opening it again, independent of HTTP.

A deactivated account keeps its row and everything tied to it (class memberships, attempts, reviews), so
gradebooks and item statistics still count its work; it only stops being usable: no login, no session, no token.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from quizapp.api.tokens import revoke_all_tokens
from quizapp.auth.roles import TEACHING_ROLES, keep_an_admin
from quizapp.classroom.membership import classes_only_they_teach
from quizapp.models import Classroom, User
from quizapp.models.types import utcnow


class OwnAccount(Exception):
    """An admin tried to deactivate the account they are using."""


def deactivate(session: Session, user: User, by: User | None = None) -> list[Classroom]:
    """Close the account: end its sessions and revoke its API tokens. Raises OwnAccount if `by` (the admin
    acting, None on the command line) is the account itself, LastAdmin if it is the only active admin.

    Returns the classes that it alone taught, which nobody can open while it is closed."""
    if by is not None and by.id == user.id:
        raise OwnAccount(user.email)
    if not user.is_active:
        return []
    keep_an_admin(session, user)
    untaught = classes_only_they_teach(session, user) if user.role in TEACHING_ROLES else []
    user.deactivated_at = utcnow()
    # Raising the session version ends every browser session and remember-me cookie, and retires any
    # password-reset link already mailed; reactivating does not lower it, so they stay ended.
    user.end_sessions()
    # Revoked, not merely refused: a token handed to a script long ago must not come back to life with a
    # reactivation; the owner makes new ones if they need them.
    revoke_all_tokens(session, user, user.deactivated_at)
    return untaught


def reactivate(user: User) -> bool:
    """Let a closed account log in again (with its old password); False if it was not closed."""
    if user.is_active:
        return False
    user.deactivated_at = None
    return True
