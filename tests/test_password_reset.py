"""Password reset by email: the same answer for any address, a signed link that works once and for an hour, and
a new password that ends every other session."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from quizapp.api.tokens import create_token, revoke_token
from quizapp.auth import reset
from quizapp.auth.reset import reset_token, user_for_reset
from quizapp.extensions import db
from quizapp.models.types import utcnow
from tests.conftest import PASSWORD, csrf_from, login, make_app, open_link, recorded_mail
from tests.test_registration import comparable

NEW = "a brand new password"


def ask(client, email: str):
    page = client.get("/auth/forgot").get_data(as_text=True)
    return client.post("/auth/forgot", data={"csrf_token": csrf_from(page), "email": email})


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].partition("/")[2]


def test_the_login_page_links_to_the_reset(client):
    assert 'href="/auth/forgot">Forgot your password?</a>' in client.get("/auth/login").get_data(as_text=True)


def test_the_answer_is_the_same_for_any_address_and_only_accounts_get_mail(app, make_user, mailbox):
    make_user(email="known@example.org")
    known = ask(app.test_client(), "KNOWN@example.org")
    unknown = ask(app.test_client(), "other@example.org")  # as long, so that only the address itself differs
    assert known.status_code == 200
    assert "If an account uses <strong>known@example.org</strong>" in known.get_data(as_text=True)
    status, headers, page = comparable(known)
    assert (status, headers, page.replace("known@", "other@")) == comparable(unknown)
    assert len(mailbox) == 1 and mailbox.last.recipients == ["known@example.org"]
    assert mailbox.last.subject == "Set a new quizapp password"
    assert mailbox.link().startswith("http://localhost/auth/reset/")


def test_the_link_sets_a_new_password_logs_in_and_ends_other_sessions(app, student, mailbox):
    elsewhere = app.test_client()
    login(elsewhere, student.email)
    assert elsewhere.get("/progress/").status_code == 200
    here = app.test_client()
    ask(here, student.email)
    link = mailbox.link("/auth/reset/")
    page = here.get(path_of(link))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    done = open_link(here, link, password=NEW, confirm=NEW)
    assert done.status_code == 302 and done.location == "/"
    assert "Your new password is set" in here.get("/").get_data(as_text=True)
    assert here.get("/progress/").status_code == 200
    assert elsewhere.get("/progress/").status_code == 302
    assert login(app.test_client(), student.email, PASSWORD).status_code == 422
    assert login(app.test_client(), student.email, NEW).status_code == 302

    used = here.get(path_of(link))
    assert used.status_code == 404 and "This link was already used" in used.get_data(as_text=True)
    assert 'href="/auth/forgot"' in used.get_data(as_text=True)


def test_a_link_sent_from_a_second_tab_says_it_was_used_and_changes_nothing(app, student, mailbox):
    here = app.test_client()
    ask(here, student.email)
    link = path_of(mailbox.link("/auth/reset/"))
    first_tab = csrf_from(here.get(link).get_data(as_text=True))
    second_tab = csrf_from(here.get(link).get_data(as_text=True))
    elsewhere = app.test_client()  # the link opened in another browser too
    third_tab = csrf_from(elsewhere.get(link).get_data(as_text=True))
    assert here.post(link, data={"csrf_token": first_tab, "password": NEW, "confirm": NEW}).status_code == 302
    for client, token, logged_in in ((here, second_tab, True), (elsewhere, third_tab, False)):
        again = client.post(link, data={"csrf_token": token, "password": "another new password",
                                        "confirm": "another new password"})
        page = again.get_data(as_text=True)
        assert again.status_code == 404 and "This link was already used" in page
        assert 'href="/auth/forgot">ask for a new link</a>' in page
        assert ("You are logged in" in page) is logged_in
    assert login(app.test_client(), student.email, NEW).status_code == 302
    assert "This link was already used" in here.get(link).get_data(as_text=True)


def test_a_working_link_still_needs_the_form_token(client, student, mailbox):
    ask(client, student.email)
    link = path_of(mailbox.link("/auth/reset/"))
    client.get(link)
    forged = client.post(link, data={"csrf_token": "forged", "password": NEW, "confirm": NEW})
    assert forged.status_code == 400 and "Form expired" in forged.get_data(as_text=True)
    assert db.session.get(type(student), student.id).check_password(PASSWORD)


def test_an_expired_link_is_not_said_to_be_used(client, student, mailbox, monkeypatch):
    ask(client, student.email)
    link = path_of(mailbox.link("/auth/reset/"))
    monkeypatch.setattr(reset, "utcnow", lambda: utcnow() + timedelta(minutes=61))
    page = client.get(link).get_data(as_text=True)
    assert "This link no longer works" in page and "already used" not in page


def test_a_reset_sends_an_account_with_working_tokens_to_revoke_them(app, student, mailbox):
    with app.app_context():
        user = db.session.get(type(student), student.id)
        create_token(db.session, user, "made by someone else")
        revoked, _ = create_token(db.session, user, "revoked already")
        revoke_token(db.session, user, revoked.id)
        db.session.commit()
    here = app.test_client()
    ask(here, student.email)
    done = open_link(here, mailbox.link("/auth/reset/"), password=NEW, confirm=NEW)
    assert done.status_code == 302 and done.location == "/auth/tokens"
    page = here.get("/auth/tokens").get_data(as_text=True)
    assert "Your new password is set" in page
    assert "1 API token of this account still works: revoke any you did not make." in page


def test_the_new_password_follows_the_policy(client, student, mailbox):
    ask(client, student.email)
    short = open_link(client, mailbox.link(), password="short", confirm="short")
    assert short.status_code == 422 and "between 10 and 128" in short.get_data(as_text=True)
    differ = open_link(client, mailbox.link(), password=NEW, confirm=NEW + "!")
    assert differ.status_code == 422 and "The passwords differ." in differ.get_data(as_text=True)
    assert db.session.get(type(student), student.id).check_password(PASSWORD)


def test_the_link_expires_after_an_hour(client, student, mailbox, monkeypatch):
    ask(client, student.email)
    link = mailbox.link()
    token = link.rsplit("/", 1)[1]
    assert user_for_reset(db.session, token, now=utcnow() + timedelta(minutes=59)) == student
    assert user_for_reset(db.session, token, now=utcnow() + timedelta(minutes=61)) is None
    monkeypatch.setattr(reset, "utcnow", lambda: utcnow() + timedelta(minutes=61))
    assert client.get(path_of(link)).status_code == 404
    page = client.get("/auth/forgot").get_data(as_text=True)
    late = client.post(path_of(link), data={"csrf_token": csrf_from(page), "password": NEW, "confirm": NEW})
    assert late.status_code == 404
    assert db.session.get(type(student), student.id).check_password(PASSWORD)


def test_logging_out_also_retires_the_link(app, student):
    with app.test_request_context():
        token = reset_token(student)
    assert user_for_reset(db.session, token) == student
    student.end_sessions()
    db.session.commit()
    assert user_for_reset(db.session, token) is None


@pytest.mark.parametrize("tamper", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
                                    lambda t: "x" + t, lambda t: "nonsense"])
def test_forged_links_are_refused(app, client, student, tamper):
    with app.test_request_context():
        token = reset_token(student)
    assert client.get(f"/auth/reset/{tamper(token)}").status_code == 404


def test_a_token_signed_for_something_else_is_refused(app, student):
    from itsdangerous import URLSafeTimedSerializer

    other = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="something else")
    assert user_for_reset(db.session, other.dumps({"user": student.id, "version": 0})) is None
    own = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=reset._SALT)
    assert user_for_reset(db.session, own.dumps({"user": str(student.id), "version": 0})) is None
    assert user_for_reset(db.session, own.dumps([student.id, 0])) is None


def test_links_in_mails_name_the_configured_host_not_the_requested_one(app, database, tmp_path, student):
    """A reset asked for with a forged Host header must not mail a link to the forger's site."""
    configured = make_app(database, tmp_path, MAIL_SERVER="smtp.example.org", MAIL_DEFAULT_SENDER="quiz@example.org",
                          SERVER_NAME="quiz.example.org")
    client = configured.test_client()
    forged = {"base_url": "https://evil.example", "headers": {"Referer": "https://evil.example/auth/forgot"}}
    with configured.app_context(), recorded_mail() as box:
        page = client.get("/auth/forgot", **forged).get_data(as_text=True)
        assert client.post("/auth/forgot", data={"csrf_token": csrf_from(page), "email": student.email},
                           **forged).status_code == 200
        for thread in threading.enumerate():
            if thread.name == "quizapp-mail":
                thread.join(timeout=10)
    assert box.link().startswith("https://quiz.example.org/auth/reset/")


def test_the_change_password_page_offers_the_reset_for_a_forgotten_current_password(client, student):
    login(client, student.email)
    page = client.get("/auth/password").get_data(as_text=True)
    assert 'href="/auth/forgot">Get a link to set a new password by mail</a>' in page
