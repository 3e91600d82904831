"""`flask questions check` and `flask questions load`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import BanksOwnedElsewhere, load_banks
from quizapp.extensions import db

questions_cli = AppGroup("questions", help="Check and load the question banks.")


def _questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


@questions_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check_command(paths: tuple[Path, ...]) -> None:
    """Check bank files (default: every bank) and report each problem as path:line: message."""
    result = check_paths(list(paths) or [_questions_dir()], _questions_dir())
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if not result.ok:
        click.echo(f"{len(result.problems)} problem(s) found.", err=True)
        raise SystemExit(1)
    click.echo(result.summary())


@questions_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def load_command(paths: tuple[Path, ...]) -> None:
    """Check, then load the banks into the database in one transaction (nothing changes on error)."""
    result = check_paths(list(paths) or [_questions_dir()], _questions_dir())
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if not result.ok:
        click.echo(f"{len(result.problems)} problem(s) found; nothing was loaded.", err=True)
        raise SystemExit(1)
    try:
        report = load_banks(db.session, result)
    except BanksOwnedElsewhere as clash:
        click.echo(f"Bank id(s) {', '.join(clash.slugs)} belong to banks an instructor uploaded; give the bank "
                   "file another id. Nothing was loaded.", err=True)
        raise SystemExit(1) from None
    click.echo(f"Loaded {len(result.banks)} bank(s): {report}.")
