"""Temporary passwords: an admin gives one (shown once, never stored; the same form sent again gives no second), and
its owner must choose their own at the next login before any other page; the mark lifts when they do, and the
migration that adds it runs up and down."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from quizapp.api.tokens import create_token
from quizapp.auth.deactivation import deactivate
from quizapp.auth.reset import reset_token
from quizapp.auth.temporary import ALPHABET, chose_own_password, give_temporary_password, temporary_password
from quizapp.extensions import db
from quizapp.models import Role, User
from tests.concurrent_clients import Browser, at_once, serve
from tests.conftest import PASSWORD, csrf_from, login, make_app

PASSWORD_SHAPE = re.compile(rf"\b[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}\b")
HIDDEN = re.compile(r'<input name="([^"]+)" type="hidden" value="([^"]*)">')


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def admin_client(app, make_user):
    client = app.test_client()
    assert login(client, make_user(Role.ADMIN).email).status_code == 302
    return client


def hidden_fields_of(html: str) -> dict[str, str]:
    """A page's hidden form fields, by name, as a browser sends them back."""
    return dict(HIDDEN.findall(html))


def give_on_page(client, user: User):
    """Open the Users row's Temporary password link, confirm, and return the page that shows it."""
    page = client.get(f"/admin/users/{user.id}/password")
    assert page.status_code == 200
    return client.post(f"/admin/users/{user.id}/password", data=hidden_fields_of(page.get_data(as_text=True)))


def change_password(client, current: str, new: str, confirm: str | None = None):
    page = client.get("/auth/password").get_data(as_text=True)
    return client.post("/auth/password", data={"csrf_token": csrf_from(page), "current": current,
                                               "password": new, "confirm": confirm or new})


def test_temporary_passwords_are_readable_and_random():
    made = {temporary_password() for _ in range(200)}
    assert len(made) == 200
    for password in made:
        assert PASSWORD_SHAPE.fullmatch(password) and len(password) >= 10
        assert not set(password) & set("0o1il2z5s8b")


def test_the_admin_asks_first_then_sees_the_password_once_and_the_old_sessions_end(app, make_user):
    student = make_user()
    theirs = app.test_client()
    assert login(theirs, student.email).status_code == 302
    admin = admin_client(app, make_user)
    users = admin.get("/admin/users").get_data(as_text=True)
    assert f'href="/admin/users/{student.id}/password">Temporary password' in users

    asked = admin.get(f"/admin/users/{student.id}/password")
    assert "Give Student user a temporary password?" in asked.get_data(as_text=True)
    assert fresh(student).check_password(PASSWORD)  # asking changes nothing
    assert admin.post(f"/admin/users/{student.id}/password").status_code == 400  # no CSRF token

    shown = give_on_page(admin, student)
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    password = PASSWORD_SHAPE.search(page).group(0)
    user = fresh(student)
    assert user.must_change_password and user.check_password(password) and not user.check_password(PASSWORD)
    # Only a salted hash is kept: the password is in no column of the account.
    assert password not in repr([getattr(user, c.key) for c in inspect(User).columns])
    assert theirs.get("/progress/").status_code == 302  # logged out
    # The list shows that it is waiting to be changed, but not the password: it is shown once.
    listed = admin.get("/admin/users").get_data(as_text=True)
    assert password not in listed and "(on a temporary password)" in listed
    again = admin.get(f"/admin/users/{student.id}/password").get_data(as_text=True)
    assert password not in again


def test_the_same_form_sent_again_gives_no_second_password(app, make_user):
    """A reload of the page that shows the password sends its form again: the password on the slip keeps working,
    and the page says it was given already, with a fresh form in case the slip was lost."""
    student = make_user()
    admin = admin_client(app, make_user)
    url = f"/admin/users/{student.id}/password"
    form = hidden_fields_of(admin.get(url).get_data(as_text=True))
    password = PASSWORD_SHAPE.search(admin.post(url, data=form).get_data(as_text=True)).group(0)

    again = admin.post(url, data=form)
    page = again.get_data(as_text=True)
    assert again.status_code == 409 and not PASSWORD_SHAPE.search(page)
    assert "Student user was already given a temporary password after this form was opened at " in page
    assert "It was shown only once" in page and "Nothing was changed now." in page
    assert fresh(student).check_password(password)
    assert login(app.test_client(), student.email, password).status_code == 302
    # Asked for again on purpose, with the form that page offers: a new password, and the slip's stops working.
    assert "Give a new temporary password" in page
    renewed = admin.post(url, data=hidden_fields_of(page))
    new = PASSWORD_SHAPE.search(renewed.get_data(as_text=True)).group(0)
    assert renewed.status_code == 200 and new != password
    assert fresh(student).check_password(new) and not fresh(student).check_password(password)


