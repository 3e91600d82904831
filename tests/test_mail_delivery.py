"""Real delivery to an SMTP server on loopback: mails arrive, and each way a server can fail is logged, without
the secret link, within a time limit; TLS checks the server's certificate."""

from __future__ import annotations

import email
import email.policy
import logging
import threading
import time

import pytest

from quizapp.mail import send_mail
from tests.conftest import make_app, open_link, register
from tests.smtp_server import Behaviour, SMTPServer, server_context, unused_port

SENDER = "Quiz <quiz@example.org>"


def mail_app(database, tmp_path, port: int, **settings):
    """A test app that really talks to the SMTP server on the loopback port."""
    return make_app(database, tmp_path, **{"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
                                           "MAIL_DEFAULT_SENDER": SENDER, "MAIL_SUPPRESS_SEND": False, **settings})


def send(app, to: str = "ada@example.org", body: str = "Open https://quiz.example.org/auth/reset/SECRET-TOKEN"):
    """Send one mail as the app does and wait for its thread; how long that took, in seconds."""
    start = time.monotonic()
    with app.test_request_context():
        thread = send_mail(to, "Set a new quizapp password", body)
    thread.join(timeout=30)
    assert not thread.is_alive(), "the mail thread is still waiting for the SMTP server"
    return time.monotonic() - start


def test_sign_up_mail_arrives_through_the_server_and_its_link_works(database, tmp_path):
    behaviour = Behaviour(password="s3cret")
    with SMTPServer(behaviour) as server:
        app = mail_app(database, tmp_path, server.port, MAIL_USERNAME="quiz", MAIL_PASSWORD="s3cret")
        client = app.test_client()
        register(client, "ada@example.org")
        deadline = time.monotonic() + 10
        while not behaviour.received and time.monotonic() < deadline:
            time.sleep(0.05)
    (sender, recipients, data), = behaviour.received
    assert behaviour.logins == ["quiz"] and sender == "quiz@example.org" and recipients == ["ada@example.org"]
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["From"] == SENDER and message["Subject"] == "Finish creating your quizapp account"
    assert message.get_content_type() == "text/plain"
    link = next(word for word in message.get_content().split() if "/auth/confirm/" in word)
    assert link.startswith("http://localhost/auth/confirm/")
    assert open_link(client, link, password="correct horse battery").status_code == 302


@pytest.mark.parametrize(("behaviour", "logged"), [
    (Behaviour(password="right"), "535"),
    (Behaviour(password="wrong", refuse=frozenset({"ada@example.org"})), "No such user here"),
])
def test_a_refused_login_or_recipient_is_logged_without_the_link(database, tmp_path, caplog, behaviour, logged):
    with SMTPServer(behaviour) as server:
        app = mail_app(database, tmp_path, server.port, MAIL_USERNAME="quiz", MAIL_PASSWORD="wrong")
        with caplog.at_level(logging.ERROR, logger="quizapp"):
            send(app)
    assert not behaviour.received
    assert "Could not send the mail 'Set a new quizapp password' to ada@example.org" in caplog.text
    assert logged in caplog.text and "SECRET-TOKEN" not in caplog.text and "wrong" not in caplog.text


def test_an_unreachable_server_is_logged(database, tmp_path, caplog):
    app = mail_app(database, tmp_path, unused_port())
    with caplog.at_level(logging.ERROR, logger="quizapp"):
        send(app)
    assert "Could not send the mail" in caplog.text and "Connection refused" in caplog.text


def test_a_server_that_never_answers_is_given_up_on(database, tmp_path, caplog, monkeypatch):
    monkeypatch.setattr("quizapp.mail.SMTP_TIMEOUT", 1, raising=False)
    with SMTPServer(Behaviour(silent=True)) as server:
        app = mail_app(database, tmp_path, server.port)
        with caplog.at_level(logging.ERROR, logger="quizapp"):
            took = send(app)
    assert took < 10
    assert "Could not send the mail" in caplog.text and "timed out" in caplog.text


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "port 465"])
def test_tls_refuses_a_server_whose_certificate_is_not_trusted(database, tmp_path, caplog, implicit):
    context, _certificate = server_context(tmp_path)
    behaviour = Behaviour(password="s3cret", implicit_tls=context) if implicit else \
        Behaviour(password="s3cret", tls=context)
    with SMTPServer(behaviour) as server:
        app = mail_app(database, tmp_path, server.port, MAIL_USE_TLS=not implicit, MAIL_USE_SSL=implicit,
                       MAIL_USERNAME="quiz", MAIL_PASSWORD="s3cret")
        with caplog.at_level(logging.ERROR, logger="quizapp"):
            send(app)
    # Neither the login nor the mail went to a server that could be anyone's.
    assert not behaviour.logins and not behaviour.received
    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "port 465"])
