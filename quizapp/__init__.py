"""quizapp: study source texts with quizzes and flashcards, every answer explained from its source."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration layers, extensions, blueprints and commands."""
    # INSTANCE_PATH may only come from the caller: the instance folder holds the config file read next.
    app = Flask(__name__, instance_relative_config=True, instance_path=(config or {}).get("INSTANCE_PATH"))

    from quizapp.http import Request

    app.request_class = Request  # a chunked body past the upload limit is refused as too large, as any other

    from quizapp.config import load_config
    from quizapp.timezones import use_newest_zone_rules

    use_newest_zone_rules()  # before the configuration checks its default zone against the known ones
    load_config(app, config)

    hops = int(app.config["PROXY_HOPS"])
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    from quizapp.extensions import csrf, db, init_limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR", _migrations_dir()))
    csrf.init_app(app)
    login_manager.init_app(app)
    init_limiter(app)

    from quizapp.mail import init_mail

    init_mail(app)

    from quizapp import admin, api, auth, authoring, classroom, health, main, progress, quiz, reader, study
    from quizapp.http import RowIdConverter
    from quizapp.web import register_web_helpers

    app.url_map.converters["int"] = RowIdConverter  # before the blueprints' rules are bound to it
    for area in (main, auth, quiz, study, progress, reader, classroom, authoring, admin, health, api):
        for name in getattr(area, "VIEW_MODULES", ()):
            import_module(f"{area.__name__}.{name}")  # the views add their routes to the area's blueprint
        app.register_blueprint(area.bp)
    register_web_helpers(app)
    # Read now, as this process loads the code, not at the first /healthz: by then a newer release may be unpacked
    # for an upgrade, and a server still running this code would call its database outdated and leave service.
    health.known_revisions(app.extensions["migrate"].directory)

    from quizapp.auth.cli import users_cli
    from quizapp.backup import db_backup
    from quizapp.banks.cli import questions_cli
    from quizapp.formats import cli as _formats_cli  # noqa: F401 - adds `questions import` and `export`
    from quizapp.mail import mail_test_command
    from quizapp.srs.cli import study_cli

    app.cli.add_command(questions_cli)
    app.cli.add_command(study_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(db_backup)
    app.cli.add_command(mail_test_command)
    return app


def _migrations_dir() -> str:
    from quizapp.config import PROJECT_ROOT

    return str(PROJECT_ROOT / "migrations")
