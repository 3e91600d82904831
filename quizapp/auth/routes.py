"""Login, logout and password change; sign-up and password reset are in their own modules."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask import session as cookie_session
from flask_login import current_user, login_remembered, login_required, login_user, logout_user

from quizapp.auth import bp
from quizapp.auth.accounts import authenticate, password_just_changed
from quizapp.auth.forms import LoginForm, LogoutForm, PasswordForm
from quizapp.auth.limits import failed_logins_per_email, logins_per_address, wrong_passwords_per_account
from quizapp.auth.temporary import chose_own_password
from quizapp.extensions import db, login_manager
from quizapp.http import own_page
from quizapp.mail import mail_available
from quizapp.signing import same_csrf_token
from quizapp.web import MUST_CHANGE


def _safe_next(target: str | None) -> str:
    """Only follow a 'next' link that stays on this site."""
    return own_page(target) or url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@logins_per_address
@failed_logins_per_email
def login():
    """Log in with email and password, then go where the login was asked for."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is not None and user.is_active:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        if user is not None:
            # Only whoever knows the password learns that the account exists and is closed. Nothing on the form
            # is wrong, so no field is marked.
            return render_template("auth/login.html", form=form, mail_on=mail_available(), closed=True), 403
        form.password.errors.append("The email or password is not right.")
    return render_template("auth/login.html", form=form, mail_on=mail_available()), 200 if not form.errors else 422


@bp.post("/logout")
@login_required
def logout():
    """Log out here and end every other session of the account."""
    form = LogoutForm()
    if form.validate_on_submit():
        # A copied session cookie or remember-me cookie stops working too, on every device.
        current_user.end_sessions()
        db.session.commit()
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@wrong_passwords_per_account
def password():
    """Change the password, which ends every other session of the account."""
    if not current_user.is_authenticated:
        return _password_sent_again()
    form = PasswordForm()
    temporary = current_user.must_change_password
    if temporary:
        form.current.label.text = "The temporary password you were given"
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            if not temporary and current_user.check_password(form.password.data):
                # Sent again, with the cookie that the first sending's answer set (a double click): done already.
                return _password_changed(False)
            g.wrong_current_password = True
            form.current.errors.append("That is not your current password.")
        elif temporary and form.password.data == form.current.data:
            form.password.errors.append("That is the temporary password you were given: choose one of your own.")
        else:
            # Read before the session version moves on: "Keep me logged in" must outlive the change here.
            remembered = login_remembered()
            chose_own_password(current_user, form.password.data)
            current_user.end_sessions()
            db.session.commit()
            # This browser stays logged in under the new session version, with a new remember-me cookie if it had one.
            # The account itself, not the current_user proxy: stored as the request's user, the proxy would
            # point at itself.
            # Its form token too: a second click, sent with the cookie this answer sets, still carries it.
            with same_csrf_token():
                login_user(current_user._get_current_object(), remember=remembered)
            return _password_changed(temporary)
    return (render_template("auth/password.html", form=form, temporary=temporary, mail_on=mail_available()),
            422 if form.errors else 200)


def _password_changed(temporary: bool):
    """Where a browser goes once its password is changed."""
    if temporary:
        flash("Your password is set: from now on, log in with it.", "success")
        return redirect(url_for("main.index"))
    flash("Your password is changed. Other devices have been logged out.", "success")
    return redirect(url_for("auth.tokens"))


def _password_sent_again():
    """The form sent a second time with the session its first sending ended (a double click): the browser stays
    logged in as after the first, if the password is the one that sending set; anyone else must log in."""
    form = PasswordForm()
    if request.method == "POST" and "_user_id" in cookie_session and form.validate_on_submit():
        user = password_just_changed(db.session, cookie_session["_user_id"], form.password.data)
        if user is not None:
            temporary = bool(cookie_session.get(MUST_CHANGE))  # read first: logging in clears the note
            login_user(user, remember=login_remembered())
            return _password_changed(temporary)
        # Held to the lockout as a wrong current password: a copied old cookie cannot guess the new one endlessly.
        g.wrong_current_password = True
    return login_manager.unauthorized()
