"""Changing who may do what, independent of HTTP."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from quizapp.models import Role, User
from quizapp.models.locks import write_lock

# The users page lists at most this many accounts at once; a search narrows it down.
USERS_SHOWN = 200


class LastAdmin(Exception):
    """The change would leave no admin account."""


def set_role(session: Session, user: User, role: Role) -> None:
    """Give a user a role; the last admin cannot be demoted, so someone can always manage accounts."""
    if user.role == Role.ADMIN.value and role != Role.ADMIN:
        # Write-lock the admins first: two admins demoting each other at once then count one after the other,
        # instead of both seeing two admins and leaving none.
        write_lock(session, User, User.role == Role.ADMIN.value)
        others = session.scalar(select(func.count()).select_from(User)
                                .where(User.role == Role.ADMIN.value, User.id != user.id))
        if not others:
            raise LastAdmin(user.email)
    user.role = role.value


def find_users(session: Session, text: str = "", role: str = "", limit: int = USERS_SHOWN) -> list[User]:
    """Accounts whose name or email contains the text, optionally of one role, by name."""
    query = select(User).order_by(func.lower(User.display_name), User.id).limit(limit)
    return list(session.scalars(_matching(query, text, role)))


def count_users(session: Session, text: str = "", role: str = "") -> int:
    """How many accounts find_users would list without its limit."""
    return session.scalar(_matching(select(func.count()).select_from(User), text, role)) or 0


def _matching(query: Select, text: str, role: str) -> Select:
    if text:
        needle = text.strip().lower()  # % and _ are searched for as themselves, not as wildcards
        query = query.where(func.lower(User.email).contains(needle, autoescape=True)
                            | func.lower(User.display_name).contains(needle, autoescape=True))
    if role:
        query = query.where(User.role == role)
    return query
