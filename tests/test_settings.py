"""Deployment settings: the secret key rule, secure cookies, proxies, rate-limit storage, database URLs, mail."""

from __future__ import annotations

import logging
import os
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import request, url_for
from flask_migrate import upgrade
from sqlalchemy import func, select

from quizapp import create_app
from quizapp.config import MissingSecretKey, SettingError, normalise_database_url
from quizapp.extensions import db, limiter
from quizapp.mail import MailSettingsMissing
from quizapp.models import PendingRegistration
from tests.conftest import recorded_mail

# A production key: long enough and varied enough to be accepted.
A_KEY = "9f2c4e7a1b8d3f6e0a5c9b2d7e4f1a8c"


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict:
    """An environment like gunicorn's: no flask command, no debug, no settings from the developer's shell."""
    for name in ("FLASK_RUN_FROM_CLI", "FLASK_DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("QUIZAPP_")]:
        monkeypatch.delenv(name)
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "INSTANCE_PATH": str(tmp_path / "instance")}


def test_production_refuses_to_start_without_secret_key(production_env):
    # Debian has no `python` command: the way to make a key must be one an admin can paste there.
    with pytest.raises(MissingSecretKey, match=r"SECRET_KEY is not set.*`python3 -c 'import secrets"):
        create_app(production_env)


def test_the_example_environment_files_key_is_refused(production_env, monkeypatch):
    example = Path(__file__).resolve().parents[1] / "docs" / "deploy" / "quizapp.env.example"
    placeholder = next(line.split("=", 1)[1] for line in example.read_text().splitlines()
                       if line.startswith("SECRET_KEY="))
    monkeypatch.setenv("SECRET_KEY", placeholder)
    with pytest.raises(SettingError, match="from the example environment file"):
        create_app(production_env)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # `flask db upgrade` by hand, before the service starts
    with pytest.raises(SettingError, match="from the example environment file"):
        create_app(production_env)


