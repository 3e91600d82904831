"""Shared fixtures: a migrated database per test, a client, a CLI runner, account factories and a mailbox."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner
from flask_mail import Message
from flask_migrate import upgrade

from quizapp import create_app
from quizapp.auth.accounts import register_user
from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.extensions import db, mail
from quizapp.models import Role, User
from tests.databases import PostgresDatabases, SQLiteDatabases, server_url

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "questions"
FIXTURE_BANKS = Path(__file__).resolve().parent / "fixtures"
PASSWORD = "correct horse battery"


def make_app(database: str, instance: Path, **extra) -> Flask:
    """An app on the given database URL, configured for tests."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test secret, long and varied enough: 0123456789",
        # Thousands of accounts are made across the suite; a cheap hash keeps it fast.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # The suite logs in thousands of times from one address; the limit tests switch it back on.
        "RATELIMIT_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": database,
        "QUESTIONS_DIR": str(QUESTIONS),
        "INSTANCE_PATH": str(instance),
        **extra,
    }
    app = create_app(config)

    @app.teardown_request
    def forget_request_user(_error: BaseException | None) -> None:
        # Tests hold one app context open, so `g` would carry one client's user and token into the next.
        g.pop("_login_user", None)
        g.pop("preloaded_login", None)
        g.pop("csrf_token", None)

    return app


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteDatabases | PostgresDatabases]:
    """A database built by running every migration once, and copies of it for each test."""
    folder = tmp_path_factory.mktemp("template")
    url = server_url()
    source = PostgresDatabases(url) if url else SQLiteDatabases(folder)
    app = make_app(source.template_url, folder)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield source
    source.close()


@pytest.fixture
def database(databases: SQLiteDatabases | PostgresDatabases, tmp_path: Path) -> Iterator[str]:
    """The URL of a freshly migrated database of the test's own."""
    url = databases.fresh(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def app(database: Path, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(database, tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create an account with a role; the password is PASSWORD."""
    counter = iter(range(1, 10_000))

    def factory(role: Role = Role.STUDENT, email: str | None = None) -> User:
        user = register_user(db.session, email or f"{role.value}{next(counter)}@example.org",
                             f"{role.value.title()} user", PASSWORD, role)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def student(make_user) -> User:
    return make_user(Role.STUDENT)


@pytest.fixture
def instructor(make_user) -> User:
    return make_user(Role.INSTRUCTOR)


@pytest.fixture
def fixture_bank(app: Flask) -> None:
    """The small bank in tests/fixtures with one question of every type, loaded."""
    result = check_paths([FIXTURE_BANKS / "bank"], QUESTIONS)
    assert result.ok, [str(p) for p in result.problems]
    load_banks(db.session, result)


_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token embedded in a page."""
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


VARYING_VALUE_TAG = re.compile(r'<(?:input|meta)\b[^>]*\bname="(?:csrf_token|csrf-token|shown_at)"[^>]*>')
TIMES = re.compile(r"<time\b[^>]*>.*?</time>|\d{4}-\d\d-\d\dT[\d:.]+(?:[+-]\d\d:\d\d|Z)?")


def without_varying_values(text: str) -> str:
    """A page or JSON body less its CSRF tokens and times, which may hold any run of digits by chance."""
    text = VARYING_VALUE_TAG.sub(lambda tag: re.sub(r'(value|content)="[^"]*"', r'\1=""', tag.group(0)), text)
    return TIMES.sub("", text)


def login(client: FlaskClient, email: str, password: str = PASSWORD):
    page = client.get("/auth/login")
    return client.post("/auth/login", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                            "email": email, "password": password})


@pytest.fixture
def teacher(app: Flask, instructor: User) -> FlaskClient:
    """A client logged in as an instructor."""
    client = app.test_client()
    assert login(client, instructor.email).status_code == 302
    return client


@pytest.fixture
def logged_in(client: FlaskClient, student: User) -> FlaskClient:
    """A client logged in as a student."""
    response = login(client, student.email)
    assert response.status_code == 302
    return client


_LINK = re.compile(r"https?://\S+")


class Mailbox:
    """The mails the app sent while it was open, in order; without MAIL_SERVER they are recorded, not sent."""

    def __init__(self, messages: list[Message]):
        self.messages = messages

    def __len__(self) -> int:
        return len(self.messages)

    @property
    def last(self) -> Message:
        assert self.messages, "no mail was sent"
        return self.messages[-1]

    def links(self, message: Message | None = None) -> list[str]:
        """Every link in a message (the last one by default)."""
        return _LINK.findall((message or self.last).body)

    def link(self, path: str = "/auth/") -> str:
        """The first link in the last message whose address has `path` in it."""
        found = [link for link in self.links() if path in link]
        assert found, f"no link with {path} in: {self.last.body}"
        return found[0]


@contextmanager
def recorded_mail() -> Iterator[Mailbox]:
    """Record the mails sent by any app of this process, from any thread (the live servers' too)."""
    with mail.record_messages() as messages:
        yield Mailbox(messages)


@pytest.fixture
def mailbox(app: Flask) -> Iterator[Mailbox]:
    """The mails the test's app sends."""
    with recorded_mail() as box:
        yield box


def register(client: FlaskClient, email: str = "ada@example.org", **overrides):
    """Fill in and send the sign-up form (which mails a link; nobody is logged in yet)."""
    page = client.get("/auth/register").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "email": email, "display_name": "Ada", "password": PASSWORD,
            "confirm": PASSWORD, **overrides}
    return client.post("/auth/register", data=data)


def open_link(client: FlaskClient, link: str, **fields: str):
    """Open a link from a mail, fill in the page's form with `fields` (if any) and send it."""
    path = "/" + link.split("://", 1)[1].partition("/")[2]
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **fields})


def sign_up(client: FlaskClient, email: str = "ada@example.org", **overrides):
    """Register and open the link in the confirmation mail: the client ends up logged in as the new account."""
    with recorded_mail() as box:
        assert register(client, email, **overrides).status_code == 200
    response = open_link(client, box.link("/auth/confirm/"), password=overrides.get("password", PASSWORD))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response
