"""Personal API tokens: made (the secret shown once), listed and revoked by their owner."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from quizapp.api.tokens import create_token, has_token_named, revoke_token, tokens_of
from quizapp.auth import bp
from quizapp.auth.forms import RevokeForm, TokenForm
from quizapp.extensions import db


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """The account page: personal API tokens, and a form to make one (shown once)."""
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
    status = 422 if form.errors else 200
    response = render_template("auth/tokens.html", form=form, secret=secret,
                               tokens=tokens_of(db.session, current_user), revoke=RevokeForm())
    # The page may hold a secret shown once: no cache may keep it.
    return response, status, {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one of the account's own API tokens."""
    if RevokeForm().validate_on_submit() and revoke_token(db.session, current_user, token_id):
        db.session.commit()
        flash("The token is revoked: scripts using it are refused from now on.", "success")
    return redirect(url_for("auth.tokens"))
