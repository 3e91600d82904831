"""Accounts under attack: login limits and lockout that reveal nothing, mail forms that cannot flood a mailbox,
sessions that really end."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_from, login, make_app, open_link, recorded_mail, register


@pytest.fixture
def limited_app(app, database, tmp_path):
    """An app with login limits on. Flask-Limiter keeps one switch per process, so this app is made after
    the per-test `app` (which turns limits off) and its settings are the ones in force."""
    app = make_app(database, tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="8 per minute",
                   LOGIN_LOCKOUT="3 per 15 minutes", MAIL_FORMS_RATE_LIMIT="12 per minute",
                   MAILS_PER_EMAIL="2 per hour", JOIN_FAILURES_PER_USER="3 per hour",
                   JOIN_FAILURES_PER_ADDRESS="5 per hour", INVITATION_REFUSALS_PER_USER="3 per hour")
    with app.app_context():
        yield app


def test_failed_logins_lock_the_email_whether_or_not_it_has_an_account(limited_app, make_user):
    user = make_user()
    client = limited_app.test_client()
    for email in (user.email, "nobody@example.org"):
        for _ in range(3):
            assert login(client, email, "wrong password").status_code == 422
        refused = login(client, email, PASSWORD)
        assert refused.status_code == 429 and "Too many failed logins" in refused.get_data(as_text=True)
    # The lockout belongs to the email, not to the person who typed it elsewhere.
    other = make_user()
    assert login(limited_app.test_client(), other.email).status_code == 302


def test_successful_logins_do_not_count_towards_the_lockout(limited_app, make_user):
    user = make_user()
    for _ in range(4):
        client = limited_app.test_client()
        assert login(client, user.email).status_code == 302


def change_password(client, current: str, new: str = "a brand new password"):
    page = client.get("/auth/password").get_data(as_text=True)
    return client.post("/auth/password", data={"csrf_token": csrf_from(page), "current": current,
                                               "password": new, "confirm": new})


def test_a_session_cannot_guess_the_current_password_endlessly(limited_app, make_user):
    """Whoever holds a session (a computer left logged in, a copied cookie) meets the login lockout on the
    password form too; a new password mistyped twice costs nothing."""
    user = make_user()
    thief = limited_app.test_client()
    assert login(thief, user.email).status_code == 302
    assert change_password(thief, PASSWORD, "short").status_code == 422
    assert [change_password(thief, f"guess {n}").status_code for n in range(3)] == [422] * 3
    refused = change_password(thief, PASSWORD)
    assert refused.status_code == 429 and "Too many wrong current passwords" in refused.get_data(as_text=True)
    # The lockout is the account's: another session of it waits too, another account does not.
    owner = limited_app.test_client()
    assert login(owner, user.email).status_code == 302
    assert change_password(owner, PASSWORD).status_code == 429
    other = limited_app.test_client()
    assert login(other, make_user().email).status_code == 302
    assert change_password(other, PASSWORD).status_code == 302


def test_a_sign_up_link_cannot_be_used_to_guess_its_password_endlessly(limited_app):
    """Whoever got hold of a confirmation link meets the login lockout; the owner's password still works after."""
    with recorded_mail() as box:
        assert register(limited_app.test_client(), "new@example.org").status_code == 200
    link = box.link("/auth/confirm/")
    finder = limited_app.test_client()
    assert [open_link(finder, link, password=f"guess {n}").status_code for n in range(3)] == [422] * 3
    refused = open_link(finder, link, password=PASSWORD)
    assert refused.status_code == 429 and "Too many wrong passwords" in refused.get_data(as_text=True)
    # Another sign-up's link is not held up by it.
    with recorded_mail() as box:
        assert register(limited_app.test_client(), "other@example.org").status_code == 200
    assert open_link(limited_app.test_client(), box.link("/auth/confirm/"), password=PASSWORD).status_code == 302


