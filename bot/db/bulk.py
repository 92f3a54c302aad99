"""Appending many rows at the driver's own speed, for a sync's staging tables.

A backfill of a large organisation is a million rows. Through SQLAlchemy's insert() each row
pays for parameter processing in Python (most of a sync's time at that size), and psycopg's
executemany sends a statement per row; PostgreSQL's COPY and SQLite's executemany of plain
tuples do the same work in C. Values must already be what the column stores (ISO text for
dates, integers for money), since no type processing happens on this path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table

from ..errors import AicostError

__all__ = ["UnsupportedDatabase", "append_rows"]


class UnsupportedDatabase(AicostError, RuntimeError):
    """aicost stores data in SQLite or in PostgreSQL through psycopg 3, nothing else."""


def append_rows(connection: Connection, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows` (tuples in the table's column order) inside the connection's transaction."""
    if not rows:
        return
    columns = [column.name for column in table.columns]
    names = ", ".join(columns)
    if connection.dialect.driver == "psycopg":
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()
    elif connection.dialect.name == "sqlite":
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
        finally:
            cursor.close()
    else:
        dialect = f"{connection.dialect.name}+{connection.dialect.driver}"
        raise UnsupportedDatabase(
            f"DATABASE_URL uses {dialect}; aicost supports sqlite:// and postgresql:// (psycopg)"
        )
