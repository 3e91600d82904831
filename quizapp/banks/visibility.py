"""Which banks a person may practise with (free quizzes and study)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from quizapp.models import INSTRUCTOR, STUDENT, Bank, Membership, User

PRACTICE_CLOSED = "This bank is no longer open for practice, so this quiz takes no more answers."


def open_for_practice(user_id: Any) -> ColumnElement[bool]:
    """Whether a bank is open for practice to the user with that id (a value, a bound parameter or a column of
    the enclosing query): published, open for practice, and public or shared with a class the user attends; or
    the user's own, published or not, so that owners can preview their banks."""
    teacher = Membership.__table__.alias("teacher")
    pupil = Membership.__table__.alias("pupil")
    shared_owners = (
        select(teacher.c.user_id)
        .join(pupil, pupil.c.classroom_id == teacher.c.classroom_id)
        .where(teacher.c.role == INSTRUCTOR, pupil.c.role == STUDENT, pupil.c.user_id == user_id)
    )
    offered = and_(Bank.is_published.is_(True), Bank.practice_open.is_(True))
    return or_(and_(offered, Bank.is_public.is_(True)), Bank.owner_id == user_id,
               and_(offered, Bank.owner_id.in_(shared_owners)))


def visible_banks(user: User | None) -> Select[tuple[Bank]]:
    """The banks the user may practise with; only public ones for a visitor who is not logged in."""
    if user is None or not user.is_authenticated:
        return select(Bank).where(Bank.is_published.is_(True), Bank.practice_open.is_(True),
                                  Bank.is_public.is_(True))
    return select(Bank).where(open_for_practice(user.id))


def practice_allowed(session: Session, user: User, bank_id: int) -> bool:
    """Whether the user may still practise with the bank (start quizzes, answer them, study its cards)."""
    return bool(session.scalar(select(visible_banks(user).where(Bank.id == bank_id).exists())))


def assignable_banks(user: User, classroom_id: int) -> Select[tuple[Bank]]:
    """Banks an instructor may set assignments from in a class they teach: published public banks, their own,
    and those published by another instructor of that same class and open to practice there (whose students
    may see them already)."""
    colleagues = select(Membership.user_id).where(Membership.classroom_id == classroom_id,
                                                  Membership.role == INSTRUCTOR)
    # Only colleagues who accepted to teach the class (an invitation is no membership), and not a colleague's bank
    # kept for assignments only: accepting to teach someone's class does not hand them the keys of one's tests.
    shared = and_(Bank.owner_id.in_(colleagues), Bank.practice_open.is_(True))
    return select(Bank).where(or_(
        Bank.owner_id == user.id,
        and_(Bank.is_published.is_(True), or_(Bank.is_public.is_(True), shared)),
    )).order_by(Bank.title)


def may_assign(session: Session, user: User, classroom_id: int, bank_id: int) -> bool:
    """Whether the instructor may still set work from the bank in the class (see assignable_banks)."""
    return bool(session.scalar(select(assignable_banks(user, classroom_id).where(Bank.id == bank_id).exists())))


def shared_with_classes(session: Session, user_id: int) -> list[Bank]:
    """The user's banks published to the students of their classes only (not to everyone), by title: a class
    they stop teaching loses them."""
    return list(session.scalars(select(Bank).where(Bank.owner_id == user_id, Bank.is_published.is_(True),
                                                   Bank.is_public.is_(False)).order_by(Bank.title)))
