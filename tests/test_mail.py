"""Outgoing mail: without MAIL_SERVER each message is logged and saved under instance/outbox/, nothing is sent;
with it, messages go out through Flask-Mail from a thread."""

from __future__ import annotations

import email
import email.policy
import logging
import re
from pathlib import Path

import pytest

from quizapp.auth.mails import send_already_registered, send_confirmation, send_reset
from quizapp.mail import send_mail
from tests.conftest import csrf_from, make_app, recorded_mail, register


def test_without_mail_server_the_message_is_logged_and_saved_in_the_outbox(app, client, mailbox, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="quizapp"):
        register(client, "ada@example.org")
    link = mailbox.link("/auth/confirm/")
    saved, = sorted((Path(app.instance_path) / "outbox").glob("*.eml"))
    message = email.message_from_bytes(saved.read_bytes(), policy=email.policy.default)
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Finish creating your quizapp account"
    assert message["From"] == "quizapp <quizapp@localhost>"
    assert link in message.get_content()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "MAIL_SERVER is not set" in logged and str(saved) in logged and link in logged


def test_with_a_mail_server_nothing_goes_to_the_outbox(database, tmp_path):
    app = make_app(database, tmp_path, MAIL_SERVER="smtp.example.org", MAIL_DEFAULT_SENDER="Quiz <quiz@example.org>")
    # TESTING keeps Flask-Mail from connecting; it still hands over each message, which is recorded.
    assert app.extensions["mail"].suppress
    with app.test_request_context(), recorded_mail() as box:
        thread = send_mail("ada@example.org", "Hello", "Body text")
        assert thread is not None
        thread.join(timeout=10)
    assert box.last.recipients == ["ada@example.org"] and box.last.sender == "Quiz <quiz@example.org>"
    assert not (tmp_path / "outbox").exists()


def test_a_failure_to_send_is_logged_not_raised(database, tmp_path, caplog, monkeypatch):
    app = make_app(database, tmp_path, MAIL_SERVER="smtp.example.org", MAIL_DEFAULT_SENDER="quiz@example.org")
    monkeypatch.setattr("quizapp.mail.CheckedConnection.send", lambda self, message: 1 / 0)
    with app.test_request_context(), caplog.at_level(logging.ERROR, logger="quizapp"):
        send_mail("ada@example.org", "Hello", "Body").join(timeout=10)
    assert "Could not send the mail 'Hello' to ada@example.org" in caplog.text


@pytest.mark.parametrize(("secure", "scheme"), [(True, "https"), (False, "http")])
def test_links_in_mails_use_https_whenever_cookies_are_secure(database, tmp_path, secure, scheme):
    # Behind a proxy whose X-Forwarded-Proto is not trusted (QUIZAPP_PROXY_HOPS left at 0) the request looks like
    # plain HTTP; a link saying http would carry its token in clear, though the site works only over HTTPS.
    app = make_app(database, tmp_path, SERVER_NAME="quiz.example.org", SECURE_COOKIES=secure)
    with app.test_request_context("/auth/forgot", base_url="http://quiz.example.org"), recorded_mail() as box:
        send_reset("ada@example.org", "TOKEN")
        send_confirmation("ada@example.org", "TOKEN")
        send_already_registered("ada@example.org")
    links = [link for message in box.messages for link in box.links(message)]
    assert len(links) == 4 and all(link.startswith(f"{scheme}://quiz.example.org/auth/") for link in links)


def _mail_pages(client) -> dict[str, str]:
    """The sign-up and reset forms, and the pages that follow sending each, as text without tags."""
    pages = {"register": client.get("/auth/register"), "registered": register(client, "ada@example.org"),
             "forgot": client.get("/auth/forgot")}
    pages["asked"] = client.post("/auth/forgot", data={"csrf_token": csrf_from(pages["forgot"].get_data(as_text=True)),
                                                        "email": "ada@example.org"})
    return {name: " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())
            for name, page in pages.items()}


def test_without_a_mail_server_the_pages_point_to_the_terminal_and_the_outbox(client, mailbox):
    """A local `make run` sends nothing: "we sent a link, look in the spam folder" would send people looking in vain."""
    pages = _mail_pages(client)
    for name, text in pages.items():
        assert "terminal where quizapp runs" in text and "instance/outbox/" in text, name
        assert "spam" not in text and "We sent" not in text, name
    assert "the mail to ada@example.org was not sent" in pages["registered"]
    assert len(mailbox) == 1  # the link is there all the same


def test_with_a_mail_server_the_pages_say_the_mail_was_sent(database, tmp_path):
    app = make_app(database, tmp_path, MAIL_SERVER="smtp.example.org", MAIL_DEFAULT_SENDER="quiz@example.org")
    with app.app_context(), recorded_mail():
        pages = _mail_pages(app.test_client())
    assert "We sent a link to ada@example.org" in pages["registered"] and "spam folder" in pages["asked"]
    assert not any("terminal" in text or "outbox" in text for text in pages.values())


@pytest.mark.parametrize(("subject", "shown"), [
    ("History\nBcc: eve@example.org", "History Bcc: eve@example.org"),
    ("History\r\n\r\nBcc: eve@example.org", "History Bcc: eve@example.org"),
    ("History\u2028Bcc: eve@example.org", "History Bcc: eve@example.org"),
    ("Histoire\u0085Bcc: ève@example.org ", "Histoire Bcc: ève@example.org"),
])
def test_a_subject_with_line_breaks_stays_one_header(app, mailbox, subject, shown):
    # Subjects name things users write (a class name): a line break in one must not start a header of its own.
    with app.test_request_context():
        send_mail("ada@example.org", subject, "Body")
    sent = email.message_from_bytes(mailbox.last.as_bytes(), policy=email.policy.default)
    assert "Bcc" not in sent and sent["To"] == "ada@example.org" and sent["Subject"] == shown
    saved, = (Path(app.instance_path) / "outbox").glob("*.eml")
    assert b"\nBcc" not in saved.read_bytes()
