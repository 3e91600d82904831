"""Which banks a person may study."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from quizapp.models import Bank, User


def visible_banks(user: User | None) -> Select[tuple[Bank]]:
    """Banks a person may study: public ones, and their own."""
    query = select(Bank)
    if user is None or not user.is_authenticated:
        return query.where(Bank.is_public.is_(True))
    return query.where(or_(Bank.is_public.is_(True), Bank.owner_id == user.id))
