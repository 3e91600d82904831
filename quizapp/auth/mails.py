"""The mails of sign-up and password reset; links in them are absolute (SERVER_NAME in production)."""

from __future__ import annotations

from flask import current_app, render_template, url_for

from quizapp.mail import send_mail

REGISTRATION_HOURS = 24
RESET_MINUTES = 60


def _link(endpoint: str, **values: str) -> str:
    """An absolute link to the site, https whenever its cookies are Secure (then it works only over HTTPS).

    Behind a proxy whose X-Forwarded-Proto is not trusted (QUIZAPP_PROXY_HOPS left at 0) the request looks like
    plain HTTP, and a link saying http would carry its secret token in clear before being redirected."""
    scheme = "https" if current_app.config.get("SESSION_COOKIE_SECURE") else None
    return url_for(endpoint, _external=True, _scheme=scheme, **values)


def send_confirmation(email: str, token: str) -> None:
    """The link that turns a sign-up into an account."""
    body = render_template("auth/mail/confirm.txt", link=_link("auth.confirm", token=token),
                           hours=REGISTRATION_HOURS)
    send_mail(email, "Finish creating your quizapp account", body)


def send_already_registered(email: str) -> None:
    """To an account's owner when someone signs up with its address: log in, or reset the password."""
    body = render_template("auth/mail/already_registered.txt", login=_link("auth.login"),
                           forgot=_link("auth.forgot"))
    send_mail(email, "Your quizapp account", body)


def send_reset(email: str, token: str) -> None:
    """The link to set a new password."""
    body = render_template("auth/mail/reset.txt", link=_link("auth.reset", token=token),
                           minutes=RESET_MINUTES)
    send_mail(email, "Set a new quizapp password", body)


def send_deactivated(email: str) -> None:
    """To the owner of a deactivated account who asked for a new password or signed up again: it is closed."""
    send_mail(email, "Your quizapp account is deactivated", render_template("auth/mail/deactivated.txt"))