def test_tls_delivers_to_a_server_whose_certificate_is_trusted(database, tmp_path, monkeypatch, implicit):
    context, certificate = server_context(tmp_path)
    # How a school trusts its own certificate authority: OpenSSL reads SSL_CERT_FILE.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    behaviour = Behaviour(password="s3cret", implicit_tls=context) if implicit else \
        Behaviour(password="s3cret", tls=context)
    with SMTPServer(behaviour) as server:
        app = mail_app(database, tmp_path, server.port, MAIL_USE_TLS=not implicit, MAIL_USE_SSL=implicit,
                       MAIL_USERNAME="quiz", MAIL_PASSWORD="s3cret")
        send(app)
    assert behaviour.logins == ["quiz"] and len(behaviour.received) == 1



def test_ssl_alone_is_enough_for_port_465(database, tmp_path, monkeypatch):
    # MAIL_USE_TLS stays at its default: asking a port-465 server for STARTTLS inside TLS would be refused.
    context, certificate = server_context(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    behaviour = Behaviour(implicit_tls=context)
    with SMTPServer(behaviour) as server:
        app = make_app(database, tmp_path, MAIL_SERVER="localhost", MAIL_PORT=str(server.port), MAIL_USE_SSL="true",
                       MAIL_DEFAULT_SENDER=SENDER, MAIL_SUPPRESS_SEND=False)
        send(app)
    assert len(behaviour.received) == 1


@pytest.mark.parametrize(("settings", "expected"), [
    ({}, (587, False, True)),
    ({"MAIL_PORT": "465"}, (465, True, False)),
    ({"MAIL_PORT": "465", "MAIL_USE_SSL": "false"}, (465, False, True)),
    ({"MAIL_PORT": "25", "MAIL_USE_TLS": "false"}, (25, False, False)),
    ({"MAIL_USE_SSL": "true", "MAIL_USE_TLS": "true"}, (587, True, False)),
])
def test_port_465_means_tls_from_the_start_unless_told_otherwise(database, tmp_path, settings, expected):
    # Port 465 with neither setting would talk plain text into TLS and wait out the time limit on every mail.
    app = make_app(database, tmp_path, MAIL_SERVER="smtp.example.org", MAIL_DEFAULT_SENDER=SENDER, **settings)
    state = app.extensions["mail"]
    assert (state.port, state.use_ssl, state.use_tls) == expected


def test_the_message_is_made_off_the_request_so_a_slow_host_name_lookup_does_not_show(database, tmp_path, monkeypatch):
    # Each Message-ID names the host (socket.getfqdn), which can take seconds where the host's own name does not
    # resolve; a password reset mails only addresses that have an account, so the delay would tell which do.
    looked_up = []
    monkeypatch.setattr("socket.getfqdn", lambda *args: looked_up.append(threading.current_thread().name) or "host")
    behaviour = Behaviour()
    with SMTPServer(behaviour) as server:
        send(mail_app(database, tmp_path, server.port))
    # (smtplib names the host in its EHLO too, from the same thread.)
    assert set(looked_up) == {"quizapp-mail"} and len(behaviour.received) == 1


def test_the_mail_test_command_says_whether_the_server_took_the_mail(database, tmp_path):
    behaviour = Behaviour(password="s3cret")
    with SMTPServer(behaviour) as server:
        app = mail_app(database, tmp_path, server.port, MAIL_USERNAME="quiz", MAIL_PASSWORD="s3cret")
        took = app.test_cli_runner().invoke(args=["mail-test", "admin@example.org"])
        app.config["MAIL_PASSWORD"] = app.extensions["mail"].password = "wrong"
        refused = app.test_cli_runner().invoke(args=["mail-test", "admin@example.org"])
    assert took.exit_code == 0, took.output
    assert f"127.0.0.1:{server.port} took the mail for admin@example.org" in took.output
    (_sender, recipients, data), = behaviour.received
    assert recipients == ["admin@example.org"] and b"quizapp test mail" in data
    assert refused.exit_code == 1
    assert f"127.0.0.1:{server.port} did not take the mail: SMTPAuthenticationError: (535" in refused.output


def test_the_mail_test_command_without_a_mail_server_says_so(runner):
    result = runner.invoke(args=["mail-test", "admin@example.org"])
    assert result.exit_code == 1 and "QUIZAPP_MAIL_SERVER is not set" in result.output
