"""Changing who may do what, independent of HTTP."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from quizapp.classroom.membership import classes_only_they_teach
from quizapp.models import Classroom, Role, User
from quizapp.models.locks import write_lock

# The users page lists at most this many accounts at once; a search narrows it down.
USERS_SHOWN = 200
TEACHING_ROLES = (Role.INSTRUCTOR.value, Role.ADMIN.value)
CLASSES_NAMED = 5  # a warning names at most this many classes


class LastAdmin(Exception):
    """The change would leave no admin account."""


def set_role(session: Session, user: User, role: Role) -> list[Classroom]:
    """Give a user a role; the last admin cannot be demoted, so someone can always manage accounts.

    Returns the classes that the user alone taught and that nobody can open now it has lost instructor rights
    (the memberships stay: given the rights back, the user has the classes back)."""
    if user.role == Role.ADMIN.value and role != Role.ADMIN:
        # Write-lock the admins first: two admins demoting each other at once then count one after the other,
        # instead of both seeing two admins and leaving none.
        write_lock(session, User, User.role == Role.ADMIN.value)
        others = session.scalar(select(func.count()).select_from(User)
                                .where(User.role == Role.ADMIN.value, User.id != user.id))
        if not others:
            raise LastAdmin(user.email)
    lost_rights = user.role in TEACHING_ROLES and role.value not in TEACHING_ROLES
    untaught = classes_only_they_teach(session, user) if lost_rights else []
    user.role = role.value
    return untaught


def untaught_warning(user: User, classes: list[Classroom]) -> str:
    """What the admin must know after a role change left these classes with nobody able to open them."""
    names = ", ".join(f"“{c.name}”" for c in classes[:CLASSES_NAMED])
    if len(classes) > CLASSES_NAMED:
        names += f" and {len(classes) - CLASSES_NAMED} more"
    if len(classes) == 1:
        taught, them = names, "that class, its roster or its gradebook"
    else:
        taught, them = f"{len(classes)} classes ({names})", "them, their rosters or their gradebooks"
    return (f"{user.display_name} alone taught {taught}: nobody can open {them} until {user.display_name} is an "
            "instructor again. To hand a class over, give the role back, add another instructor on the class "
            "page, then change the role.")


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
