"""Account pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quizapp.auth import bp
from quizapp.auth.accounts import EmailTaken, authenticate, register_user
from quizapp.auth.forms import LoginForm, LogoutForm, RegisterForm
from quizapp.extensions import db


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
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("main.index"))
