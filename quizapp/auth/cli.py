"""`flask users list`, `create`, `set-role`, `set-password`, `deactivate` and `reactivate`."""

from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from quizapp.auth.accounts import EmailTaken, name_problem, register_user, unmailable, user_by_email
from quizapp.auth.deactivation import deactivate, reactivate
from quizapp.auth.forms import PASSWORD_MAX, PASSWORD_MIN
from quizapp.auth.reset import set_new_password
from quizapp.auth.roles import LAST_ADMIN, LastAdmin, a_role, find_users, set_role, untaught_warning
from quizapp.auth.temporary import set_temporary_password
from quizapp.extensions import db
from quizapp.models import Role, User

users_cli = AppGroup("users", help="Create, list and deactivate accounts; set roles and passwords.")
ROLE = click.Choice([r.value for r in Role])
_MUST_CHANGE = " They must choose their own password at their next login."


@users_cli.command("list", short_help="List accounts: email, role, name and whether deactivated.")
@click.argument("search", required=False, default="")
@click.option("--role", type=ROLE, help="Only accounts of this role.")
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True)
def list_command(search: str, role: str | None, limit: int) -> None:
    """Accounts whose name or email contains SEARCH (all, without it), by name: email, role and name, then
    "deactivated" and its UTC date for a deactivated account."""
    found, total = find_users(db.session, search, role or "", limit=limit)
    for user in found:
        # A fourth column only when there is something to say: scripts reading three columns keep working.
        closed = "" if user.is_active else f"\tdeactivated {user.deactivated_at:%Y-%m-%d}"
        click.echo(f"{user.email}\t{user.role}\t{user.display_name}{closed}")
    if total > len(found):
        click.echo(f"{len(found)} of {total} accounts shown; search, or raise --limit, for the rest.", err=True)
    elif not found:
        click.echo("No account matches.", err=True)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=ROLE, default=Role.STUDENT.value, show_default=True)
@click.option("--name", help="Name shown to others (default: the part of the email before @).")
@click.option("--temporary", is_flag=True,
              help="A password to hand over: its owner must choose their own at the next login.")
@click.password_option(envvar="QUIZAPP_NEW_PASSWORD",
                       help="Taken from QUIZAPP_NEW_PASSWORD if set, else asked for twice.")
def create_command(email: str, role: str, name: str | None, temporary: bool, password: str) -> None:
    """Create an account with a role."""
    # What the sign-up form refuses is refused here too: an account made otherwise could not be used.
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise click.ClickException(f"{email!r} is not an email address: {error}") from error
    problem = unmailable(email) or (name_problem(name) if name is not None else None)
    if problem:
        raise click.ClickException(problem)
    _check_password(password)
    try:
        user = register_user(db.session, email, name or email.split("@")[0], password, Role(role))
    except EmailTaken as error:
        raise click.ClickException(f"An account with the email {email} already exists.") from error
    user.must_change_password = temporary
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}." + (_MUST_CHANGE if temporary else ""))


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLE)
def set_role_command(email: str, role: str) -> None:
    """Change the role of the account with EMAIL."""
    user = _existing(email)
    try:
        untaught = set_role(db.session, user, Role(role))
    except LastAdmin as error:
        raise click.ClickException(LAST_ADMIN) from error
    db.session.commit()
    click.echo(f"{user.email} is now {a_role(user.role)}.")
    if untaught:
        click.echo(f"Warning: {untaught_warning(user, untaught)}", err=True)


@users_cli.command("set-password", short_help="Set a new password and end every session of the account.")
@click.argument("email")
@click.option("--temporary", is_flag=True,
              help="A password to hand over: its owner must choose their own at the next login.")
@click.password_option(envvar="QUIZAPP_NEW_PASSWORD",
                       help="Taken from QUIZAPP_NEW_PASSWORD if set, else asked for twice.")
def set_password_command(email: str, temporary: bool, password: str) -> None:
    """Give the account with EMAIL a new password and end its sessions (for servers without mail)."""
    _check_password(password)
    user = _existing(email)
    if temporary:
        set_temporary_password(user, password)
        user.end_sessions()
        db.session.commit()
    elif not set_new_password(db.session, user, password):
        raise click.ClickException("The account's password changed or it logged out meanwhile: nothing was set. "
                                   "Run the command again.")
    click.echo(f"{user.email} has a new password; every session of the account has ended."
               + (_MUST_CHANGE if temporary else ""))
    if not user.is_active:
        # Kept as it may be wanted (a new password before reopening an account someone else used), but a password
        # handed to its owner now would be refused at the login.
        click.echo(f"Warning: {user.email} is deactivated and cannot log in with it until "
                   f"`flask --app quizapp users reactivate {user.email}`.", err=True)


@users_cli.command("deactivate", short_help="Close an account; its work stays in the classes' records.")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Deactivate the account with EMAIL: it cannot log in, its sessions end and its API tokens are revoked;
    its class memberships and attempts stay, so gradebooks still count them."""
    user = _existing(email)
    if not user.is_active:
        click.echo(f"{user.email} is already deactivated.")
        return
    try:
        untaught = deactivate(db.session, user)
    except LastAdmin as error:
        raise click.ClickException(LAST_ADMIN) from error
    db.session.commit()
    click.echo(f"{user.email} is deactivated; every session of the account has ended.")
    if untaught:
        click.echo(f"Warning: {untaught_warning(user, untaught, closed=True)}", err=True)


@users_cli.command("reactivate", short_help="Let a deactivated account log in again.")
@click.argument("email")
def reactivate_command(email: str) -> None:
    """Reactivate the account with EMAIL: it logs in with its old password (API tokens must be made anew)."""
    user = _existing(email)
    if not reactivate(user):
        click.echo(f"{user.email} is not deactivated.")
        return
    db.session.commit()
    click.echo(f"{user.email} is active again.")


def _existing(email: str) -> User:
    user = user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No user with the email {email}.")
    return user


def _check_password(password: str) -> None:
    # The login form takes at most PASSWORD_MAX characters: a longer password could never be typed in.
    if len(password) < PASSWORD_MIN:
        raise click.ClickException(f"The password must have at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise click.ClickException(f"The password may have at most {PASSWORD_MAX} characters.")
