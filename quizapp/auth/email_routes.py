"""The account pages reached through mail: sign-up with its confirmation link, and password reset."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user, login_user

from quizapp.api.tokens import live_token_count
from quizapp.auth import bp
from quizapp.auth.accounts import EmailTaken, normalise_email
from quizapp.auth.forms import ConfirmForm, ForgotForm, RegisterForm, ResetForm
from quizapp.auth.limits import mail_forms_per_address, mails_per_email, wrong_passwords_per_signup
from quizapp.auth.mails import REGISTRATION_HOURS, RESET_MINUTES
from quizapp.auth.registration import (
    already_registered,
    confirm_registration,
    password_matches,
    registration_for,
    request_registration,
)
from quizapp.auth.reset import request_reset, reset_link_used, set_new_password, user_for_reset
from quizapp.extensions import csrf, db
from quizapp.mail import mail_available, mail_kept_locally

# Pages reached by a secret link: no cache may keep them.
NO_STORE = {"Cache-Control": "no-store"}


@bp.context_processor
def mail_destination() -> dict[str, bool]:
    """Tell the mail pages whether mails only reach the terminal and instance/outbox/ (a local run without mail)."""
    # Saying "we sent a link, look in the spam folder" there would send the person looking in the wrong place.
    return {"mail_kept_locally": mail_kept_locally()}


@bp.route("/register", methods=["GET", "POST"])
@mail_forms_per_address
@mails_per_email
def register():
    """Sign-up form: mails a confirmation link, answering alike whether the address is known."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if not mail_available():
        return render_template("auth/register.html", form=None)
    form = RegisterForm()
    if form.validate_on_submit():
        request_registration(db.session, form.email.data, form.display_name.data, form.password.data)
        # The same page whether or not the address has an account: only its owner learns which, by mail.
        return render_template("auth/check_email.html", email=normalise_email(form.email.data),
                               hours=REGISTRATION_HOURS)
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@wrong_passwords_per_signup
def confirm(token: str):
    # GET only shows a button: mail scanners that open links must not use them up.
    """Open a sign-up's link and, on confirming, create the account and log it in."""
    pending = registration_for(db.session, token)
    if pending is None:
        return render_template("auth/link_expired.html", kind="register", hours=REGISTRATION_HOURS), 404, NO_STORE
    email = pending.email  # kept: the row is gone once used
    form = ConfirmForm()
    if form.validate_on_submit():
        if password_matches(pending, form.password.data):
            try:
                user = confirm_registration(db.session, pending, form.device_zone.data)
            except EmailTaken:
                return _taken(email)
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("main.index"))
        g.wrong_signup_password = True
        form.password.errors.append("That is not the password chosen with this sign-up. Only the last sign-up "
                                    "for an address counts: if that was not yours, sign up again.")
    if already_registered(db.session, pending):
        return _taken(email)
    return render_template("auth/confirm.html", form=form, email=email), 422 if form.errors else 200, NO_STORE


def _taken(email: str):
    """The address got an account after signing up (an administrator made one meanwhile)."""
    return render_template("auth/already_registered.html", email=email), 200, NO_STORE


@bp.route("/forgot", methods=["GET", "POST"])
@mail_forms_per_address
@mails_per_email
def forgot():
    """Ask for a password-reset link by email, answering alike whether the address is known."""
    if not mail_available():
        return render_template("auth/forgot.html", form=None)
    form = ForgotForm()
    if form.validate_on_submit():
        request_reset(db.session, form.email.data)
        # The same page whether or not an account has the address.
        return render_template("auth/forgot_sent.html", email=normalise_email(form.email.data),
                               minutes=RESET_MINUTES)
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@csrf.exempt  # checked below, once the link is known to work
def reset(token: str):
    """Set a new password from a reset link, which works once and ends every other session."""
    user = user_for_reset(db.session, token)
    if user is None:
        return _dead_reset_link(token)
    # A link sent again from a second tab, after the first logged this browser in (which renews its form token),
    # is told it was used rather than that its form expired.
    csrf.protect()
    form = ResetForm()
    if form.validate_on_submit():
        if not set_new_password(db.session, user, form.password.data):
            return _dead_reset_link(token)  # sent from another tab at the same moment, which set the password
        login_user(user)  # under the new session version: every other session has ended
        flash("Your new password is set. Every other device has been logged out.", "success")
        tokens = live_token_count(db.session, user)
        if tokens:
            # A reset is how an account is taken back, and tokens made by whoever held it still work.
            still = "1 API token of this account still works" if tokens == 1 else \
                f"{tokens} API tokens of this account still work"
            flash(f"{still}: revoke any you did not make.", "error")
            return redirect(url_for("auth.tokens"))
        return redirect(url_for("main.index"))
    return render_template("auth/reset.html", form=form), 422 if form.errors else 200, NO_STORE


def _dead_reset_link(token: str):
    """The page of a reset link that no longer works: used already (in another tab, say), or expired."""
    kind = "reset-used" if reset_link_used(db.session, token) else "reset"
    return render_template("auth/link_expired.html", kind=kind, minutes=RESET_MINUTES), 404, NO_STORE
