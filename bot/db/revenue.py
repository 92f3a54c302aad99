"""Monthly revenue: set by hand, imported from CSV, or synced from Stripe. One row per month."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.orm import Session

from ..core.money import from_nanos, to_nanos
from ..core.records import AuditEntry
from .audit import add_audit
from .engine import connected
from .models import RevenueMonth

__all__ = ["Revenue", "RevenueStore"]


@dataclass(frozen=True, slots=True)
class Revenue:
    month: date
    amount_usd: Decimal
    source: str
    updated_at: datetime
    updated_by: str


class RevenueStore:
    def __init__(self, engine: Engine | Connection) -> None:
        self.engine = engine

    def set_months(
        self,
        amounts: Iterable[tuple[date, Decimal]],
        *,
        source: str,
        at: datetime,
        by: str = "",
        audit: AuditEntry | None = None,
    ) -> int:
        """Replace the given months' revenue in one transaction; returns how many were set.

        `audit`, if given, is written in that same transaction (nothing is written for no rows).
        """
        rows = [
            {
                "month": month.replace(day=1),
                "amount_nanos": to_nanos(amount),
                "source": source,
                "updated_at": at,
                "updated_by": by,
            }
            for month, amount in amounts
        ]
        if not rows:
            return 0
        with Session(self.engine) as session, session.begin():
            session.execute(
                delete(RevenueMonth).where(RevenueMonth.month.in_([r["month"] for r in rows]))
            )
            session.execute(insert(RevenueMonth), rows)
            if audit is not None:
                add_audit(session, audit)
        return len(rows)

    def months(self, start: date, end: date) -> list[Revenue]:
        """Revenue for months starting in [start, end), oldest first."""
        query = (
            select(
                RevenueMonth.month,
                RevenueMonth.amount_nanos,
                RevenueMonth.source,
                RevenueMonth.updated_at,
                RevenueMonth.updated_by,
            )
            .where(RevenueMonth.month >= start, RevenueMonth.month < end)
            .order_by(RevenueMonth.month)
        )
        with connected(self.engine) as connection:
            found = connection.execute(query).all()
        return [
            Revenue(r.month, from_nanos(r.amount_nanos), r.source, r.updated_at, r.updated_by)
            for r in found
        ]
