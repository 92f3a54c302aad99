"""Prepaid credits as last fetched, one row per provider (see `BalanceRow`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.orm import Session

from billing_adapters.records import Balance

from ..core.balance import FetchedBalance
from ..core.money import from_nanos, to_nanos
from .engine import connected
from .models import BalanceRow

__all__ = ["BalanceStore"]


class BalanceStore:
    def __init__(self, engine: Engine | Connection) -> None:
        self.engine = engine

    def record(self, balance: Balance, *, fetched_at: datetime) -> None:
        """The provider's balance becomes this one (replaced whole, in one transaction)."""
        with Session(self.engine) as session, session.begin():
            session.execute(delete(BalanceRow).where(BalanceRow.provider == balance.provider))
            session.execute(
                insert(BalanceRow).values(
                    provider=balance.provider,
                    credits_nanos=to_nanos(balance.credits),
                    used_nanos=to_nanos(balance.used),
                    currency=balance.currency,
                    fetched_at=fetched_at,
                )
            )

    def latest(self) -> list[FetchedBalance]:
        """Every provider's last fetched balance, by provider name."""
        query = select(
            BalanceRow.provider,
            BalanceRow.credits_nanos,
            BalanceRow.used_nanos,
            BalanceRow.currency,
            BalanceRow.fetched_at,
        ).order_by(BalanceRow.provider)
        with connected(self.engine) as connection:
            rows = connection.execute(query).all()
        return [
            FetchedBalance(
                r.provider,
                from_nanos(r.credits_nanos),
                from_nanos(r.used_nanos),
                r.currency,
                r.fetched_at,
            )
            for r in rows
        ]
