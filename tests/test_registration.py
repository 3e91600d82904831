"""Sign-up by email: the same answer whether or not an address has an account, and an account only once the
link mailed to the address is opened, once, within 24 hours."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from quizapp.auth import registration
from quizapp.auth.accounts import add_account, user_by_email
from quizapp.auth.registration import registration_for, request_registration, token_digest
from quizapp.extensions import db
from quizapp.models import PendingRegistration, User
from quizapp.models.types import utcnow
from tests.conftest import PASSWORD, csrf_from, login, open_link, recorded_mail, register

_CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value="|value="[^"]*"[^>]*name="csrf_token)[^"]*')


def comparable(response) -> tuple:
    """Status, headers with each cookie's name only, and the page without CSRF token values."""
    headers = sorted((name, value.split("=", 1)[0] if name == "Set-Cookie" else value)
                     for name, value in response.headers.items())
    return response.status_code, headers, _CSRF_VALUE.sub(r"\1", response.get_data(as_text=True))


def pending_rows() -> list[PendingRegistration]:
    return list(db.session.scalars(select(PendingRegistration)))


def test_the_answer_is_the_same_byte_for_byte_whether_or_not_the_address_has_an_account(app, make_user, mailbox):
    free = register(app.test_client(), "ada@example.org")
    make_user(email="ada@example.org")
    taken = register(app.test_client(), "ada@example.org")
    assert free.status_code == 200
    assert "the mail to <strong>ada@example.org</strong> was not sent" in free.get_data(as_text=True)
    assert comparable(free) == comparable(taken)
    # Only the owner of the address learns the difference, from the mail.
    confirm, note = mailbox.messages
    assert confirm.recipients == note.recipients == ["ada@example.org"]
    assert "/auth/confirm/" in confirm.body and "already have an account" in note.body


def test_both_answers_hash_the_password_once(app, make_user, monkeypatch):
    """The hash is what takes time: the same work either way keeps the response time from telling."""
    hashed = []
    original = registration.hash_password
    monkeypatch.setattr(registration, "hash_password", lambda password: hashed.append(1) or original(password))
    with app.test_request_context():
        request_registration(db.session, "new@example.org", "New", PASSWORD)
        request_registration(db.session, make_user().email, "Old", PASSWORD)
    assert hashed == [1, 1]


def test_nothing_is_made_nor_logged_in_until_the_link_is_opened_and_it_works_once(client, mailbox):
    response = register(client, "Ada@Example.org", display_name=" Ada L. ")
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert client.get("/progress/").status_code == 302
    row, = pending_rows()
    assert (row.email, row.display_name) == ("ada@example.org", "Ada L.")
    assert PASSWORD not in row.password_hash
    link = mailbox.link("/auth/confirm/")
    token = link.rsplit("/", 1)[1]
    assert link == f"http://localhost/auth/confirm/{token}"
    assert row.token_hash == token_digest(token) and token not in row.token_hash

    # Opening the link only shows a button, so that a mail scanner that follows links uses nothing up.
    for _ in range(2):
        page = client.get(f"/auth/confirm/{token}")
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
        assert "Create the account for <strong>ada@example.org</strong>" in page.get_data(as_text=True)
    made = client.post(f"/auth/confirm/{token}", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                                       "password": PASSWORD})
    assert made.status_code == 302 and made.location == "/"
    user = db.session.scalar(select(User))
    assert (user.email, user.display_name, user.role) == ("ada@example.org", "Ada L.", "student")
    assert user.check_password(PASSWORD)
    assert pending_rows() == []
    assert client.get("/progress/").status_code == 200

    again = client.get(f"/auth/confirm/{token}")
    assert again.status_code == 404 and "This link no longer works" in again.get_data(as_text=True)
    assert 'href="/auth/register"' in again.get_data(as_text=True)


def test_the_confirmation_needs_its_csrf_token(client, mailbox):
    register(client)
    path = "/auth/confirm/" + mailbox.link().rsplit("/", 1)[1]
    assert client.post(path).status_code == 400
    assert len(pending_rows()) == 1


