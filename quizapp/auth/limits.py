"""Rate limits of the account forms: per client address, and per email typed into the form.

Counting per typed email, whether or not an account has it, means a refusal reveals nothing about accounts.
"""

from __future__ import annotations

from flask import g, request, session
from flask.wrappers import Response
from flask_login import current_user

from quizapp.auth.accounts import normalise_email
from quizapp.extensions import limit_setting, limiter
from quizapp.models.user import parse_session_id


def _typed_email() -> str:
    return normalise_email(request.form.get("email", ""))[:254]


def _login_key() -> str:
    return "login:" + _typed_email()


def _mail_key() -> str:
    return "mail:" + _typed_email()


def _password_key() -> str:
    # A session that a password change ended counts against its account too (see routes.password).
    account = getattr(current_user, "id", None)
    if account is None:
        login = parse_session_id(str(session.get("_user_id", "")))
        account = login[0] if login else ""
    return f"password:{account}"


def _signup_key() -> str:
    return "signup:" + str((request.view_args or {}).get("token", ""))[:300]


def _wrong_current_password(_response: Response) -> bool:
    return bool(g.get("wrong_current_password"))


def _wrong_signup_password(_response: Response) -> bool:
    return bool(g.get("wrong_signup_password"))


def _failed_login(response: Response) -> bool:
    return response.status_code != 302


def _mail_asked(response: Response) -> bool:
    # The form was valid: a mail went out, or would have had the address an account.
    return response.status_code == 200


# Only failed logins count against an address: a whole class signing in from behind one school address
# costs nothing, while guessing passwords across many accounts from one address is slowed all the same.
logins_per_address = limiter.limit(
    limit_setting("LOGIN_RATE_LIMIT"), methods=["POST"], deduct_when=_failed_login,
    error_message="Too many failed logins from this network. Wait a minute and try again.")
failed_logins_per_email = limiter.limit(
    limit_setting("LOGIN_LOCKOUT"), key_func=_login_key, methods=["POST"], deduct_when=_failed_login,
    error_message="Too many failed logins with this email. Wait 15 minutes and try again.")
# Guessing the current password on the password form, from a session left open or a copied cookie, is held to
# the login lockout too: otherwise whoever holds a session could try passwords there without end.
wrong_passwords_per_account = limiter.limit(
    limit_setting("LOGIN_LOCKOUT"), key_func=_password_key, methods=["POST"], deduct_when=_wrong_current_password,
    error_message="Too many wrong current passwords. Wait 15 minutes and try again.")
# A sign-up's link opens its account only with the password chosen with it: whoever got hold of the link
# (a forwarded mail, a shared inbox) meets the login lockout there too.
wrong_passwords_per_signup = limiter.limit(
    limit_setting("LOGIN_LOCKOUT"), key_func=_signup_key, methods=["POST"], deduct_when=_wrong_signup_password,
    error_message="Too many wrong passwords for this sign-up. Wait 15 minutes and try again.")
# Sign-up and password-reset requests share their counters: both send mail.
mail_forms_per_address = limiter.shared_limit(
    limit_setting("MAIL_FORMS_RATE_LIMIT"), scope="mail-forms", methods=["POST"],
    error_message="Too many requests from this network. Wait a while and try again.")
mails_per_email = limiter.shared_limit(
    limit_setting("MAILS_PER_EMAIL"), scope="mails-per-email", key_func=_mail_key, methods=["POST"],
    deduct_when=_mail_asked,
    error_message="Too many mails were asked for this address. Wait an hour and try again.")
