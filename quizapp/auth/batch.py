"""Accounts for a whole class at once, from lines of `name, email[, role]`: all are made, or none.

Every line is checked before anything is written, so a typo on line 27 leaves nothing half made that the admin
would have to find and undo.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.auth.accounts import add_account, name_problem, normalise_email, unmailable
from quizapp.auth.temporary import temporary_password
from quizapp.formats.textio import legacy_encoding_hint
from quizapp.models import Role, User
from quizapp.models.user import hash_temporary_password

# A class or two per batch. Each password is hashed on purpose slowly (a tenth of a second with scrypt), and the
# whole batch is made in one request that must end well before the server's 30-second timeout.
MAX_ACCOUNTS = 100
# Admins are made one at a time, on purpose, by changing the role of one account on the Users page.
BATCH_ROLES = (Role.STUDENT, Role.INSTRUCTOR)
# The email column's heading in a first line that names the columns, as schools in Kazakhstan write it too.
_HEADER_EMAILS = {"email", "e-mail", "mail", "email address", "e-mail address",
                  "почта", "электронная почта", "эл. почта", "эл.почта", "адрес электронной почты",
                  "пошта", "электрондық пошта", "эл. пошта", "эл.пошта", "электрондық пошта мекенжайы"}


@dataclass(frozen=True)
class Line:
    """One account to make, as checked."""

    number: int
    name: str
    email: str
    role: Role


@dataclass(frozen=True)
class Problem:
    """What is wrong with a line, in which field (None: the line as a whole, or the list)."""

    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"Line {self.line}" if self.line else "", self.field or "") if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Made:
    """An account just made, with its temporary password: shown once, never stored."""

    name: str
    email: str
    role: str
    password: str


class Unreadable(Exception):
    """An uploaded file that is not text in UTF-8."""


# How an Excel workbook begins, kept under a .csv name: .xlsx is a zip archive, .xls an OLE2 compound file. Read
# as Windows-1251, its bytes pass for Cyrillic text, and the admin was told to change an encoding it does not have.
_WORKBOOK_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def read_upload(data: bytes) -> str:
    """The text of an uploaded CSV file: UTF-8 (with or without a byte-order mark), or UTF-16 with one; raises
    Unreadable otherwise."""
    if data.startswith(_WORKBOOK_STARTS):
        raise Unreadable(_SAVE_AS_UTF8.format(found="The file is an Excel workbook, not a list in text"))
    # Excel's "Unicode Text" (tab-separated) is UTF-16: how versions without "CSV UTF-8" keep Cyrillic names.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise Unreadable(_SAVE_AS_UTF8.format(found="The file is not valid UTF-16 text")) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Guessing another encoding would turn names into nonsense without a word: better to ask. Windows-1251,
        # what Excel's plain "CSV" writes in Russian and Kazakh settings, is named, since it has already lost
        # the Kazakh letters.
        hint = legacy_encoding_hint(data)
        found = "The file is not in UTF-8" + (
            "; it looks like Windows-1251 (Cyrillic), which has no Kazakh letters such as ә, қ or ұ" if hint else "")
        raise Unreadable(_SAVE_AS_UTF8.format(found=found)) from error


_SAVE_AS_UTF8 = "{found}. In your spreadsheet, save it as “CSV UTF-8”, or paste the lines instead."


def _cells(line: str) -> list[str]:
    """The fields of one line, split at tabs when pasted from a spreadsheet, at semicolons from a CSV file saved
    where the comma is the decimal mark, else at commas (each line on its own: a pasted list may mix them)."""
    delimiter = "\t" if "\t" in line else ";" if ";" in line else ","
    cells = [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])]
    # A spreadsheet saves every column of the sheet that was ever used, empty or not ("Aigerim;a@x.kz;;"): those
    # say nothing. A role left empty stays a field of its own, as before.
    while len(cells) > 3 and not cells[-1]:
        cells.pop()
    return cells


def parse_lines(text: str) -> tuple[list[Line], list[Problem]]:
    """The accounts the text asks for and, if any line is wrong, what is wrong with each (line numbers from 1).

    Blank lines are skipped, and so is a first line that is a header (its second field is "email", or
    "электронная почта" and the like)."""
    lines: list[Line] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    filled = _filled(text)
    if not filled:
        return [], [Problem(None, None, "Give at least one line: name, email.")]
    if len(filled) > MAX_ACCOUNTS:
        return [], [Problem(None, None, f"{len(filled)} accounts asked for; at most {MAX_ACCOUNTS} are made at "
                                        "once. Split the list, a class or two at a time.")]
    for number, cells in filled:
        misplaced = _misplaced_email(cells)
        if misplaced:
            problems.append(Problem(number, None, misplaced))
            continue
        if len(cells) == 1:
            # A name or an address alone: say which is missing, not "1 fields".
            missing = "name" if "@" in cells[0] else "email"
            problems.append(Problem(number, None, f"no {missing}: give the name, then the email."))
            continue
        if len(cells) not in (2, 3):
            problems.append(Problem(number, None, f"{len(cells)} fields; give name, email and, if you like, role "
                                                  "(a name with a comma in it goes in double quotes)."))
            continue
        name, email, role_text = cells[0], cells[1], cells[2] if len(cells) == 3 else ""
        found = [Problem(number, "name", message) for message in _name_problems(name)]
        email_problem = _email_problem(email)
        if email_problem:
            found.append(Problem(number, "email", email_problem))
        else:
            email = normalise_email(email)
            if email in first_line:
                found.append(Problem(number, "email", f"{email} is on line {first_line[email]} already."))
            else:
                first_line[email] = number
        role = _role(role_text)
        if role is None:
            found.append(Problem(number, "role", _role_problem(role_text)))
        problems += found
        if not found and role is not None:
            lines.append(Line(number, name, email, role))
    return lines, problems


def _filled(text: str) -> list[tuple[int, list[str]]]:
    """The fields of each line that is neither blank nor the first line's headings, with its number from 1."""
    filled = [(number, cells) for number, cells in ((n, _cells(line)) for n, line in enumerate(text.splitlines(), 1))
              if any(cells)]
    if filled and len(filled[0][1]) > 1 and filled[0][1][1].lower() in _HEADER_EMAILS:
        return filled[1:]
    return filled


