"""Outgoing mail: sent through Flask-Mail when MAIL_SERVER is set, otherwise kept in the log and instance/outbox/."""

from __future__ import annotations

import secrets
import smtplib
import ssl
import threading
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask.cli import with_appcontext
from flask_mail import Connection, Message

from quizapp.config import SettingError, flag, is_development
from quizapp.extensions import mail

DEVELOPMENT_SENDER = "quizapp <quizapp@localhost>"
# Seconds the SMTP server may take over each step; a server that never answers must not hold a thread (and a
# gunicorn worker's exit, which waits for it) for ever. Below gunicorn's graceful_timeout of 20 s.
SMTP_TIMEOUT = 15
IMPLICIT_TLS_PORT = 465


class MailSettingsMissing(SettingError):
    """MAIL_SERVER is set, but a setting that mails need is not."""


def init_mail(app: Flask) -> None:
    """Check and tidy the MAIL_* settings, then set up Flask-Mail."""
    config = app.config
    config["MAIL_PORT"] = int(config["MAIL_PORT"])
    # Port 465 takes TLS from the first byte: plain SMTP there would get no answer until the time limit.
    ssl_setting, tls_setting = config["MAIL_USE_SSL"], config["MAIL_USE_TLS"]
    use_ssl = config["MAIL_PORT"] == IMPLICIT_TLS_PORT if ssl_setting is None else flag(ssl_setting)
    use_tls = not use_ssl if tls_setting is None else flag(tls_setting)
    config["MAIL_USE_SSL"] = use_ssl
    # No server offers STARTTLS inside TLS; asking would fail every mail.
    config["MAIL_USE_TLS"] = use_tls and not use_ssl
    for name in ("MAIL_USERNAME", "MAIL_PASSWORD"):
        if config.get(name) is not None:
            # QUIZAPP_* values are read as JSON where they parse: a password of digits must stay a string.
            config[name] = str(config[name])
    # smtplib's debug output would print the login to the mail server.
    config.setdefault("MAIL_DEBUG", False)
    if config.get("MAIL_SERVER"):
        if not config.get("MAIL_DEFAULT_SENDER"):
            raise MailSettingsMissing("MAIL_SERVER is set but MAIL_DEFAULT_SENDER is not: set the From address "
                                      "of the app's mails, for example 'quizapp <quiz@school.example>'.")
        if not config.get("SERVER_NAME") and not is_development(app):
            # Otherwise links in mails would take the Host header of the request that asked for them, and a
            # password reset asked for with a forged Host would mail its secret link to someone else's site.
            raise MailSettingsMissing("MAIL_SERVER is set but SERVER_NAME is not: set QUIZAPP_SERVER_NAME to the "
                                      "public host name (for example quiz.example.org), so links in mails point "
                                      "at this site.")
    else:
        # Nothing goes to an SMTP server; Flask-Mail still signals each message, which the tests record.
        config["MAIL_SUPPRESS_SEND"] = True
        config["MAIL_DEFAULT_SENDER"] = config.get("MAIL_DEFAULT_SENDER") or DEVELOPMENT_SENDER
        if not is_development(app):
            app.logger.warning("MAIL_SERVER is not set: self sign-up and password reset by email are off, and "
                               "instructors invited to teach a class are not told by email. Admins make accounts and "
                               "give temporary passwords on the Users page; make the first "
                               "admin with `flask --app quizapp users create EMAIL --role admin`.")
    mail.init_app(app)


def mail_available(app: Flask | None = None) -> bool:
    """Whether mails reach people: MAIL_SERVER is set, or development, where the outbox stands in for it."""
    app = app or current_app
    return bool(app.config.get("MAIL_SERVER")) or is_development(app)


def mail_kept_locally(app: Flask | None = None) -> bool:
    """Whether mails go to the log and instance/outbox/ instead of out: development without MAIL_SERVER."""
    app = app or current_app
    return not app.config.get("MAIL_SERVER") and is_development(app)


def site_link(endpoint: str, **values: str) -> str:
    """An absolute link to the site for a mail, https whenever its cookies are Secure (then it works only over HTTPS).

    Behind a proxy whose X-Forwarded-Proto is not trusted (QUIZAPP_PROXY_HOPS left at 0) the request looks like
    plain HTTP, and a link saying http would carry its secret token in clear before being redirected."""
    scheme = "https" if current_app.config.get("SESSION_COOKIE_SECURE") else None
    return url_for(endpoint, _external=True, _scheme=scheme, **values)


