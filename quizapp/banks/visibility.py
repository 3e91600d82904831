"""Which banks a person may practise with (free quizzes and study)."""

from __future__ import annotations

from sqlalchemy import Select, and_, or_, select

from quizapp.models import INSTRUCTOR, STUDENT, Bank, Membership, User


def visible_banks(user: User | None) -> Select[tuple[Bank]]:
    """Published banks open for practice that are public, the user's own, or shared with a class the user attends.

    An owner always sees their own banks, published or not, so they can preview them."""
    query = select(Bank)
    public = and_(Bank.is_published.is_(True), Bank.practice_open.is_(True), Bank.is_public.is_(True))
    if user is None or not user.is_authenticated:
        return query.where(public)
    teacher = Membership.__table__.alias("teacher")
    pupil = Membership.__table__.alias("pupil")
    shared_owners = (
        select(teacher.c.user_id)
        .join(pupil, pupil.c.classroom_id == teacher.c.classroom_id)
        .where(teacher.c.role == INSTRUCTOR, pupil.c.role == STUDENT, pupil.c.user_id == user.id)
    )
    shared = and_(Bank.is_published.is_(True), Bank.practice_open.is_(True), Bank.owner_id.in_(shared_owners))
    return query.where(or_(public, Bank.owner_id == user.id, shared))


def assignable_banks(user: User) -> Select[tuple[Bank]]:
    """Banks an instructor may set assignments from: published public banks, and their own."""
    return select(Bank).where(or_(and_(Bank.is_published.is_(True), Bank.is_public.is_(True)),
                                  Bank.owner_id == user.id)).order_by(Bank.title)
