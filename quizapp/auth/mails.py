"""The mails of sign-up and password reset; links in them are absolute (SERVER_NAME in production)."""

from __future__ import annotations

from flask import render_template

from quizapp.mail import send_mail, site_link

REGISTRATION_HOURS = 24
RESET_MINUTES = 60


def send_confirmation(email: str, token: str) -> None:
    """The link that turns a sign-up into an account."""
    body = render_template("auth/mail/confirm.txt", link=site_link("auth.confirm", token=token),
                           hours=REGISTRATION_HOURS)
    send_mail(email, "Finish creating your quizapp account", body)


def send_already_registered(email: str) -> None:
    """To an account's owner when someone signs up with its address: log in, or reset the password."""
    body = render_template("auth/mail/already_registered.txt", login=site_link("auth.login"),
                           forgot=site_link("auth.forgot"))
    send_mail(email, "Your quizapp account", body)


def send_reset(email: str, token: str) -> None:
    """The link to set a new password."""
    body = render_template("auth/mail/reset.txt", link=site_link("auth.reset", token=token),
                           minutes=RESET_MINUTES)
    send_mail(email, "Set a new quizapp password", body)


def send_deactivated(email: str) -> None:
    """To the owner of a deactivated account who asked for a new password or signed up again: it is closed."""
    send_mail(email, "Your quizapp account is deactivated", render_template("auth/mail/deactivated.txt"))