def one_line(text: str) -> str:
    """The text with every run of spaces and line breaks (of any kind) made one space, and none at the ends."""
    return " ".join(text.split())


def send_mail(to: str, subject: str, body: str) -> threading.Thread | None:
    """Send a plain-text mail; through MAIL_SERVER it goes from a thread, which is returned."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    # Subjects name what users wrote (a class name, say): a line break there would start a header of its own in
    # the outbox file, and make Flask-Mail refuse the message.
    subject = one_line(subject)
    if app.config.get("MAIL_SERVER"):
        # In the background, the message too (its Message-ID looks up the host's name): the mail server's delay
        # must not show in the response time, which would tell whether a password reset found an account.
        thread = threading.Thread(target=_deliver, args=(app, to, subject, body), name="quizapp-mail")
        thread.start()
        return thread
    message = Message(subject=subject, recipients=[to], body=body)
    path = _keep(Path(app.instance_path) / "outbox", message)
    # A warning, so that it shows in the terminal of `flask run`, whose log level hides information.
    app.logger.warning("MAIL_SERVER is not set, so this mail was not sent; it is saved as %s\n"
                       "To: %s\nSubject: %s\n\n%s", path, to, subject, body)
    mail.send(message)  # suppressed: only signals the message
    return None


class CheckedConnection(Connection):
    """Flask-Mail's connection with a time limit, and TLS that checks the server's certificate and name.

    Flask-Mail leaves both to smtplib, whose TLS accepts any certificate: whoever sits between the app and
    the mail server could read the SMTP password and every password-reset link."""

    def configure_host(self) -> smtplib.SMTP:
        settings = self.mail
        context = ssl.create_default_context()
        if settings.use_ssl:
            host: smtplib.SMTP = smtplib.SMTP_SSL(settings.server, settings.port, timeout=SMTP_TIMEOUT,
                                                  context=context)
        else:
            host = smtplib.SMTP(settings.server, settings.port, timeout=SMTP_TIMEOUT)
        try:
            if settings.use_tls:
                host.starttls(context=context)
            if settings.username and settings.password:
                host.login(settings.username, settings.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        if self.host is None:
            return
        if exc_type is None:
            self.host.quit()
        else:
            # QUIT on a connection that just failed would wait out the time limit again and hide the first error.
            self.host.close()


def deliver(to: str, subject: str, body: str) -> None:
    """Hand a plain-text mail to MAIL_SERVER now; raises what the server or the connection raised."""
    message = Message(subject=one_line(subject), recipients=[to], body=body)
    with CheckedConnection(current_app.extensions["mail"]) as connection:
        message.send(connection)


def _deliver(app: Flask, to: str, subject: str, body: str) -> None:
    with app.app_context():
        try:
            deliver(to, subject, body)
        except Exception:
            # Never the body: it holds the secret link.
            app.logger.exception("Could not send the mail %r to %s", subject, to)


@click.command("mail-test", short_help="Send a test mail through the mail settings and say how it went.")
@click.argument("email")
@with_appcontext
def mail_test_command(email: str) -> None:
    """Send a test mail to EMAIL through QUIZAPP_MAIL_SERVER at once, and say whether the server took it."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        raise click.ClickException("QUIZAPP_MAIL_SERVER is not set, so the app sends no mail (docs/deploy.md, Mail).")
    where = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    body = ("This mail was sent with `flask mail-test` to check the mail settings of quizapp.\n"
            f"Sent through {where} from {config['MAIL_DEFAULT_SENDER']}.\n")
    try:
        deliver(email, "quizapp test mail", body)
    except Exception as error:
        raise click.ClickException(f"{where} did not take the mail: {type(error).__name__}: {error}") from error
    click.echo(f"{where} took the mail for {email}; check that it arrives, and not as spam.")


def _keep(folder: Path, message: Message) -> Path:
    """Write the message as an .eml file that a mail program opens; names sort by time."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = folder / f"{stamp}-{secrets.token_hex(3)}.eml"
    path.write_bytes(message.as_bytes())
    return path