@pytest.mark.parametrize("key", ["k", "secret", "x" * 64, "abcabcabcabcabcabcabcabcabcabcabcabc", "a7f3c9e1b5d2"])
def test_production_refuses_a_secret_key_anyone_could_guess(production_env, monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(SettingError, match=r"SECRET_KEY is too short or too plain to stay secret: give it at least "
                                           r"32 characters, 8 of them different.*`python3 -c 'import secrets"):
        create_app(production_env)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # a command by hand is a developer's: it may use any key
    assert create_app(production_env).config["SECRET_KEY"] == key


def test_production_takes_the_secret_key_from_the_environment_and_secures_cookies(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    app = create_app(production_env)
    assert app.config["SECRET_KEY"] == A_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


@pytest.mark.parametrize(("spelling", "secure"), [("false", False), ("0", False), ("off", False), ("no", False),
                                                  ("true", True), ("on", True), ("yes", True)])
def test_plain_http_setups_can_turn_secure_cookies_off(production_env, monkeypatch, spelling, secure):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    monkeypatch.setenv("QUIZAPP_SECURE_COOKIES", spelling)
    assert create_app(production_env).config["SESSION_COOKIE_SECURE"] is secure


def test_development_off_in_words_is_off(production_env, monkeypatch):
    monkeypatch.setenv("QUIZAPP_DEVELOPMENT", "off")
    with pytest.raises(MissingSecretKey):
        create_app(production_env)


@pytest.mark.parametrize("signal", ["FLASK_RUN_FROM_CLI=true", "FLASK_DEBUG=1", "QUIZAPP_DEVELOPMENT=true"])
def test_development_generates_a_key_in_the_instance_folder(production_env, monkeypatch, tmp_path, signal):
    name, value = signal.split("=")
    monkeypatch.setenv(name, value)
    app = create_app(production_env)
    key = app.config["SECRET_KEY"]
    assert key == (tmp_path / "instance" / "secret_key").read_text().strip()
    assert len(key) == 64
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert create_app(production_env).config["SECRET_KEY"] == key


def test_redis_url_becomes_the_rate_limit_storage(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    assert create_app(production_env).config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6390/2")
    app = create_app(production_env)
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6390/2"
    assert type(limiter.storage).__name__ == "RedisStorage"


def test_redis_url_without_the_redis_client_is_a_setting_error(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6390/2")
    monkeypatch.setitem(sys.modules, "redis", None)  # as on an install without the redis extra
    with pytest.raises(SettingError, match=r"REDIS_URL is set but the Redis client is not installed.*\[redis\]"):
        create_app(production_env)


def test_proxy_hops_trust_forwarded_headers_only_when_set(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}

    def seen(app):
        app.add_url_rule("/who", "who", lambda: f"{request.remote_addr} {request.scheme}")
        response = app.test_client().get("/who", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        return response.get_data(as_text=True)

    assert seen(create_app(production_env)) == "127.0.0.1 http"
    monkeypatch.setenv("QUIZAPP_PROXY_HOPS", "1")
    assert seen(create_app(production_env)) == "203.0.113.9 https"


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
    ("postgresql://u:p@h:5433/db", "postgresql+psycopg://u:p@h:5433/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////srv/q.sqlite3", "sqlite:////srv/q.sqlite3"),
])
def test_database_urls_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_mail_settings_come_from_the_environment(production_env, monkeypatch):
    for name, value in {"SECRET_KEY": A_KEY, "QUIZAPP_MAIL_SERVER": "smtp.example.org", "QUIZAPP_MAIL_PORT": "465",
                        "QUIZAPP_MAIL_USE_SSL": "true", "QUIZAPP_MAIL_USE_TLS": "false",
                        "QUIZAPP_MAIL_USERNAME": "quiz", "QUIZAPP_MAIL_PASSWORD": "123456",
                        "QUIZAPP_MAIL_DEFAULT_SENDER": "Quiz <quiz@example.org>",
                        "QUIZAPP_SERVER_NAME": "quiz.example.org"}.items():
        monkeypatch.setenv(name, value)
    app = create_app(production_env)
    state = app.extensions["mail"]
    assert (state.server, state.port, state.use_ssl, state.use_tls) == ("smtp.example.org", 465, True, False)
    # A password of digits stays text, though QUIZAPP_* values are read as JSON.
    assert (state.username, state.password) == ("quiz", "123456")
    assert state.default_sender == "Quiz <quiz@example.org>" and not state.suppress and not state.debug
    with app.test_request_context("/", base_url="https://evil.example"):
        assert url_for("auth.forgot", _external=True) == "https://quiz.example.org/auth/forgot"


def test_mail_defaults_to_the_submission_port_with_starttls(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    monkeypatch.setenv("QUIZAPP_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("QUIZAPP_MAIL_DEFAULT_SENDER", "quiz@example.org")
    monkeypatch.setenv("QUIZAPP_SERVER_NAME", "quiz.example.org")
    state = create_app(production_env).extensions["mail"]
    assert (state.port, state.use_tls, state.use_ssl) == (587, True, False)


@pytest.mark.parametrize(("missing", "message"), [("QUIZAPP_MAIL_DEFAULT_SENDER", "MAIL_DEFAULT_SENDER is not"),
                                                  ("QUIZAPP_SERVER_NAME", "SERVER_NAME is not")])
def test_production_mail_needs_a_sender_and_the_public_host_name(production_env, monkeypatch, missing, message):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    monkeypatch.setenv("QUIZAPP_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("QUIZAPP_MAIL_DEFAULT_SENDER", "quiz@example.org")
    monkeypatch.setenv("QUIZAPP_SERVER_NAME", "quiz.example.org")
    monkeypatch.delenv(missing)
    with pytest.raises(MailSettingsMissing, match=message):
        create_app(production_env)


def test_production_without_mail_turns_sign_up_and_reset_off_and_says_why(production_env, monkeypatch, caplog):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    with caplog.at_level(logging.WARNING, logger="quizapp"):
        app = create_app({**production_env, "WTF_CSRF_ENABLED": False})
    assert "self sign-up and password reset by email are off" in caplog.text
    assert "invited to teach a class are not told by email" in caplog.text
    with app.app_context():
        upgrade()
    client = app.test_client()
    register = client.get("/auth/register").get_data(as_text=True)
    assert "mail is not set up" in register and "temporary password" in register
    assert "flask --app quizapp users create EMAIL --role admin" in register  # the first admin, on a new server
    assert 'name="password"' not in register
    login = client.get("/auth/login").get_data(as_text=True)
    assert "needs mail, which is not set up" in login and 'href="/auth/forgot"' not in login
    assert "An administrator makes it" in login
    assert "temporary password" in client.get("/auth/forgot").get_data(as_text=True)
    with recorded_mail() as box:
        sent = client.post("/auth/register", data={"email": "ada@example.org", "display_name": "Ada",
                                                   "password": "long enough!", "confirm": "long enough!"})
        client.post("/auth/forgot", data={"email": "ada@example.org"})
    assert sent.status_code == 200 and "mail is not set up" in sent.get_data(as_text=True)
    assert len(box) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PendingRegistration)) == 0
        db.engine.dispose()


def test_connections_are_checked_before_use_only_on_a_database_server(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    assert "pool_pre_ping" not in create_app(production_env).config["SQLALCHEMY_ENGINE_OPTIONS"]
    monkeypatch.setenv("DATABASE_URL", "postgresql://quizapp@db.example/quizapp")
    server = create_app({key: value for key, value in production_env.items() if key != "SQLALCHEMY_DATABASE_URI"})
    assert server.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


@pytest.mark.parametrize(("given", "disabled", "path"), [
    (None, False, None), ("off", True, None), ("/run/quizapp/gunicorn.ctl", False, "/run/quizapp/gunicorn.ctl")])
def test_gunicorn_settings_come_from_the_environment(monkeypatch, given, disabled, path):
    for name, value in {"WEB_CONCURRENCY": "3", "GUNICORN_BIND": "127.0.0.1:8123",
                        "GUNICORN_CONTROL_SOCKET": given}.items():
        monkeypatch.delenv(name, raising=False) if value is None else monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "quizapp" / "gunicorn_conf.py"))
    assert settings["workers"] == 3 and settings["bind"] == ["127.0.0.1:8123"]
    assert settings["control_socket_disable"] is disabled and settings.get("control_socket") == path


def gunicorn_worker(app, workers: int = 5, age: int = 1) -> SimpleNamespace:
    """What post_worker_init reads of a gunicorn worker, with a log that keeps its warnings."""
    warnings: list[str] = []
    return SimpleNamespace(wsgi=app, age=age, cfg=SimpleNamespace(workers=workers), warnings=warnings,
                           log=SimpleNamespace(warning=warnings.append))


def test_gunicorn_workers_compile_every_template_before_their_first_request(app):
    settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "quizapp" / "gunicorn_conf.py"))
    app.jinja_env.cache.clear()
    settings["post_worker_init"](gunicorn_worker(app))
    compiled = {name for _, name in app.jinja_env.cache}
    assert {"base.html", "quiz/question.html", "quiz/feedback.html"} <= compiled
    assert compiled == set(app.jinja_env.list_templates())


@pytest.mark.parametrize(("storage", "workers", "age", "warned"), [
    ("memory://", 5, 1, True),  # the first worker of a server whose workers count apart
    ("memory://", 5, 2, False),  # said once, not by every worker
    ("memory://", 1, 1, False),  # one worker: its counts are the server's
    ("redis://127.0.0.1:6379/0", 5, 1, False),  # shared counts
])
def test_gunicorn_says_once_when_workers_count_login_limits_apart(app, storage, workers, age, warned):
    settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "quizapp" / "gunicorn_conf.py"))
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage)
    worker = gunicorn_worker(app, workers, age)
    settings["post_worker_init"](worker)
    assert len(worker.warnings) == warned
    if warned:
        assert "with 5 workers" in worker.warnings[0] and "REDIS_URL" in worker.warnings[0]


