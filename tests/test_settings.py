"""Deployment settings: the secret key rule, secure cookies, proxies, rate-limit storage, database URLs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import request

from quizapp import create_app
from quizapp.config import MissingSecretKey, normalise_database_url
from quizapp.extensions import limiter


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
    with pytest.raises(MissingSecretKey, match="SECRET_KEY is not set"):
        create_app(production_env)


def test_production_takes_the_secret_key_from_the_environment_and_secures_cookies(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app(production_env)
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_plain_http_setups_can_turn_secure_cookies_off(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("QUIZAPP_SECURE_COOKIES", "false")
    assert create_app(production_env).config["SESSION_COOKIE_SECURE"] is False


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
    monkeypatch.setenv("SECRET_KEY", "k")
    assert create_app(production_env).config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6390/2")
    app = create_app(production_env)
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6390/2"
    assert type(limiter.storage).__name__ == "RedisStorage"


def test_proxy_hops_trust_forwarded_headers_only_when_set(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k")
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


def test_connections_are_checked_before_use_only_on_a_database_server(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k")
    assert "pool_pre_ping" not in create_app(production_env).config["SQLALCHEMY_ENGINE_OPTIONS"]
    monkeypatch.setenv("DATABASE_URL", "postgresql://quizapp@db.example/quizapp")
    server = create_app({key: value for key, value in production_env.items() if key != "SQLALCHEMY_DATABASE_URI"})
    assert server.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


@pytest.mark.parametrize(("given", "disabled", "path"), [
    (None, False, None), ("off", True, None), ("/run/quizapp/gunicorn.ctl", False, "/run/quizapp/gunicorn.ctl")])
def test_gunicorn_settings_come_from_the_environment(monkeypatch, given, disabled, path):
    import runpy

    for name, value in {"WEB_CONCURRENCY": "3", "GUNICORN_BIND": "127.0.0.1:8123",
                        "GUNICORN_CONTROL_SOCKET": given}.items():
        monkeypatch.delenv(name, raising=False) if value is None else monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "quizapp" / "gunicorn_conf.py"))
    assert settings["workers"] == 3 and settings["bind"] == ["127.0.0.1:8123"]
    assert settings["control_socket_disable"] is disabled and settings.get("control_socket") == path
