"""quizapp: study source texts with quizzes and flashcards, every answer explained from its source."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration layers, extensions, blueprints and commands."""
    app = Flask(__name__, instance_relative_config=True)

    from quizapp.config import load_config

    load_config(app, config)

    from quizapp.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR", _migrations_dir()))
    csrf.init_app(app)
    login_manager.init_app(app)

    from quizapp import auth, main, progress, quiz, reader, study
    from quizapp.web import register_web_helpers

    for blueprint in (main.bp, auth.bp, quiz.bp, study.bp, progress.bp, reader.bp):
        app.register_blueprint(blueprint)
    register_web_helpers(app)

    from quizapp.banks.cli import questions_cli
    from quizapp.formats import cli as _formats_cli  # noqa: F401 - adds `questions import` and `export`
    from quizapp.srs.cli import study_cli

    app.cli.add_command(questions_cli)
    app.cli.add_command(study_cli)
    return app


def _migrations_dir() -> str:
    from quizapp.config import PROJECT_ROOT

    return str(PROJECT_ROOT / "migrations")
