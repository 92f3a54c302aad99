"""Hourly token usage: the hours the break-even's busiest hour is measured from.

A fetch covers a window of whole hours; storing it replaces exactly those hours for its provider
in one transaction, so a re-fetch never double counts and a failed one leaves what was there.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.orm import Session

from billing_adapters.records import HourlyUsage

from .models import HourlyUsageRow

__all__ = ["HourlyUsageStore"]


class HourlyUsageStore:
    def __init__(self, engine: Engine | Connection) -> None:
        self.engine = engine

    def replace(
        self,
        provider: str,
        start: datetime,
        end: datetime,
        hours: Iterable[HourlyUsage],
        *,
        fetched_at: datetime,
    ) -> int:
        """Provider's hours in [start, end) become `hours` (hours the provider did not return
        are removed too: it answered for the whole window). Returns the number stored."""
        rows = [
            {
                "provider": provider,
                "hour": h.hour,
                "input_tokens": h.input_tokens,
                "output_tokens": h.output_tokens,
                "fetched_at": fetched_at,
            }
            for h in hours
            if h.provider == provider and start <= h.hour < end
        ]
        with Session(self.engine) as session, session.begin():
            session.execute(
                delete(HourlyUsageRow).where(
                    HourlyUsageRow.provider == provider,
                    HourlyUsageRow.hour >= start,
                    HourlyUsageRow.hour < end,
                )
            )
            if rows:
                session.execute(insert(HourlyUsageRow), rows)
        return len(rows)

    def read(self, start: datetime, end: datetime) -> list[HourlyUsage]:
        """Every stored provider hour in [start, end), oldest first."""
        with Session(self.engine) as session:
            found = session.execute(
                select(
                    HourlyUsageRow.provider,
                    HourlyUsageRow.hour,
                    HourlyUsageRow.input_tokens,
                    HourlyUsageRow.output_tokens,
                )
                .where(HourlyUsageRow.hour >= start, HourlyUsageRow.hour < end)
                .order_by(HourlyUsageRow.hour, HourlyUsageRow.provider)
            )
            return [HourlyUsage(p, h, i, o) for p, h, i, o in found]