def test_signing_up_again_replaces_the_earlier_sign_up_and_its_link(client, mailbox):
    register(client, display_name="First")
    first = mailbox.link()
    register(client, display_name="Second")
    second = mailbox.link()
    assert first != second
    assert [row.display_name for row in pending_rows()] == ["Second"]
    assert client.get(first.removeprefix("http://localhost")).status_code == 404
    assert open_link(client, second, password=PASSWORD).status_code == 302
    assert db.session.scalar(select(User.display_name)) == "Second"


def test_a_later_sign_up_by_someone_else_cannot_take_the_account(client, mailbox):
    register(client, "victim@example.org", password="the owner's password", confirm="the owner's password")
    register(client, "victim@example.org", password="an intruder's password", confirm="an intruder's password")
    link = mailbox.link()  # the newest mail, which the owner gets and opens
    refused = open_link(client, link, password="the owner's password")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "That is not the password chosen with this sign-up" in page
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(select(User)) is None and len(pending_rows()) == 1
    assert open_link(client, link).status_code == 422  # no password at all
    assert db.session.scalar(select(User)) is None


def test_a_link_older_than_24_hours_is_refused_and_its_row_removed_later(client, mailbox):
    register(client, "old@example.org")
    token = mailbox.link().rsplit("/", 1)[1]
    row, = pending_rows()
    assert registration_for(db.session, token, now=row.created_at + timedelta(hours=23, minutes=59)) is row
    assert registration_for(db.session, token, now=row.created_at + timedelta(hours=24)) is None
    row.created_at = utcnow() - timedelta(hours=24, seconds=1)
    db.session.commit()
    expired = client.get(f"/auth/confirm/{token}")
    assert expired.status_code == 404 and "works once, for 24 hours" in expired.get_data(as_text=True)
    assert client.post(f"/auth/confirm/{token}", data={"csrf_token": csrf_from(
        client.get("/auth/register").get_data(as_text=True))}).status_code == 404
    assert db.session.scalar(select(User)) is None
    # The next sign-up, for any address, clears the expired one away.
    register(client, "new@example.org")
    db.session.expire_all()
    assert [r.email for r in pending_rows()] == ["new@example.org"]


@pytest.mark.parametrize("token", ["x", "A" * 43, "%2E%2E"])
def test_unknown_links_are_refused(client, token):
    response = client.get(f"/auth/confirm/{token}")
    assert response.status_code == 404 and "This link no longer works" in response.get_data(as_text=True)


