"""Changing who may do what, independent of HTTP."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.classroom.membership import classes_only_they_teach
from quizapp.collation import folded, name_key
from quizapp.models import Classroom, Role, User
from quizapp.models.locks import write_lock

# The users page lists at most this many accounts at once; a search narrows it down.
USERS_SHOWN = 200
TEACHING_ROLES = (Role.INSTRUCTOR.value, Role.ADMIN.value)
CLASSES_NAMED = 5  # a warning names at most this many classes


class LastAdmin(Exception):
    """The change would leave no active admin account."""


# One message for a role change and a deactivation, on the page and the command line: "the last admin" alone was
# wrong where a deactivated admin is listed too, which cannot log in and so does not count.
LAST_ADMIN = "That is the last active admin account; make another admin, or reactivate one, first."


def a_role(role: str) -> str:
    """The role as a sentence says it: "a student", "an instructor", "an admin"."""
    return f"{'an' if role.startswith(('a', 'e', 'i', 'o', 'u')) else 'a'} {role}"


def set_role(session: Session, user: User, role: Role) -> list[Classroom]:
    """Give a user a role; the last admin cannot be demoted, so someone can always manage accounts.

    Returns the classes that the user alone taught and that nobody can open now it has lost instructor rights
    (the memberships stay: given the rights back, the user has the classes back)."""
    if user.role == Role.ADMIN.value and role != Role.ADMIN:
        keep_an_admin(session, user)
    lost_rights = user.role in TEACHING_ROLES and role.value not in TEACHING_ROLES
    untaught = classes_only_they_teach(session, user) if lost_rights else []
    user.role = role.value
    return untaught


def keep_an_admin(session: Session, user: User) -> None:
    """Raise LastAdmin if the user is the only active admin: taking their rights or account would leave nobody
    to manage accounts (a deactivated admin cannot log in, so does not count)."""
    if user.role != Role.ADMIN.value or not user.is_active:
        return
    # Write-lock the admins first: two admins demoting or deactivating each other at once then count one after
    # the other, instead of both seeing two admins and leaving none.
    write_lock(session, User, User.role == Role.ADMIN.value)
    others = session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN.value, User.id != user.id, User.deactivated_at.is_(None)))
    if not others:
        raise LastAdmin(user.email)


def untaught_warning(user: User, classes: list[Classroom], closed: bool = False) -> str:
    """What the admin must know after a role change (or, if `closed`, a deactivation) left these classes with
    nobody able to open them."""
    names = ", ".join(f"“{c.name}”" for c in classes[:CLASSES_NAMED])
    if len(classes) > CLASSES_NAMED:
        names += f" and {len(classes) - CLASSES_NAMED} more"
    if len(classes) == 1:
        taught, them = names, "that class, its roster or its gradebook"
    else:
        taught, them = f"{len(classes)} classes ({names})", "them, their rosters or their gradebooks"
    if closed:
        return (f"{user.display_name} alone taught {taught}: nobody can open {them} unless the account is "
                "reactivated. To hand a class over, reactivate it, invite another instructor on the class page, "
                "and deactivate it again once they have accepted.")
    return (f"{user.display_name} alone taught {taught}: nobody can open {them} until {user.display_name} is an "
            "instructor again. To hand a class over, give the role back, invite another instructor on the class "
            "page, and change the role once they have accepted.")


def find_users(session: Session, text: str = "", role: str = "", status: str = "",
               limit: int = USERS_SHOWN) -> tuple[list[User], int]:
    """Accounts whose name or email contains the text, optionally of one role and only active or deactivated
    ones (status), by name: the first `limit` of them, and how many match in all."""
    # Matched and sorted here, not in SQL: SQL lower() folds only A to Z on SQLite and on a PostgreSQL cluster of
    # the C locale, so "ақерке" would not find "Ақерке", and SQL cannot order names as rosters do
    # (quizapp.collation). Only the first `limit` accounts are loaded whole.
    query = select(User.id, User.display_name, User.email)
    if role:
        query = query.where(User.role == role)
    if status:
        query = query.where(User.deactivated_at.is_(None) if status == "active" else User.deactivated_at.is_not(None))
    rows = session.execute(query).all()
    needle = _searchable(text)
    if needle:  # % and _ are searched for as themselves
        rows = [row for row in rows if needle in _searchable(row.email) or needle in _searchable(row.display_name)]
    first = [row.id for row in sorted(rows, key=lambda row: (name_key(row.display_name), row.id))[:limit]]
    found = {user.id: user for user in session.scalars(select(User).where(User.id.in_(first)))} if first else {}
    return [found[user_id] for user_id in first], len(rows)


# Searched for as one letter: ё and е (Russian writes either), and in Kazakh or Turkish Latin ı and i, and İ, which
# lower() turns into i and a combining dot above. Each Kazakh letter is searched for as the Russian one it is drawn
# from too: an admin on a Russian keyboard types "алия" for Әлия and "нурлан" for Нұрлан.
_SEARCH_FOLDS = (("ё", "е"), ("ı", "i"), ("\u0307", ""), ("ә", "а"), ("ғ", "г"), ("қ", "к"), ("ң", "н"), ("ө", "о"),
                 ("ұ", "у"), ("ү", "у"), ("һ", "х"), ("і", "и"))


def _searchable(text: str) -> str:
    text = folded(text)
    for letter, into in _SEARCH_FOLDS:
        text = text.replace(letter, into)
    return text