def test_a_form_opened_before_the_password_changed_changes_nothing(app, make_user):
    """A second tab, or a form opened before the owner chose their own password, does not replace it unseen."""
    student = make_user()
    admin = admin_client(app, make_user)
    url = f"/admin/users/{student.id}/password"
    first, second = (hidden_fields_of(admin.get(url).get_data(as_text=True)) for _ in range(2))
    password = PASSWORD_SHAPE.search(admin.post(url, data=first).get_data(as_text=True)).group(0)
    other_tab = admin.post(url, data=second)
    assert other_tab.status_code == 409 and "already given a temporary password" in other_tab.get_data(as_text=True)
    assert fresh(student).check_password(password)

    owner = app.test_client()
    login(owner, student.email, password)
    assert change_password(owner, password, "one of my very own").status_code == 302
    stale = admin.post(url, data=hidden_fields_of(other_tab.get_data(as_text=True)))
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and not PASSWORD_SHAPE.search(page)
    assert "Student user's password was changed after this form was opened at " in page
    assert fresh(student).check_password("one of my very own") and not fresh(student).must_change_password
    # A form that names no password state at all, or another account's, changes nothing either.
    assert admin.post(url, data={"csrf_token": hidden_fields_of(page)["csrf_token"]}).status_code == 409
    other = make_user()
    elsewhere = hidden_fields_of(admin.get(f"/admin/users/{other.id}/password").get_data(as_text=True))
    assert admin.post(url, data=elsewhere).status_code == 409
    assert fresh(student).check_password("one of my very own")


def double_click(tabs: list[Browser], url: str, form: dict[str, str]) -> list[tuple[int, str]]:
    """Send one form from every tab at the same moment; the statuses and pages they got back."""
    answers = []

    def click(tab: Browser) -> list[int]:
        answer = tab.request("POST", url, form)
        answers.append(answer)
        return [answer[0]]

    at_once([lambda tab=tab: click(tab) for tab in tabs])
    return answers


def test_a_double_click_gives_one_password_and_shows_that_one(app, make_user):
    """Both sendings of a double click arrive at once: one gives the password it shows, the other is told."""
    student, admin_user = make_user(), make_user(Role.ADMIN)
    url = f"/admin/users/{student.id}/password"
    with serve(app) as address:
        browser = Browser(address)
        browser.log_in(admin_user.email, PASSWORD)
        for _round in range(3):
            answers = double_click([browser, browser.twin()], url, hidden_fields_of(browser.request("GET", url)[1]))
            assert sorted(status for status, _page in answers) == [200, 409]
            shown = next(page for status, page in answers if status == 200)
            assert fresh(student).check_password(PASSWORD_SHAPE.search(shown).group(0))


def test_a_deactivated_account_or_ones_own_gets_no_temporary_password(app, make_user):
    admin_user, student = make_user(Role.ADMIN), make_user()
    admin = app.test_client()
    login(admin, admin_user.email)
    deactivate(db.session, student)
    db.session.commit()
    assert f"/admin/users/{student.id}/password" not in admin.get("/admin/users").get_data(as_text=True)
    refused = admin.get(f"/admin/users/{student.id}/password", follow_redirects=True).get_data(as_text=True)
    assert "is deactivated: reactivate the account first" in refused
    token = csrf_from(admin.get("/admin/users").get_data(as_text=True))
    posted = admin.post(f"/admin/users/{student.id}/password", data={"csrf_token": token}, follow_redirects=True)
    assert "reactivate the account first" in posted.get_data(as_text=True)
    assert fresh(student).check_password(PASSWORD) and not fresh(student).must_change_password

    own = admin.post(f"/admin/users/{admin_user.id}/password", data={"csrf_token": token})
    assert own.status_code == 302 and own.location == "/auth/password"
    assert fresh(admin_user).check_password(PASSWORD)
    assert f"/admin/users/{admin_user.id}/password" not in admin.get("/admin/users").get_data(as_text=True)


