"""Core statements compiled once per database and run on the driver's own cursor.

On the quick answer path, SQLAlchemy's execution (the statement's cache key, the compiled-statement lookup,
building the parameters and the result) cost several times what the database spent running the statements.
A DriverStatement keeps what that work produces, the SQL text, the order of its parameters and the column
types' own conversions, so that each run is the driver's execute and those conversions alone. The statements
are still written with SQLAlchemy and compiled by it for each dialect; only their execution is done here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.sql import Executable


@dataclass
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # parameter names in order, for positional paramstyles
    fixed: dict[str, Any]  # the values the statement itself carries (the 1 of `version + 1`)
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]
    # The columns' conversions, known from the first run: some depend on the type the database reports (on
    # PostgreSQL, a Float column's).
    results: tuple[Callable[[Any], Any] | None, ...] | None = None


class DriverStatement:
    """A statement to run on the driver's cursor. Like SQLAlchemy's own execution, an INSERT without values
    inserts the columns its parameters name; it is compiled once per dialect and set of parameter names."""

    def __init__(self, statement: Executable):
        self.statement = statement
        self._compiled: dict[tuple[Dialect, tuple[str, ...]], _Compiled] = {}

    def _for(self, dialect: Dialect, keys: tuple[str, ...]) -> _Compiled:
        compiled = self._compiled.get((dialect, keys))
        if compiled is None:
            sql = self.statement.compile(dialect=dialect, column_keys=list(keys))  # type: ignore[attr-defined]
            binds = tuple((name, process) for name, bind in sql.binds.items()
                          if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None)
            order = tuple(sql.positiontup) if sql.positiontup else None
            fixed = {name: bind.effective_value for name, bind in sql.binds.items() if not bind.required}
            compiled = self._compiled[dialect, keys] = _Compiled(sql.string, order, fixed, binds)
        return compiled

    def _results(self, dialect: Dialect, description: Any) -> tuple[Callable[[Any], Any] | None, ...]:
        """The conversions of the columns the statement selects or returns, for the types the cursor reports."""
        columns = getattr(self.statement, "exported_columns", ())
        if description is None or not columns:
            # An INSERT on PostgreSQL returns its new primary key unasked: handed back as the driver gives it.
            return ()
        return tuple(column.type.dialect_impl(dialect).result_processor(dialect, described[1])
                     for column, described in zip(columns, description, strict=True))

    def rows(self, connection: DriverConnection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run the statement in the connection's transaction; the rows it returns, converted by column type."""
        compiled = self._for(connection.dialect, tuple(params))
        values = {**compiled.fixed, **params}
        for name, process in compiled.binds:
            values[name] = process(values[name])
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, tuple(values[name] for name in compiled.order) if compiled.order else values)
            fetched = cursor.fetchall() if cursor.description is not None else []
            if compiled.results is None:
                compiled.results = self._results(connection.dialect, cursor.description)
        finally:
            cursor.close()
        results = compiled.results
        if not any(results):
            return [tuple(row) for row in fetched]
        return [tuple(value if process is None else process(value)
                      for value, process in zip(row, results, strict=True)) for row in fetched]


class DriverConnection:
    """A connection from the engine's pool used without SQLAlchemy's Connection around it, for statements
    that run on the driver's cursor only. Checking it out pings the database as any checkout does; closing it
    gives it back to the pool, which rolls back whatever was not committed."""

    def __init__(self, engine: Engine):
        self.dialect = engine.dialect
        self.connection = engine.raw_connection()
        self.IntegrityError = self.dialect.loaded_dbapi.IntegrityError

    def commit(self) -> None:
        """Commit what the statements wrote."""
        self.connection.commit()

    def __enter__(self) -> DriverConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.connection.close()