def test_one_address_cannot_try_endlessly(limited_app, make_user):
    client = limited_app.test_client()
    statuses = [login(client, f"guess{n}@example.org", "wrong password").status_code for n in range(9)]
    assert statuses[:8] == [422] * 8 and statuses[8] == 429
    refused = login(client, make_user().email)
    assert refused.status_code == 429 and "Too many failed logins from this network" in refused.get_data(
        as_text=True)


def test_a_class_behind_one_address_can_all_sign_in(limited_app, make_user):
    """Every test client comes from the same address, as a class does from behind a school's router: twice
    the per-address limit of students sign in, and a few mistyped passwords among them count as they should."""
    students = [make_user() for _ in range(16)]
    for number, student in enumerate(students):
        if number % 5 == 0:
            assert login(limited_app.test_client(), student.email, "mistyped").status_code == 422
        assert login(limited_app.test_client(), student.email).status_code == 302
    statuses = [login(limited_app.test_client(), f"guess{n}@example.org", "wrong").status_code for n in range(5)]
    assert statuses == [422] * 4 + [429]  # 4 mistyped above, 4 guesses here: the 9th failure is refused


def forgot(client, email: str):
    page = client.get("/auth/forgot").get_data(as_text=True)
    return client.post("/auth/forgot", data={"csrf_token": csrf_from(page), "email": email})


def test_one_address_gets_few_mails_whether_or_not_it_has_an_account(limited_app, make_user):
    """Sign-ups and password resets count together, per typed email, so neither form can flood a mailbox."""
    user = make_user()
    for email in (user.email, "nobody@example.org"):
        with recorded_mail() as box:
            assert register(limited_app.test_client(), email.upper()).status_code == 200
            assert forgot(limited_app.test_client(), email).status_code == 200
            refused = register(limited_app.test_client(), email)
        assert refused.status_code == 429 and "Too many mails were asked for this address" in refused.get_data(
            as_text=True)
        assert len(box) == (2 if email == user.email else 1)
        assert forgot(limited_app.test_client(), email).status_code == 429
    # Forms sent back with mistakes send nothing, and do not count.
    other = limited_app.test_client()
    assert register(other, "third@example.org", confirm="something else").status_code == 422
    assert register(other, "third@example.org").status_code == 200


def test_one_network_cannot_ask_for_mails_endlessly(limited_app):
    client = limited_app.test_client()
    statuses = [register(client, f"new{n}@example.org").status_code for n in range(7)]
    statuses += [forgot(client, f"new{n}@example.org").status_code for n in range(6)]
    assert statuses[:12] == [200] * 12 and statuses[12] == 429


def _join(client, code: str):
    page = client.get("/classes/join").get_data(as_text=True)
    return client.post("/classes/join", data={"csrf_token": csrf_from(page), "code": code})


def test_join_codes_cannot_be_guessed_endlessly(limited_app, make_user):
    from quizapp.classroom.membership import create_class
    from quizapp.extensions import db
    from quizapp.models import Role

    code = create_class(db.session, make_user(Role.INSTRUCTOR), "Civics").join_code
    db.session.commit()
    guesser = limited_app.test_client()
    login(guesser, make_user().email)
    statuses = [_join(guesser, f"WRONG{n}").status_code for n in range(4)]
    assert statuses == [422, 422, 422, 429]
    refused = _join(guesser, code)
    assert refused.status_code == 429 and "Too many wrong join codes" in refused.get_data(as_text=True)
    # Others behind the same address still join with the right code; their wrong codes count for the address.
    classmate = limited_app.test_client()
    login(classmate, make_user().email)
    assert _join(classmate, code).status_code == 302
    assert [_join(classmate, "WRONG").status_code for _ in range(3)] == [422, 422, 429]  # 5 wrong from here


