"""Accounts made and passwords set by an admin, for schools whose server sends no mail.

Temporary passwords appear once, in the answer to the form that made them; only their hashes are kept.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from quizapp.admin import bp
from quizapp.admin.forms import NewAccountsForm, TemporaryPasswordForm
from quizapp.admin.routes import admin_required, kept_search
from quizapp.api.tokens import live_token_count, revoke_all_tokens
from quizapp.auth.accounts import EmailTaken
from quizapp.auth.batch import (
    Made,
    Problem,
    Unreadable,
    empty_upload,
    make_accounts,
    parse_lines,
    read_upload,
    registered,
)
from quizapp.auth.temporary import AccountClosed, PasswordChanged, confirmation_token, give_confirmed_password
from quizapp.classroom.export import PLAIN, SEMICOLONS, CsvStyle, spreadsheet_csv
from quizapp.extensions import db
from quizapp.models import User


def _once(page: str, status: int = 200):
    """A page that shows passwords: no browser or proxy may keep it for the back button or a later visit."""
    return page, status, {"Cache-Control": "no-store", "Pragma": "no-cache"}


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def add_accounts():
    """Check every line, then make every account with a temporary password, or none if a line is wrong."""
    form = NewAccountsForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        text = _typed_or_uploaded(form)
        if text is not None:
            # A file's lines come back in the box, to be corrected there (the browser forgets the chosen file).
            form.lines.data = text
            lines, problems = parse_lines(text)
            # Every problem at once, in the order of the lines: an address already taken named only after the
            # other lines are corrected would send the admin through the list a second time.
            problems = sorted([*problems, *registered(db.session, lines)], key=lambda problem: problem.line or 0)
            if not problems:
                try:
                    made = make_accounts(db.session, lines)
                except EmailTaken as taken:
                    # Someone signed up with one of the addresses while the list was checked: nothing was kept.
                    problems = [Problem(None, "email", f"{taken} has just been registered; nothing was made. "
                                                       "Take it off the list and send it again.")]
                else:
                    # The page first: the passwords exist nowhere else, so accounts it could not show are not kept.
                    page = render_template("admin/accounts_made.html", made=made, csv_link=_csv_link(made),
                                           excel_link=_csv_link(made, SEMICOLONS))
                    db.session.commit()
                    return _once(page)
    if problems:
        form.lines.errors = [*form.lines.errors, "Nothing was made: correct the lines below and send them again."]
    failed = bool(form.errors or problems)
    # Each wrong line quoted under its problem: the box numbers no lines, and on a phone it wraps the long ones.
    typed = (form.lines.data or "").splitlines()
    quoted = {problem.line: typed[problem.line - 1].strip() for problem in problems
              if problem.line and problem.line <= len(typed)}
    return (render_template("admin/add_accounts.html", form=form, problems=problems, quoted=quoted),
            422 if failed else 200)


def _typed_or_uploaded(form: NewAccountsForm) -> str | None:
    """The lines typed or the file's text; None, with the form's errors set, if neither or both were given."""
    # Only trailing space is trimmed: the line numbers of the problems are those of what was typed or uploaded.
    upload, typed = form.file.data, (form.lines.data or "").rstrip()
    if upload and typed:
        form.file.errors.append("Either paste the lines or upload a file, not both: empty the box to use the file.")
        return None
    if upload:
        try:
            text = read_upload(upload.read()).rstrip()
        except Unreadable as error:
            form.file.errors.append(str(error))
            return None
        # Said of the file: "give at least one line" under the box of lines, left empty, would point elsewhere.
        empty = empty_upload(upload.filename or "The file", text)
        if empty:
            form.file.errors.append(empty)
            return None
        return text
    if not typed.strip():
        form.lines.errors.append("Paste or type at least one line: name, email.")
        return None
    return typed


def _csv_link(made: list[Made], style: CsvStyle = PLAIN) -> str:
    """The list as a CSV file inside a data: link, so that it exists only in this one page and is never served
    again (the passwords are not stored to serve it from)."""
    # Its cells are made safe: a name from a pasted roster such as =HYPERLINK("https://…?"&D2) would otherwise run
    # when the list is opened, and could send the password beside it to another site. A byte-order mark lets
    # spreadsheets read the names in UTF-8.
    text = spreadsheet_csv(["name", "email", "role", "temporary password"],
                           [(a.name, a.email, a.role, a.password) for a in made], style)
    return "data:text/csv;charset=utf-8," + quote(text)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@admin_required
def temporary_password(user_id: int):
    """Ask, then give one account a temporary password, shown once, that its owner must change at login."""
    user = db.session.get(User, user_id) or abort(404)
    back = url_for("admin.users", **kept_search())
    if user.id == current_user.id:
        flash("Change your own password on your account page.", "info")
        return redirect(url_for("auth.password"))
    form = TemporaryPasswordForm()
    changed = None
    if form.validate_on_submit():
        try:
            password = give_confirmed_password(db.session, user, form.password_state.data)
        except AccountClosed:
            flash(f"{user.display_name} is deactivated: reactivate the account first.", "error")
            return redirect(back)
        except PasswordChanged as error:
            # Said, with the form again: the password given before stays the account's unless asked for again.
            changed = error
        else:
            revoked = revoke_all_tokens(db.session, user) if form.revoke_tokens.data else None
            page = render_template("admin/temporary_password.html", user=user, password=password, back=back,
                                   revoked=revoked, tokens=live_token_count(db.session, user))
            db.session.commit()
            return _once(page)
    if not user.is_active:
        flash(f"{user.display_name} is deactivated: reactivate the account first.", "error")
        return redirect(back)
    tokens = live_token_count(db.session, user)
    form.revoke_tokens.label.text = f"Also revoke its {tokens} API token{'s' if tokens != 1 else ''}"
    form.password_state.data = confirmation_token(user)
    return render_template("admin/temporary_password.html", user=user, form=form, back=back, password=None,
                           tokens=tokens, changed=changed), 409 if changed else 200
