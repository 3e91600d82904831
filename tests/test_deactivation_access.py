"""A deactivated account from every other door: the command line, API tokens, reset and sign-up mails, migration."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from quizapp.api.tokens import create_token
from quizapp.auth.deactivation import deactivate, reactivate
from quizapp.auth.reset import reset_token
from quizapp.extensions import db
from quizapp.models import ApiToken, PendingRegistration, Role, User
from tests.conftest import PASSWORD, login, make_app, register
from tests.test_password_reset import ask, path_of

API = "/api/v1"


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_command_line_deactivates_lists_and_reactivates(app, runner, make_user):
    make_user(Role.ADMIN)
    student = make_user(email="bo@example.org")
    theirs = app.test_client()
    login(theirs, student.email)
    done = runner.invoke(args=["users", "deactivate", "BO@example.org"])
    assert done.exit_code == 0 and "bo@example.org is deactivated" in done.output
    assert not fresh(student).is_active and theirs.get("/progress/").status_code == 302
    again = runner.invoke(args=["users", "deactivate", student.email])
    assert again.exit_code == 0 and "already deactivated" in again.output

    listed = runner.invoke(args=["users", "list", "bo@"]).stdout.splitlines()
    day = fresh(student).deactivated_at.strftime("%Y-%m-%d")
    assert listed == [f"bo@example.org\tstudent\tStudent user\tdeactivated {day}"]

    back = runner.invoke(args=["users", "reactivate", student.email])
    assert back.exit_code == 0 and "active again" in back.output and fresh(student).is_active
    assert runner.invoke(args=["users", "list", "bo@"]).stdout.splitlines() == ["bo@example.org\tstudent\tStudent user"]
    assert "is not deactivated" in runner.invoke(args=["users", "reactivate", student.email]).output
    for command in ("deactivate", "reactivate"):
        missing = runner.invoke(args=["users", command, "nobody@example.org"])
        assert missing.exit_code == 1 and "No user" in missing.output


def test_the_command_line_keeps_the_last_active_admin_and_warns_of_untaught_classes(app, runner, make_user):
    from quizapp.classroom.membership import create_class

    admin = make_user(Role.ADMIN)
    last = runner.invoke(args=["users", "deactivate", admin.email])
    assert last.exit_code == 1 and "last active admin" in last.output and fresh(admin).is_active
    teacher = make_user(Role.INSTRUCTOR)
    create_class(db.session, teacher, "History 101")
    db.session.commit()
    warned = runner.invoke(args=["users", "deactivate", teacher.email])
    assert warned.exit_code == 0 and "Warning: Instructor user alone taught “History 101”" in warned.stderr


def test_api_tokens_stop_working_and_stay_revoked_after_reactivation(app, student):
    _token, secret = create_token(db.session, student, "grades")
    db.session.commit()
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"{API}/banks", headers=bearer).status_code == 200
    deactivate(db.session, student)
    db.session.commit()
    refused = client.get(f"{API}/banks", headers=bearer)
    assert refused.status_code == 401 and "revoked" in refused.get_json()["error"]["message"]
    assert db.session.scalar(select(ApiToken.revoked_at)) is not None
    reactivate(fresh(student))
    db.session.commit()
    assert client.get(f"{API}/banks", headers=bearer).status_code == 401


def test_a_token_of_a_deactivated_account_is_refused_even_if_not_revoked(app, student):
    # Only deactivate() revokes; the account's state is checked on its own, whatever set it.
    _token, secret = create_token(db.session, student, "grades")
    fresh(student).deactivated_at = db.session.scalar(select(User.created_at).where(User.id == student.id))
    db.session.commit()
    response = app.test_client().get(f"{API}/banks", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_an_api_session_ends_too(app, student):
    client = app.test_client()
    login(client, student.email)
    assert client.get(f"{API}/banks").status_code == 200
    deactivate(db.session, student)
    db.session.commit()
    assert client.get(f"{API}/banks").status_code == 401


def test_a_reset_link_does_not_reopen_the_account(app, student, mailbox):
    earlier = reset_token(student)
    deactivate(db.session, student)
    db.session.commit()
    client = app.test_client()
    assert client.get(f"/auth/reset/{earlier}").status_code == 404
    assert ask(client, student.email).status_code == 200  # the same answer as for any address
    assert mailbox.last.subject == "Your quizapp account is deactivated"
    assert "/auth/reset/" not in mailbox.last.body and "ask the administrator" in mailbox.last.body
    # Even a link signed for the account as it is now is refused while it is closed.
    assert client.get(f"/auth/reset/{reset_token(fresh(student))}").status_code == 404
    reactivate(fresh(student))
    db.session.commit()
    assert client.get(f"/auth/reset/{earlier}").status_code == 404


def test_signing_up_again_does_not_reopen_the_account(app, make_user, mailbox):
    student = make_user(email="ada@example.org")
    deactivate(db.session, student)
    db.session.commit()
    assert register(app.test_client(), "ada@example.org").status_code == 200
    assert mailbox.last.subject == "Your quizapp account is deactivated" and "/auth/confirm/" not in mailbox.last.body
    assert db.session.scalar(select(PendingRegistration)) is None


def test_a_sign_up_made_before_the_account_does_not_reopen_it(app, runner, mailbox):
    client = app.test_client()
    assert register(client, "ada@example.org", password="another password", confirm="another password")
    link = mailbox.link("/auth/confirm/")
    made = runner.invoke(args=["users", "create", "ada@example.org"], env={"QUIZAPP_NEW_PASSWORD": PASSWORD})
    assert made.exit_code == 0
    assert runner.invoke(args=["users", "deactivate", "ada@example.org"]).exit_code == 0
    page = client.get(path_of(link))
    assert page.status_code == 200 and "already" in page.get_data(as_text=True)
    assert client.get("/progress/").status_code == 302
    (user,) = db.session.scalars(select(User)).all()
    assert not user.is_active


@pytest.fixture
def empty_database(databases, tmp_path: Path):
    url = databases.empty(tmp_path)
    yield url
    databases.drop(url)


def test_the_migration_leaves_existing_accounts_active_and_downgrades(empty_database: str, tmp_path: Path):
    app = make_app(empty_database, tmp_path)
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO \"user\" (email, display_name, password_hash, role, created_at) "
                "VALUES ('old@example.org', 'Old', 'x', 'student', CURRENT_TIMESTAMP)"))
        upgrade()
        assert db.session.scalar(select(User)).is_active
        db.session.remove()
        downgrade(revision="0007")
        assert "deactivated_at" not in {c["name"] for c in inspect(db.engine).get_columns("user")}
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT email FROM \"user\"")).scalar() == "old@example.org"
        db.engine.dispose()

