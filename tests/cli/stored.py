"""What the fuzz tests compare before and after a command: rows as stored, read directly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from bot.db.engine import connect
from bot.db.models import Base, OpsHoursRow
from bot.db.revenue import RevenueStore

__all__ = ["ops_hours", "stored_revenue", "stored_rows"]


def stored_revenue(url: str) -> dict[date, Decimal]:
    engine = connect(url, migrate=False)
    try:
        rows = RevenueStore(engine).months(date(1, 1, 1), date(9999, 12, 31))
    finally:
        engine.dispose()
    return {r.month: r.amount_usd for r in rows}


def stored_rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every aicost table, in a stable order: what "nothing changed" compares."""
    engine = connect(url, migrate=False)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(
                    (tuple(row) for row in connection.execute(sa.select(table))), key=repr
                )
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def ops_hours(url: str) -> list[tuple[int, str, str]]:
    """The hours log as stored: (minutes, note, who), oldest first."""
    engine = connect(url, migrate=False)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.select(OpsHoursRow.minutes, OpsHoursRow.note, OpsHoursRow.user_id).order_by(
                    OpsHoursRow.id
                )
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]
    finally:
        engine.dispose()