def test_the_default_database_gets_its_instance_folder(production_env, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    folder = tmp_path / "fresh-checkout" / "instance"
    app = create_app({"INSTANCE_PATH": str(folder)})
    assert folder.is_dir() and app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{folder / 'quizapp.sqlite3'}"


@pytest.mark.parametrize(("setting", "said"), [
    ({}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": A_KEY, "QUIZAPP_DEFAULT_TIMEZONE": "Almaty"}, "QUIZAPP_DEFAULT_TIMEZONE is 'Almaty'"),
    ({"SECRET_KEY": A_KEY, "QUIZAPP_MAIL_SERVER": "smtp.school.example",
      "QUIZAPP_MAIL_DEFAULT_SENDER": "quiz@school.example"}, "MAIL_SERVER is set but SERVER_NAME is not")])
def test_gunicorn_refuses_before_listening_with_a_setting_it_cannot_use(production_env, setting, said):
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env |= {"GUNICORN_BIND": "127.0.0.1:0", "GUNICORN_CONTROL_SOCKET": "off", **setting}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    done = subprocess.run([str(gunicorn), "--config", "python:quizapp.gunicorn_conf"], cwd=Path(__file__).parents[1],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"Not starting: {said}" in done.stderr and "Listening at" not in done.stderr


def test_a_flask_command_refuses_a_setting_in_one_line(tmp_path):
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DATABASE_URL")}
    env |= {"SECRET_KEY": "change-me", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    flask = Path(sys.executable).with_name("flask")
    done = subprocess.run([str(flask), "--app", "quizapp", "db", "current"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: SECRET_KEY is still 'change-me' from the example environment file.")


def test_gunicorn_serving_another_app_needs_no_secret_key(production_env):
    import subprocess
    import sys
    import time

    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env |= {"GUNICORN_BIND": "127.0.0.1:0", "GUNICORN_CONTROL_SOCKET": "off", "WEB_CONCURRENCY": "1"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "--config", "python:quizapp.gunicorn_conf", "bench.bare:app"],
                               cwd=Path(__file__).parents[1], env=env, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)
        assert process.poll() is None, process.stderr.read()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_default_time_zone_comes_from_the_environment_and_must_be_a_zone(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", A_KEY)
    monkeypatch.setenv("QUIZAPP_DEFAULT_TIMEZONE", "Asia/Almaty")
    assert create_app(production_env).config["DEFAULT_TIMEZONE"] == "Asia/Almaty"
    monkeypatch.setenv("QUIZAPP_DEFAULT_TIMEZONE", "Almaty")
    with pytest.raises(SettingError, match="'Almaty', which is not a time zone name"):
        create_app(production_env)