def empty_upload(name: str, text: str) -> str | None:
    """What to say of an uploaded file that holds no account (empty, or headings alone); None if it holds some."""
    if _filled(text):
        return None
    found = "is empty" if not text.strip() else "has a line of headings and no accounts"
    return (f"“{name}” {found}: choose the file with the class's list (name, email on each line), or paste the "
            "lines instead.")


def _misplaced_email(cells: list[str]) -> str | None:
    """What to change when the email is not the second field: each field would otherwise be called wrong in
    turn (the name split at its comma, the email taken for a role), without saying what happened."""
    if len(cells) < 2 or "@" in cells[1]:
        return None
    at = next((n for n, cell in enumerate(cells, 1) if "@" in cell), None)
    if at == 1:
        return "the email comes first: give the name, then the email."
    if at is not None:
        return (f"the email is field {at}, not 2: give the name as one field (a name with a comma in it goes in "
                "double quotes), then the email.")
    return None


def _name_problems(name: str) -> list[str]:
    if not name:
        return ["empty; give the name others will see."]
    problem = name_problem(name)
    return [problem] if problem else []


def _email_problem(email: str) -> str | None:
    if not email:
        return "empty."
    if len(email) > 254:
        return "longer than 254 characters."
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        return f"“{email}” is not an email address: {error}"
    return unmailable(email)


def _role(text: str) -> Role | None:
    if not text:
        return Role.STUDENT
    try:
        role = Role(text.lower())
    except ValueError:
        return None
    return role if role in BATCH_ROLES else None


def _role_problem(text: str) -> str:
    if text.lower() == Role.ADMIN.value:
        return ("admin accounts are not made here: make the account an instructor, then change its role on the "
                "Users page.")
    return f"“{text}” is not a role; write student or instructor, or leave it out for student."


def registered(session: Session, lines: list[Line]) -> list[Problem]:
    """A problem for each line whose email already has an account."""
    emails = {line.email for line in lines}
    if not emails:
        return []
    found = select(User.email, User.deactivated_at).where(User.email.in_(emails))
    closed_at = {email: deactivated_at for email, deactivated_at in session.execute(found)}
    # A student back after a year away is on the new list with the account closed when they left: the admin must
    # learn to reopen it rather than look for a mistake in the list.
    reopen = (", deactivated: take the line off, reactivate the account on the Users page and give it a temporary "
              "password there.")
    return [Problem(line.number, "email", f"{line.email} already has an account"
                    + (reopen if closed_at[line.email] is not None else "."))
            for line in lines if line.email in closed_at]


def make_accounts(session: Session, lines: list[Line]) -> list[Made]:
    """Make every account with a temporary password its owner must change at the first login (flushes, the
    caller commits). Raises EmailTaken if an address was registered meanwhile; the caller then rolls back."""
    # Every password is hashed (slowly, on purpose) before the first insert: between them, SQLite's write lock
    # would be held for seconds, and every answer and review sent meanwhile would wait for it or fail.
    passwords = [temporary_password() for _ in lines]
    hashes = [hash_temporary_password(password) for password in passwords]
    made = []
    for line, password, password_hash in zip(lines, passwords, hashes, strict=True):
        user = add_account(session, line.email, line.name, password_hash, line.role)
        user.must_change_password = True
        # Plain values: read from the rows after the commit, each would cost a query of its own.
        made.append(Made(user.display_name, user.email, user.role, password))
    return made

