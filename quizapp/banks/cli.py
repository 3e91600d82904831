"""`flask questions check` and `flask questions load`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from quizapp.banks.checker import CheckResult, check_paths
from quizapp.banks.loader import BanksOwnedElsewhere, InvalidBanks, load_banks
from quizapp.extensions import db

questions_cli = AppGroup("questions", help="Check, load, import and export question banks.")


def _questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


def _refuse_no_bank(result: CheckResult, paths: tuple[Path, ...]) -> None:
    """A path named on the command line that holds no bank is a mistake (an empty file, a wrong folder)."""
    if paths and not result.banks:
        click.echo(f"No bank found in {', '.join(map(str, paths))}: a bank needs bank.yaml, or a 'bank:' mapping "
                   "at the top of its file.", err=True)
        raise SystemExit(1)


@questions_cli.command("check", short_help="Check bank files and report each problem with its line.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check_command(paths: tuple[Path, ...]) -> None:
    """Check bank files (default: every bank) and report each problem as path:line: message."""
    result = check_paths(list(paths) or [_questions_dir()], _questions_dir())
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if not result.ok:
        click.echo(f"{len(result.problems)} problem(s) found.", err=True)
        raise SystemExit(1)
    _refuse_no_bank(result, paths)
    click.echo(result.summary())


@questions_cli.command("load", short_help="Check, then load the banks into the database (all or nothing).")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def load_command(paths: tuple[Path, ...]) -> None:
    """Check, then load the banks into the database in one transaction (nothing changes on error)."""
    result = check_paths(list(paths) or [_questions_dir()], _questions_dir())
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if not result.ok:
        click.echo(f"{len(result.problems)} problem(s) found; nothing was loaded.", err=True)
        raise SystemExit(1)
    _refuse_no_bank(result, paths)
    try:
        report = load_banks(db.session, result)
    except BanksOwnedElsewhere as clash:
        click.echo(f"Bank id(s) {', '.join(clash.slugs)} belong to banks an instructor uploaded; give the bank "
                   "file another id. Nothing was loaded.", err=True)
        raise SystemExit(1) from None
    except InvalidBanks as invalid:
        for problem in invalid.result.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(invalid.result.problems)} problem(s) found; nothing was loaded.", err=True)
        raise SystemExit(1) from None
    click.echo(f"Loaded {len(result.banks)} bank(s): {report}.")
