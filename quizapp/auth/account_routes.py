"""The account page: the name others see, and personal API tokens, made (the secret shown once), listed and revoked."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from quizapp.api.tokens import create_token, has_token_named, revoke_token, tokens_of
from quizapp.auth import bp
from quizapp.auth.accounts import rename
from quizapp.auth.forms import NameForm, RevokeForm, TokenForm
from quizapp.extensions import db


def _account_page(name_form: NameForm | None = None, token_form: TokenForm | None = None,
                  secret: str | None = None):
    """The page with one form sent (it reads the request) and the others as they start."""
    name_form = name_form or NameForm(formdata=None, display_name=current_user.display_name)
    token_form = token_form or TokenForm(formdata=None)
    status = 422 if name_form.errors or token_form.errors else 200
    # The page may hold a secret shown once: like every page of a logged-in account, it goes out with no-store.
    return render_template("auth/tokens.html", name_form=name_form, form=token_form, secret=secret,
                           tokens=tokens_of(db.session, current_user), revoke=RevokeForm()), status


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """The account page: the name, the password, personal API tokens and a form to make one (shown once)."""
    form, secret = TokenForm(), None
    if form.validate_on_submit():
        if has_token_named(db.session, current_user, form.name.data):
            # Most often the page was reloaded after making the token, whose secret was shown once already.
            form.name.errors.append(f"You already have a token named “{form.name.data.strip()}”. Name this one "
                                    "differently, or revoke that one first.")
        else:
            _token, secret = create_token(db.session, current_user, form.name.data)
            db.session.commit()
            form = TokenForm(formdata=None)
    return _account_page(token_form=form, secret=secret)


@bp.post("/name")
@login_required
def change_name():
    """Change the name others see (in rosters and gradebooks) and the header shows."""
    form = NameForm()
    if not form.validate_on_submit():
        return _account_page(name_form=form)
    rename(current_user, form.display_name.data)
    db.session.commit()
    flash(f"Your name is now “{current_user.display_name}”.", "success")
    return redirect(url_for("auth.tokens"))


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one of the account's own API tokens."""
    if RevokeForm().validate_on_submit() and revoke_token(db.session, current_user, token_id):
        db.session.commit()
        flash("The token is revoked: scripts using it are refused from now on.", "success")
    return redirect(url_for("auth.tokens"))
