"""Temporary tables a sync stages its pages in, private to the sync's own connection.

They live in their own MetaData, outside the migrated schema: each sync creates them on the
connection it holds, and they vanish with that connection, so a sync killed at any moment
leaves nothing behind to clean up. Being temporary they are also cheap to fill: on SQLite they
sit in the separate temp database (staging never takes the main file's write lock), and on
PostgreSQL they are not written to the WAL. Days are ISO text on every backend: that is how
SQLAlchemy stores a Date on SQLite, and PostgreSQL's COPY parses it as a date.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, MetaData, PrimaryKeyConstraint, String, Table

__all__ = ["STAGE", "stage_costs", "stage_days", "stage_usage"]

STAGE = MetaData()


def _temporary(name: str, *columns: Column | PrimaryKeyConstraint) -> Table:
    return Table(name, STAGE, *columns, prefixes=["TEMPORARY"])


stage_costs = _temporary(
    "sync_stage_costs",
    Column("day", Date, nullable=False),
    Column("project", String(191), nullable=False),
    Column("line_item", String(255), nullable=False),
    Column("model", String(191), nullable=True),
    Column("amount_nanos", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
)

stage_usage = _temporary(
    "sync_stage_usage",
    Column("day", Date, nullable=False),
    Column("model", String(191), nullable=False),
    Column("input_tokens", BigInteger, nullable=False),
    Column("cached_input_tokens", BigInteger, nullable=False),
    Column("output_tokens", BigInteger, nullable=False),
    Column("requests", BigInteger, nullable=False),
)

# A day the provider answered for (kind "costs" or "usage"), with or without rows: only those
# days are replaced, and a day answered with no rows must still be emptied.
stage_days = _temporary(
    "sync_stage_days",
    Column("kind", String(8), nullable=False),
    Column("day", Date, nullable=False),
    PrimaryKeyConstraint("kind", "day"),
)
