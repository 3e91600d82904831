"""Sign-up, login, logout, CSRF and password storage."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Role, User
from tests.conftest import PASSWORD, csrf_from, login, open_link, register


def test_sign_up_logs_in_once_the_link_is_opened_and_hashes_the_password(client, mailbox):
    response = register(client, password="a long enough password", confirm="a long enough password")
    assert response.status_code == 200
    assert db.session.scalar(select(User)) is None
    assert client.get("/progress/").status_code == 302
    confirmed = open_link(client, mailbox.link("/auth/confirm/"), password="a long enough password")
    assert confirmed.status_code == 302 and confirmed.location == "/"
    user = db.session.scalar(select(User))
    assert user.email == "ada@example.org"
    assert user.role == Role.STUDENT
    assert "a long enough password" not in user.password_hash
    assert user.check_password("a long enough password")
    home = client.get("/").get_data(as_text=True)
    assert "Ada" in home and "Welcome! Your account is ready." in home


def test_register_errors_rerender_with_messages_and_values(client, mailbox):
    response = register(client, email="ada@example.org", password="short", confirm="different")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Field must be between 10 and 128 characters long." in html
    assert 'value="ada@example.org"' in html
    assert db.session.scalar(select(User)) is None
    assert len(mailbox) == 0


def test_register_with_a_taken_email_mails_its_owner_and_logs_no_one_in(client, student, mailbox):
    response = register(client, email=student.email.upper())
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert mailbox.last.recipients == [student.email]
    assert "already have an account" in mailbox.last.body
    assert client.get("/progress/").status_code == 302


def test_login_wrong_password_and_unknown_email_read_the_same(client, student):
    wrong = login(client, student.email, "wrong password!").get_data(as_text=True)
    unknown = login(client, "nobody@example.org", "wrong password!").get_data(as_text=True)
    assert "The email or password is not right." in wrong
    assert "The email or password is not right." in unknown


def test_empty_fields_of_the_account_forms_say_what_to_type(client, student, mailbox):
    """Sent empty, the login, sign-up and password forms said "This field is required." under every field."""
    empty_login = login(client, "", "").get_data(as_text=True)
    assert "Type your email address." in empty_login and "Type your password." in empty_login
    empty_sign_up = register(client, email="", password="", confirm="").get_data(as_text=True)
    for said in ("Type your email address.", "Choose a password.", "Type the password again."):
        assert said in empty_sign_up
    login(client, student.email)
    page = client.get("/auth/password").get_data(as_text=True)
    empty_change = client.post("/auth/password", data={"csrf_token": csrf_from(page), "current": "", "password": "",
                                                       "confirm": ""}).get_data(as_text=True)
    for said in ("Type your current password.", "Choose a new password.", "Type the password again."):
        assert said in empty_change
    for html in (empty_login, empty_sign_up, empty_change):
        assert "This field is required." not in html


def test_login_and_logout(client, student):
    assert login(client, student.email.upper(), PASSWORD).status_code == 302
    assert client.get("/progress/").status_code == 200
    page = client.get("/").get_data(as_text=True)
    assert client.post("/auth/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert client.get("/progress/").status_code == 302


# Browsers read a backslash as a slash and drop tabs: "/\host" and "/\t/host" both go to host.
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "/\t/evil.example/"])
def test_login_next_only_follows_local_paths(client, student, target):
    page = client.get("/auth/login").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "email": student.email, "password": PASSWORD}
    response = client.post("/auth/login", query_string={"next": target}, data=data)
    assert response.location == "/"


def test_login_goes_on_to_the_page_that_asked_for_it(client, student):
    page = client.get("/auth/login").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "email": student.email, "password": PASSWORD}
    assert client.post("/auth/login?next=/progress/", data=data).location == "/progress/"


def test_forms_without_csrf_token_are_refused(client, student):
    assert client.post("/auth/login", data={"email": student.email, "password": PASSWORD}).status_code == 400
    assert client.post("/auth/register", data={"email": "x@example.org"}).status_code == 400
    assert client.post("/auth/forgot", data={"email": "x@example.org"}).status_code == 400


def test_logout_requires_post(logged_in):
    assert logged_in.get("/auth/logout").status_code == 405


def test_pages_send_security_headers(client):
    response = client.get("/auth/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_deployments_hash_passwords_with_scrypt(app):
    from quizapp.config import Defaults

    assert Defaults.PASSWORD_HASH_METHOD == "scrypt"
    app.config["PASSWORD_HASH_METHOD"] = Defaults.PASSWORD_HASH_METHOD
    user = User(email="x@example.org", display_name="X")
    user.set_password("a long enough password")
    assert user.password_hash.startswith("scrypt:") and user.check_password("a long enough password")


def _log_in_again(client, sent, email: str) -> str:
    """Follow a refused request to the login page, log in there, and return where the login sends the browser."""
    assert sent.status_code == 302 and sent.location.startswith("/auth/login?next=")
    page = client.get(sent.location)
    assert "Please log in to continue." in page.get_data(as_text=True)
    back = client.post(sent.location, data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                            "email": email, "password": PASSWORD})
    assert back.status_code == 302
    return back.location


def test_a_form_sent_after_the_session_ended_comes_back_to_its_page_after_login(client, make_user):
    teacher = make_user(Role.INSTRUCTOR)
    login(client, teacher.email)
    token = csrf_from(client.get("/classes/").get_data(as_text=True))
    teacher.end_sessions()  # a password set on another device, say
    db.session.commit()
    # /classes/new takes only the form: logging in lands on the page the form was on, not on a 405.
    sent = client.post("/classes/new", data={"csrf_token": token, "name": "Civics"},
                       headers={"Referer": "http://localhost/classes/?tab=teaching"})
    assert _log_in_again(client, sent, teacher.email) == "/classes/?tab=teaching"
    # Logging in started a new CSRF token, which the page the browser lands on carries.
    token = csrf_from(client.get("/classes/?tab=teaching").get_data(as_text=True))
    teacher.end_sessions()
    db.session.commit()
    # Without a referrer (or with another site's), a form's own address is followed only if it has a page.
    sent = client.post("/classes/new", data={"csrf_token": token, "name": "Civics"},
                       headers={"Referer": "https://elsewhere.example/classes/"})
    assert _log_in_again(client, sent, teacher.email) == "/"
    token = csrf_from(client.get("/classes/").get_data(as_text=True))
    teacher.end_sessions()
    db.session.commit()
    sent = client.post("/auth/tokens", data={"csrf_token": token, "name": "script"})
    assert _log_in_again(client, sent, teacher.email) == "/auth/tokens"
    assert client.get("/auth/tokens").status_code == 200