def test_the_owner_must_choose_their_own_password_before_any_page(app, make_user, fixture_bank):
    student = make_user()
    _token, secret = create_token(db.session, student, "script")
    password = give_temporary_password(student)
    db.session.commit()
    client = app.test_client()
    logged = login(client, student.email, password)
    assert logged.status_code == 302
    for url in ("/", "/study/", "/progress/", "/classes/", "/auth/tokens", "/sources/"):
        response = client.get(url)
        assert (response.status_code, response.location) == (302, "/auth/password"), url
    page = client.get("/auth/password").get_data(as_text=True)
    assert "Choose your own password" in page and "temporary password" in page
    assert client.get("/static/app.css").status_code == 200
    # The API refuses the session, but a token its owner made works as before.
    assert client.get("/api/v1/me/progress").status_code == 403
    assert app.test_client().get("/api/v1/me/progress",
                                 headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    same = change_password(client, password, password)
    assert same.status_code == 422 and "choose one of your own" in same.get_data(as_text=True)
    done = change_password(client, password, "one of my very own")
    assert (done.status_code, done.location) == (302, "/")
    assert client.get("/study/").status_code == 200
    user = fresh(student)
    assert not user.must_change_password and user.check_password("one of my very own")


def test_the_mark_holds_across_logins_and_remember_me_until_the_password_is_changed(app, make_user):
    student = make_user()
    password = give_temporary_password(student)
    db.session.commit()
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    client.post("/auth/login", data={"csrf_token": csrf_from(page), "email": student.email, "password": password,
                                     "remember": "y"})
    # The browser is closed (the session cookie goes) and opened again: the remember-me cookie logs in.
    client.delete_cookie("session")
    assert client.get("/progress/").location == "/auth/password"
    # Logging out, then in again, does not shake it off.
    token = csrf_from(client.get("/auth/password").get_data(as_text=True))
    client.post("/auth/logout", data={"csrf_token": token})
    assert client.get("/").status_code == 200
    assert login(client, student.email, password).status_code == 302
    assert client.get("/").location == "/auth/password"


def test_a_reset_by_mail_also_lifts_the_mark(app, make_user):
    student = make_user()
    give_temporary_password(student)
    db.session.commit()
    client = app.test_client()
    link = f"/auth/reset/{reset_token(student)}"
    page = client.get(link).get_data(as_text=True)
    client.post(link, data={"csrf_token": csrf_from(page), "password": "chosen by mail", "confirm": "chosen by mail"})
    assert not fresh(student).must_change_password
    again = app.test_client()
    assert login(again, student.email, "chosen by mail").status_code == 302
    assert again.get("/study/").status_code == 200


def test_the_command_line_hands_out_temporary_passwords_on_request(app, runner, student):
    given = runner.invoke(args=["users", "set-password", student.email, "--temporary"],
                          env={"QUIZAPP_NEW_PASSWORD": "handed over 123"})
    assert given.exit_code == 0 and "must choose their own password" in given.output
    assert fresh(student).must_change_password
    # Without --temporary the password is the one to keep, as before.
    kept = runner.invoke(args=["users", "set-password", student.email], env={"QUIZAPP_NEW_PASSWORD": "kept 1234567"})
    assert kept.exit_code == 0 and not fresh(student).must_change_password
    runner.invoke(args=["users", "create", "new@example.org", "--temporary"], env={"QUIZAPP_NEW_PASSWORD": "x" * 12})
    runner.invoke(args=["users", "create", "own@example.org"], env={"QUIZAPP_NEW_PASSWORD": "x" * 12})
    marks = dict(db.session.execute(text('SELECT email, must_change_password FROM "user"')).all())
    assert bool(marks["new@example.org"]) and not marks["own@example.org"]


@pytest.fixture
def empty_database(databases, tmp_path: Path):
    url = databases.empty(tmp_path)
    yield url
    databases.drop(url)


def test_the_migration_marks_no_existing_account_and_comes_down_cleanly(empty_database: str, tmp_path: Path):
    app = make_app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(text('INSERT INTO "user" (email, display_name, password_hash, role, created_at) '
                                    "VALUES ('old@example.org', 'Old', 'x', 'student', '2026-01-01 00:00:00')"))
        upgrade(revision="0009")
        with db.engine.connect() as connection:
            assert connection.execute(text('SELECT must_change_password FROM "user"')).scalar_one() in (0, False)
        downgrade(revision="0008")
        columns = {c["name"] for c in inspect(db.engine).get_columns("user")}
        assert "must_change_password" not in columns and "deactivated_at" in columns
        with db.engine.connect() as connection:
            assert connection.execute(text('SELECT email FROM "user"')).scalar_one() == "old@example.org"
        upgrade()
        db.engine.dispose()


def test_the_admin_may_revoke_the_accounts_api_tokens_in_the_same_step(app, make_user):
    """After a break-in a token made with the account would outlive the new password: the admin can revoke the
    tokens on the same page; left unticked, as for a forgotten password, they keep working."""
    victim, other = make_user(Role.INSTRUCTOR), make_user()
    secrets = [create_token(db.session, victim, name)[1] for name in ("gradebook sync", "made by the intruder")]
    _token, theirs = create_token(db.session, other, "another account's")
    db.session.commit()
    admin = admin_client(app, make_user)
    api = app.test_client()

    def works(secret: str) -> bool:
        return api.get("/api/v1/me/progress", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    asked = admin.get(f"/admin/users/{victim.id}/password").get_data(as_text=True)
    assert "Their 2 API tokens keep working" in asked
    # Offered, unticked: most temporary passwords replace a forgotten one, and the owner's scripts go on.
    assert 'id="revoke_tokens" name="revoke_tokens" type="checkbox" value="y">' in asked
    assert '<label for="revoke_tokens">Also revoke its 2 API tokens</label>' in asked
    # Unticked: the tokens work as before, and the page that shows the password says so.
    shown = admin.post(f"/admin/users/{victim.id}/password", data=hidden_fields_of(asked))
    assert "Their 2 API tokens still work." in shown.get_data(as_text=True)
    assert all(works(secret) for secret in secrets)

    asked = admin.get(f"/admin/users/{victim.id}/password").get_data(as_text=True)
    shown = admin.post(f"/admin/users/{victim.id}/password", data={**hidden_fields_of(asked), "revoke_tokens": "y"})
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and PASSWORD_SHAPE.search(page) and "Their 2 API tokens were revoked." in page
    assert not any(works(secret) for secret in secrets)
    assert works(theirs)  # nobody else's
    # With none left, the page neither mentions tokens nor offers the box.
    asked = admin.get(f"/admin/users/{victim.id}/password").get_data(as_text=True)
    assert "API tokens keep" not in asked and "revoke_tokens" not in asked


def test_a_password_set_on_the_command_line_for_a_deactivated_account_says_it_is_closed(app, runner, student):
    # The Users page refuses it; on the command line the password is set (it may be wanted before reopening an
    # account someone else used), but whoever runs it must learn that nobody can log in with it yet.
    assert runner.invoke(args=["users", "deactivate", student.email]).exit_code == 0
    given = runner.invoke(args=["users", "set-password", student.email, "--temporary"],
                          env={"QUIZAPP_NEW_PASSWORD": "handed over 123"})
    assert given.exit_code == 0 and fresh(student).check_password("handed over 123")
    assert f"Warning: {student.email} is deactivated and cannot log in with it until" in given.output
    assert runner.invoke(args=["users", "reactivate", student.email]).exit_code == 0
    again = runner.invoke(args=["users", "set-password", student.email, "--temporary"],
                          env={"QUIZAPP_NEW_PASSWORD": "handed over 456"})
    assert again.exit_code == 0 and "Warning" not in again.output


def test_a_random_temporary_password_is_hashed_at_less_cost_than_a_chosen_one(app, make_user, runner):
    from quizapp.auth.batch import make_accounts, parse_lines
    from quizapp.config import Defaults

    # What deployments use; the tests' own method is cheaper still.
    app.config["PASSWORD_HASH_METHOD"] = Defaults.PASSWORD_HASH_METHOD
    given = make_user()
    password = give_temporary_password(given)
    lines, problems = parse_lines("Aigerim Nurlanovna, aigerim@example.org\nMarat Bekov, marat@example.org")
    assert not problems
    made = make_accounts(db.session, lines)
    db.session.commit()
    # Random with 2^55 possibilities: scrypt at an eighth of the full cost, which a class of 100 needs to be
    # made within a request's time on a busy server.
    accounts = [given, *(db.session.scalar(select(User).where(User.email == m.email)) for m in made)]
    assert all(user.password_hash.startswith("scrypt:4096:8:1$") for user in accounts)
    assert given.check_password(password) and all(
        user.check_password(m.password) for user, m in zip(accounts[1:], made, strict=True))
    # A password a person chose, temporary or not, at the full cost: it may be guessable.
    result = runner.invoke(args=["users", "set-password", given.email, "--temporary"],
                           env={"QUIZAPP_NEW_PASSWORD": "chosen by the admin"})
    assert result.exit_code == 0, result.output
    db.session.refresh(given)
    assert given.password_hash.startswith("scrypt:32768:8:1$") and given.must_change_password
    chose_own_password(given, "my very own password")
    assert given.password_hash.startswith("scrypt:32768:8:1$") and not given.must_change_password
