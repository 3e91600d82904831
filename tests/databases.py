"""Fresh databases for tests: SQLite files by default, PostgreSQL when TEST_DATABASE_URL names one.

Either way the migrations run once into a template and every test gets its own copy: a file copy on SQLite,
`CREATE DATABASE … TEMPLATE` on PostgreSQL, so no test sees another's rows.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from quizapp.config import normalise_database_url


def server_url() -> str | None:
    """The PostgreSQL server the suite should run on, or None for SQLite."""
    # TEST_DATABASE_URL alone: a DATABASE_URL exported for a development server must not fill it with test databases.
    url = os.environ.get("TEST_DATABASE_URL") or ""
    return normalise_database_url(url) if url.startswith(("postgres://", "postgresql")) else None


class SQLiteDatabases:
    """Copies of a migrated SQLite file."""

    dialect = "sqlite"

    def __init__(self, folder: Path):
        self.template = folder / "template.sqlite3"

    @property
    def template_url(self) -> str:
        return f"sqlite:///{self.template}"

    def empty(self, folder: Path) -> str:
        """A URL for a database with no tables yet."""
        return f"sqlite:///{folder / 'empty.sqlite3'}"

    def fresh(self, folder: Path) -> str:
        """A URL for a new copy of the migrated template."""
        target = folder / "quizapp.sqlite3"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        """Nothing to do: the file goes with the test's temporary folder."""

    def close(self) -> None:
        """Nothing to do: the template goes with the session's temporary folder."""


class PostgresDatabases:
    """Databases cloned from a migrated template on one PostgreSQL server."""

    dialect = "postgresql"

    def __init__(self, url: str):
        self.url = make_url(url)
        self.prefix = f"quizapp_test_{os.getpid()}"
        self.counter = itertools.count(1)
        # AUTOCOMMIT: CREATE and DROP DATABASE refuse to run inside a transaction.
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.template_name = f"{self.prefix}_template"
        self._create(self.template_name)

    @property
    def template_url(self) -> str:
        return self._url_for(self.template_name)

    def empty(self, folder: Path) -> str:
        """A URL for a database with no tables yet."""
        name = f"{self.prefix}_{next(self.counter)}"
        self._create(name)
        return self._url_for(name)

    def fresh(self, folder: Path) -> str:
        """A URL for a new clone of the migrated template."""
        name = f"{self.prefix}_{next(self.counter)}"
        self._create(name, template=self.template_name)
        return self._url_for(name)

    def drop(self, url: str) -> None:
        """Remove a database made by empty() or fresh(), closing whatever connections are left."""
        self._drop(make_url(url).database)

    def _drop(self, name: str) -> None:
        for attempt in range(50):
            try:
                with self.admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return
            except ProgrammingError as error:
                # FORCE may not end an autovacuum worker busy on the database (it is not the test role's
                # to end); the worker gives way within moments.
                if "pg_signal_backend" not in str(error) or attempt == 49:
                    raise
                time.sleep(0.1)

    def close(self) -> None:
        """Drop the template and let go of the server."""
        self.drop(self.template_url)
        self.admin.dispose()

    def _create(self, name: str, template: str | None = None) -> None:
        clause = f' TEMPLATE "{template}"' if template else ""
        self._drop(name)
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))

    def _url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)