def test_an_address_that_got_an_account_meanwhile_is_sent_to_log_in(client, make_user, mailbox):
    register(client, "ada@example.org")
    link = mailbox.link()
    make_user(email="ada@example.org")  # an administrator made the account in the meantime
    page = client.get(link.removeprefix("http://localhost"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "You already have an account" in html and 'href="/auth/login"' in html
    assert pending_rows() == []
    assert client.get("/progress/").status_code == 302


def test_confirming_after_the_address_got_an_account_changes_nothing(client, make_user, mailbox):
    register(client, "ada@example.org")
    path = mailbox.link().removeprefix("http://localhost")
    token = csrf_from(client.get(path).get_data(as_text=True))
    existing = make_user(email="ada@example.org")
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 200 and "You already have an account" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert db.session.scalar(select(User)).display_name == existing.display_name
    assert client.get("/progress/").status_code == 302


def test_the_note_to_an_existing_account_links_to_login_and_password_reset(client, student, mailbox):
    register(client, student.email)
    note = mailbox.last
    assert note.subject == "Your quizapp account"
    assert "Someone (perhaps you) tried to register with this address" in note.body
    assert mailbox.links() == ["http://localhost/auth/login", "http://localhost/auth/forgot"]
    assert pending_rows() == []


def test_the_confirmation_mail_names_no_typed_text_but_the_address(client, mailbox):
    register(client, "ada@example.org", display_name="Visit evil.example now")
    assert "evil.example" not in mailbox.last.body
    assert mailbox.last.subject == "Finish creating your quizapp account"
    assert "works for 24 hours" in mailbox.last.body


@pytest.mark.parametrize("blank", ["   ", "\u00a0\t"])
def test_a_name_of_spaces_is_refused(client, mailbox, blank):
    response = register(client, display_name=blank)
    assert response.status_code == 422 and "Give the name others will see." in response.get_data(as_text=True)
    assert not pending_rows() and len(mailbox) == 0


def test_an_address_with_cyrillic_letters_before_the_at_is_refused_with_a_reason(client, mailbox):
    # Its mail could not be sent (the mail library writes only ASCII addresses): the page used to fail.
    response = register(client, "айгерим@mail.kz", display_name="Айгерим")
    assert response.status_code == 422
    assert "letters other than a to z before the @" in response.get_data(as_text=True)
    assert not pending_rows() and len(mailbox) == 0


@pytest.mark.parametrize("email", ["Aigerim@Мектеп.ҚАЗ", "aigerim@xn--e1aaogsq.kz"])
def test_an_address_on_a_domain_in_any_script_signs_up_and_logs_in_in_any_case(app, client, email):
    with recorded_mail() as box:
        assert register(client, email, display_name="Әлия Қасымова").status_code == 200
    sent = box.last.as_bytes()  # what is written to the outbox or the mail server
    assert b"xn--" in sent and sent.isascii()
    assert open_link(client, box.link("/auth/confirm/"), password=PASSWORD).status_code == 302
    user = db.session.scalar(select(User))
    assert (user.email, user.display_name) == (email.lower(), "Әлия Қасымова")
    for typed in (email, email.upper(), email.lower()):
        assert login(app.test_client(), typed).status_code == 302, typed


def test_an_account_is_found_by_its_email_through_the_unique_index(app, student):
    # Every login looks an address up: a scan of all accounts for it would grow with them.
    typed, statements = f"  {student.email.upper()} ", []
    listen = lambda *args: statements.append(args[2:4])  # noqa: E731  (statement, parameters)
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert user_by_email(db.session, typed) == student
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    ((statement, parameters),) = statements
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            plan = " ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                                        parameters))
            assert "INDEX" in plan and "SCAN" not in plan, plan
        else:  # on a table this small PostgreSQL would rather scan: told not to, it does only if it must
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))
            assert "Index" in plan, plan


def test_an_account_never_gets_an_empty_name(app):
    user = add_account(db.session, "Grace.Hopper@Example.org", " \u00a0 ", "-")
    assert user.display_name == "grace.hopper"


@pytest.mark.parametrize(("reported", "default", "expected"), [
    ("Asia/Almaty", "UTC", "Asia/Almaty"),          # the browser's zone
    ("", "Asia/Almaty", "Asia/Almaty"),             # no JavaScript: the deployment's default
    ("Mars/Olympus_Mons", "Europe/London", "Europe/London"),  # not a zone: ignored
])
def test_a_new_account_starts_in_its_browsers_time_zone_or_the_default(app, client, mailbox, reported, default,
                                                                       expected):
    app.config["DEFAULT_TIMEZONE"] = default
    register(client, "ada@example.org")
    path = mailbox.link("/auth/confirm/").removeprefix("http://localhost")
    page = client.get(path).get_data(as_text=True)
    assert 'name="device_zone"' in page and "device-zone.js" in page
    client.post(path, data={"csrf_token": csrf_from(page), "password": PASSWORD, "device_zone": reported})
    assert db.session.scalar(select(User.timezone)) == expected


def test_an_account_made_on_the_command_line_starts_in_the_default_zone(app, runner):
    app.config["DEFAULT_TIMEZONE"] = "Asia/Almaty"
    made = runner.invoke(args=["users", "create", "teacher@school.example", "--role", "instructor",
                               "--password", "a long enough password"])
    assert made.exit_code == 0, made.output
    assert db.session.scalar(select(User.timezone)) == "Asia/Almaty"
