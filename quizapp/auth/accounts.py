"""Account operations, independent of HTTP."""

from __future__ import annotations

import unicodedata
from functools import cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.models import Role, User
from quizapp.models.user import hash_password, parse_session_id, password_hash_method
from quizapp.timezones import starting_zone

NAME_MAX = 80
# Tabs, line breaks, escapes and the like: a roster, a gradebook or its CSV export would show them garbled.
_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def name_problem(name: str) -> str | None:
    """What is wrong with a name shown to others (trimmed first), or None; an empty name is the caller's case."""
    name = name.strip()
    if len(name) > NAME_MAX:
        return f"The name may have at most {NAME_MAX} characters."
    if any(unicodedata.category(ch) in _CONTROL_CATEGORIES for ch in name):
        return "The name cannot hold tabs, line breaks or other control characters."
    # Zero-width and other invisible characters alone would leave an empty link in the header and a blank
    # row in rosters, like a name of spaces.
    if name and all(unicodedata.category(ch)[0] in "CZ" for ch in name):
        return "Give the name others will see: it needs at least one visible character."
    return None


def rename(user: User, display_name: str) -> None:
    """Give the account the name others see, trimmed; the caller has checked it with name_problem."""
    user.display_name = display_name.strip()


@cache
def _dummy_hash(method: str) -> str:
    """Checked against when the email is unknown, so a login takes as long either way."""
    return generate_password_hash("not-a-real-password", method=method)


class EmailTaken(Exception):
    """An account with that email already exists."""


def unmailable(email: str) -> str | None:
    """Why the mails of sign-up and password reset could not reach an address, or None."""
    # Letters outside ASCII before the @ need SMTPUTF8 all the way to the mailbox, which the mail library we send
    # through cannot ask for: such a mail would never leave. Any script is fine after the @ (sent as xn--...).
    if not email.strip().rpartition("@")[0].isascii():
        return ("quizapp cannot send mail to an address with letters other than a to z before the @; "
                "use another address (the part after the @ may be in any script).")
    return None


def normalise_email(email: str) -> str:
    """Emails are compared without case or surrounding spaces."""
    return email.strip().lower()


def register_user(session: Session, email: str, display_name: str, password: str,
                  role: Role = Role.STUDENT) -> User:
    """Create an account at once (the command line, tests); raise EmailTaken if the email is in use.

    Sign-up on the web goes through quizapp.auth.registration, which first mails a link to the address."""
    return add_account(session, email, display_name, hash_password(password), role)


def add_account(session: Session, email: str, display_name: str, password_hash: str,
                role: Role = Role.STUDENT, device_zone: str | None = None) -> User:
    """Create an account whose password is already hashed, in its device's time zone if the browser reported
    one (else the deployment's default); raise EmailTaken if the email is in use."""
    email = normalise_email(email)
    # A name of spaces would leave nothing to show or click on: the address's first part stands in for it.
    name = display_name.strip() or email.split("@")[0]
    user = User(email=email, display_name=name, password_hash=password_hash, role=role.value,
                timezone=starting_zone(device_zone))
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise EmailTaken(email) from error
    return user


def user_by_email(session: Session, email: str) -> User | None:
    """The account with that email, in any case, or None."""
    # Every address is stored normalised (add_account), so it is compared as stored: through the unique index,
    # which lower(email) would bypass on every login.
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user with that email and password, or None."""
    user = user_by_email(session, email)
    if user is None:
        check_password_hash(_dummy_hash(password_hash_method()), password)
        return None
    return user if user.check_password(password) else None


def password_just_changed(session: Session, session_id: str | None, password: str) -> User | None:
    """The account of a login session that ended when its password changed to `password`, or None.

    A password form sent twice at once (a double click) leaves the browser twice with the same cookie: the first
    sending changes the password, which ends that very session, and the second then arrives logged out. Whoever
    sends the new password proves they know the account's password, as a login does."""
    login = parse_session_id(session_id or "")
    if login is None:
        return None
    user = session.get(User, login[0])
    # Only the session that the latest change ended, of an account still open on a password its owner chose.
    if user is None or not user.is_active or user.must_change_password or user.session_version != login[1] + 1:
        return None
    return user if user.check_password(password) else None