def test_logging_out_and_in_again_does_not_reset_the_wrong_join_codes_of_an_account(limited_app, make_user):
    student = make_user()
    guesser = limited_app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    login(guesser, student.email)
    assert [_join(guesser, f"WRONG{n}").status_code for n in range(3)] == [422, 422, 422]
    page = guesser.get("/classes/join").get_data(as_text=True)
    guesser.post("/auth/logout", data={"csrf_token": csrf_from(page)})  # a new session version for the account
    # Back from another address, whose own count is untouched: the account's count still holds.
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.2"
    login(guesser, student.email)
    assert _join(guesser, "WRONG3").status_code == 429


def test_unknown_email_and_wrong_password_read_the_same(client, student):
    unknown = login(client, "nobody@example.org", PASSWORD).get_data(as_text=True)
    wrong = login(client, student.email, "wrong password").get_data(as_text=True)
    assert "The email or password is not right." in unknown and "The email or password is not right." in wrong


def test_logout_ends_the_session_even_for_a_copied_cookie(app, student):
    browser = app.test_client()
    login(browser, student.email)
    stolen = browser.get_cookie("session").value
    page = browser.get("/progress/").get_data(as_text=True)
    browser.post("/auth/logout", data={"csrf_token": csrf_from(page)})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/progress/")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_a_new_password_ends_other_sessions_and_keeps_this_one(app, student):
    here, elsewhere = app.test_client(), app.test_client()
    login(here, student.email)
    login(elsewhere, student.email)
    page = here.get("/auth/password").get_data(as_text=True)
    wrong = here.post("/auth/password", data={"csrf_token": csrf_from(page), "current": "not it",
                                              "password": "a brand new password", "confirm": "a brand new password"})
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    changed = here.post("/auth/password", data={"csrf_token": csrf_from(page), "current": PASSWORD,
                                                "password": "a brand new password",
                                                "confirm": "a brand new password"})
    assert changed.status_code == 302
    assert here.get("/progress/").status_code == 200
    assert elsewhere.get("/progress/").status_code == 302
    assert login(app.test_client(), student.email, "a brand new password").status_code == 302


@pytest.mark.parametrize("remember", [True, False])
def test_a_new_password_keeps_this_device_logged_in_as_it_was(app, student, remember):
    browser = app.test_client()
    page = browser.get("/auth/login").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "email": student.email, "password": PASSWORD}
    browser.post("/auth/login", data={**form, "remember": "y"} if remember else form)
    page = browser.get("/auth/password").get_data(as_text=True)
    changed = browser.post("/auth/password", data={"csrf_token": csrf_from(page), "current": PASSWORD,
                                                   "password": "a brand new password",
                                                   "confirm": "a brand new password"})
    assert changed.status_code == 302
    browser.delete_cookie("session")  # the browser is closed and opened again
    assert browser.get("/progress/").status_code == (200 if remember else 302)


@pytest.mark.parametrize("remember", [True, False])
def test_a_password_form_sent_twice_keeps_the_browser_logged_in(app, student, remember):
    """A double click sends the form twice with the same cookie: the first sending ends that session, and the
    second, which left before the first's answer came back, must not log the browser out or show an error."""
    browser = app.test_client()
    page = browser.get("/auth/login").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "email": student.email, "password": PASSWORD}
    browser.post("/auth/login", data={**form, "remember": "y"} if remember else form)
    page = browser.get("/auth/password").get_data(as_text=True)
    second_click = app.test_client()
    for cookie in ("session", "remember_token"):
        if browser.get_cookie(cookie):
            second_click.set_cookie(cookie, browser.get_cookie(cookie).value)
    form = {"csrf_token": csrf_from(page), "current": PASSWORD, "password": "a brand new password",
            "confirm": "a brand new password"}
    assert browser.post("/auth/password", data=form).location == "/auth/tokens"
    again = second_click.post("/auth/password", data=form)
    assert again.status_code == 302 and again.location == "/auth/tokens"
    shown = second_click.get("/auth/tokens")
    assert shown.status_code == 200 and "Your password is changed." in shown.get_data(as_text=True)
    second_click.delete_cookie("session")  # the browser is closed and opened again
    assert second_click.get("/progress/").status_code == (200 if remember else 302)
    assert login(app.test_client(), student.email, "a brand new password").status_code == 302


