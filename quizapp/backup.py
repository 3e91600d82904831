"""`flask db-backup PATH`: a consistent copy of a live SQLite database; for PostgreSQL, how to run pg_dump."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.engine import URL

from quizapp.extensions import db


@click.command("db-backup", short_help="Back up a live SQLite database; explain pg_dump for PostgreSQL.")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def db_backup(path: Path) -> None:
    """Back up the database to PATH while the app keeps serving (SQLite); explain pg_dump for PostgreSQL."""
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        click.echo(pg_dump_instructions(url, path), err=True)
        raise SystemExit(1)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException(f"db-backup handles SQLite files and explains PostgreSQL, not {url.drivername}.")
    if path.exists():
        raise click.ClickException(f"{path} exists; choose a new name so no backup is overwritten.")
    # A folder that is missing is a typo or a setup step not done yet: say so rather than create it.
    if not path.parent.is_dir():
        raise click.ClickException(f"there is no folder {path.parent} to write the backup into; create it first.")
    pages = backup_sqlite(Path(url.database), path)
    click.echo(f"Backed up {url.database} to {path} ({pages} pages, integrity check ok).")


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy with SQLite's online backup API, which sees one consistent state even while workers write."""
    if not source.exists():
        raise click.ClickException(f"there is no database at {source}")
    partial = target.with_name(target.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        partial.touch()
    except OSError as error:
        raise click.ClickException(f"cannot write the backup into {target.parent}: {error.strerror}") from None
    src = sqlite3.connect(source, timeout=10)
    dst = sqlite3.connect(partial)
    try:
        # One step is one read transaction: in WAL mode writers carry on, and the copy is a single snapshot
        # (copying in small steps would restart whenever a worker writes in between).
        src.backup(dst)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise click.ClickException(f"the copy failed its integrity check: {check}")
        # The copy inherits WAL mode; a single self-contained file is what a backup should be.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    os.replace(partial, target)
    return pages


def pg_dump_instructions(url: URL, path: Path) -> str:
    """The pg_dump and pg_restore commands for this database; the password is never printed."""
    host = url.host or "localhost"
    port = url.port or 5432
    user = url.username or os.environ.get("USER", "postgres")
    name = url.database or user
    return (
        "This database is PostgreSQL: back it up with pg_dump, which takes a consistent snapshot while the\n"
        "app keeps serving. Give the password through PGPASSWORD or ~/.pgpass:\n\n"
        f"    pg_dump --host {host} --port {port} --username {user} --format custom --file {path} {name}\n\n"
        "Restore (stop the app servers first; --clean replaces what the dump holds):\n\n"
        f"    pg_restore --host {host} --port {port} --username {user} --dbname {name} --clean --if-exists "
        f"--no-owner {path}"
    )
