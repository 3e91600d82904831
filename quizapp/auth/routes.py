"""Account pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quizapp.auth import bp
from quizapp.auth.accounts import EmailTaken, authenticate, normalise_email, register_user
from quizapp.auth.forms import LoginForm, LogoutForm, PasswordForm, RegisterForm
from quizapp.extensions import db, limiter


def _login_key() -> str:
    """Failed logins count per typed email, whether or not an account has it, so a lockout reveals nothing."""
    return "login:" + normalise_email(request.form.get("email", ""))[:254]


def _per_address() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _per_account() -> str:
    return current_app.config["LOGIN_LOCKOUT"]


def _safe_next(target: str | None) -> str:
    """Only follow a 'next' link that stays on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.index")


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = register_user(db.session, form.email.data, form.display_name.data, form.password.data)
        except EmailTaken:
            form.email.errors.append("This email cannot be used to register. Log in if it is yours.")
        else:
            db.session.commit()
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form), 200 if not form.errors else 422


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"],
               error_message="Too many logins from this network. Wait a minute and try again.")
@limiter.limit(_per_account, key_func=_login_key, methods=["POST"], deduct_when=lambda r: r.status_code != 302,
               error_message="Too many failed logins with this email. Wait 15 minutes and try again.")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("The email or password is not right.")
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        # A copied session cookie or remember-me cookie stops working too, on every device.
        current_user.end_sessions()
        db.session.commit()
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append("That is not your current password.")
        else:
            current_user.set_password(form.password.data)
            current_user.end_sessions()
            db.session.commit()
            login_user(current_user)  # this browser stays logged in under the new session version
            flash("Your password is changed. Other devices have been logged out.", "success")
            return redirect(url_for("auth.tokens"))
    return render_template("auth/password.html", form=form), 422 if form.errors else 200