def test_a_second_click_sent_after_the_first_answer_came_back_is_done_already(app, student):
    """The second sending may leave with the cookie the first's answer set, and the form as it was: the password
    it names as current is the old one."""
    browser = app.test_client()
    login(browser, student.email)
    page = browser.get("/auth/password").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "current": PASSWORD, "password": "a brand new password",
            "confirm": "a brand new password"}
    assert browser.post("/auth/password", data=form).location == "/auth/tokens"
    again = browser.post("/auth/password", data=form)
    assert again.status_code == 302 and again.location == "/auth/tokens"
    shown = browser.get("/auth/tokens").get_data(as_text=True)
    assert "Your password is changed." in shown and "not your current password" not in shown
    assert login(app.test_client(), student.email, "a brand new password").status_code == 302


def test_an_old_cookie_cannot_guess_the_new_password_on_the_password_form(limited_app, make_user):
    user = make_user()
    owner = limited_app.test_client()
    assert login(owner, user.email).status_code == 302
    thief = limited_app.test_client()
    thief.set_cookie("session", owner.get_cookie("session").value)
    page = thief.get("/auth/password").get_data(as_text=True)
    assert change_password(owner, PASSWORD, "the owner's new password").status_code == 302

    def guess(new: str):
        return thief.post("/auth/password", data={"csrf_token": csrf_from(page), "current": PASSWORD,
                                                  "password": new, "confirm": new})
    assert [guess(f"guess number {n}").location.startswith("/auth/login") for n in range(3)] == [True] * 3
    assert guess("the owner's new password").status_code == 429
    assert thief.get("/progress/").status_code == 302


@pytest.mark.parametrize(("password", "ok"), [("short", False), ("x" * 129, False), ("ten chars!", True)])
def test_password_length_policy(client, password, ok):
    page = client.get("/auth/register").get_data(as_text=True)
    response = client.post("/auth/register", data={"csrf_token": csrf_from(page), "email": "new@example.org",
                                                   "display_name": "New", "password": password,
                                                   "confirm": password})
    assert (response.status_code == 200) is ok


def test_production_cookies_are_secure_httponly_and_samesite(database, tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    app = make_app(database, tmp_path, TESTING=False)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def _invite(client, classroom_id: int, email: str):
    page = client.get(f"/classes/{classroom_id}").get_data(as_text=True)
    return client.post(f"/classes/{classroom_id}/instructors", data={"csrf_token": csrf_from(page), "email": email})


def test_addresses_cannot_be_swept_through_refused_invitations(limited_app, make_user):
    from quizapp.classroom.membership import create_class
    from quizapp.extensions import db
    from quizapp.models import Role

    owner, colleague = make_user(Role.INSTRUCTOR), make_user(Role.INSTRUCTOR)
    classroom = create_class(db.session, owner, "Civics")
    db.session.commit()
    inviter = limited_app.test_client()
    login(inviter, owner.email)
    # Each refusal says the address has no instructor account; the fourth attempt in an hour is refused outright.
    statuses = [_invite(inviter, classroom.id, f"who{n}@example.org").status_code for n in range(3)]
    assert statuses == [422, 422, 422]
    refused = _invite(inviter, classroom.id, colleague.email)
    assert refused.status_code == 429 and "Too many invitations were refused" in refused.get_data(as_text=True)
    # Another instructor's count is their own: a colleague's mistakes do not stop them inviting.
    other = limited_app.test_client()
    login(other, colleague.email)
    own_class = create_class(db.session, colleague, "History")
    db.session.commit()
    assert _invite(other, own_class.id, owner.email).status_code == 302
