"""Reading and writing spend. Writes replace whole provider days inside one transaction.

A sync's fetched days are swapped in atomically: the old rows for exactly those days are deleted
and the new ones inserted in the same transaction, so a crash leaves either the old day or the
new day, never half of each, and running the same sync twice leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from billing_adapters import FetchResult

from ..money import from_nanos, to_nanos
from .models import CostLineRow, FetchedDay, SyncRun, TokenUsageRow

__all__ = ["DailySpend", "SpendStore", "SyncRecord"]

# SQLite allows 32,766 bound parameters per statement; stay far below on every backend.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class DailySpend:
    provider: str
    day: date
    amount_usd: Decimal


@dataclass(frozen=True, slots=True)
class SyncRecord:
    provider: str
    started_at: datetime
    finished_at: datetime
    window_start: date
    window_end: date
    ok: bool
    message: str


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SpendStore:
    """All spend queries aicost makes, over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def replace_days(
        self, result: FetchResult, *, fetched_at: datetime, record: SyncRecord | None = None
    ) -> None:
        """Swap in everything a fetch returned, one transaction for the whole provider window.

        The sync's own record goes into the same transaction, so "last successful sync" can
        never claim days that were not written.
        """
        provider = result.provider
        cost_days = sorted(result.days)
        usage_days = sorted(result.usage_days)
        with Session(self.engine) as session, session.begin():
            for days in _chunks(cost_days):
                session.execute(
                    delete(CostLineRow).where(
                        CostLineRow.provider == provider, CostLineRow.day.in_(days)
                    )
                )
                session.execute(
                    delete(FetchedDay).where(
                        FetchedDay.provider == provider, FetchedDay.day.in_(days)
                    )
                )
            for days in _chunks(usage_days):
                session.execute(
                    delete(TokenUsageRow).where(
                        TokenUsageRow.provider == provider, TokenUsageRow.day.in_(days)
                    )
                )
            cost_rows = [
                {
                    "provider": provider,
                    "day": line.day,
                    "project": line.project,
                    "line_item": line.line_item,
                    "model": line.model,
                    "amount_nanos": to_nanos(line.amount_usd),
                }
                for line in result.costs
            ]
            for rows in _chunks(cost_rows):
                session.execute(insert(CostLineRow), rows)
            usage_rows = [
                {
                    "provider": provider,
                    "day": item.day,
                    "model": item.model,
                    "input_tokens": item.input_tokens,
                    "cached_input_tokens": item.cached_input_tokens,
                    "output_tokens": item.output_tokens,
                    "requests": item.requests,
                }
                for item in result.usage
            ]
            for rows in _chunks(usage_rows):
                session.execute(insert(TokenUsageRow), rows)
            fetched = [
                {"provider": provider, "day": d, "fetched_at": fetched_at} for d in cost_days
            ]
            for rows in _chunks(fetched):
                session.execute(insert(FetchedDay), rows)
            if record is not None:
                session.add(_row(record))

    def record_sync(self, record: SyncRecord) -> None:
        with Session(self.engine) as session, session.begin():
            session.add(_row(record))

    def last_success(self, provider: str) -> SyncRecord | None:
        """The most recent successful sync of provider, if any."""
        with Session(self.engine) as session:
            run = session.scalars(
                select(SyncRun)
                .where(SyncRun.provider == provider, SyncRun.ok.is_(True))
                .order_by(SyncRun.finished_at.desc(), SyncRun.id.desc())
                .limit(1)
            ).first()
            return None if run is None else _record(run)

    def last_runs(self) -> dict[str, SyncRecord]:
        """The latest sync attempt per provider, successful or not."""
        with Session(self.engine) as session:
            latest = (
                select(SyncRun.provider, func.max(SyncRun.id).label("id"))
                .group_by(SyncRun.provider)
                .subquery()
            )
            runs = session.scalars(select(SyncRun).join(latest, SyncRun.id == latest.c.id))
            return {run.provider: _record(run) for run in runs}

    def daily_spend(self, start: date, end: date) -> list[DailySpend]:
        """Billed dollars per provider and day for days in [start, end), summed exactly in SQL."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(CostLineRow.provider, CostLineRow.day, func.sum(CostLineRow.amount_nanos))
                .where(CostLineRow.day >= start, CostLineRow.day < end)
                .group_by(CostLineRow.provider, CostLineRow.day)
                .order_by(CostLineRow.day, CostLineRow.provider)
            ).all()
        return [DailySpend(p, d, from_nanos(int(total))) for p, d, total in rows]

    def fetched_at(self, start: date, end: date) -> dict[tuple[str, date], datetime]:
        """When each (provider, day) in [start, end) was last fetched."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(FetchedDay.provider, FetchedDay.day, FetchedDay.fetched_at).where(
                    FetchedDay.day >= start, FetchedDay.day < end
                )
            ).all()
        return {(p, d): at for p, d, at in rows}

    def token_usage(self, start: date, end: date) -> list[TokenUsageRow]:
        """Token rows for days in [start, end), detached from the session."""
        with Session(self.engine, expire_on_commit=False) as session:
            return list(
                session.scalars(
                    select(TokenUsageRow)
                    .where(TokenUsageRow.day >= start, TokenUsageRow.day < end)
                    .order_by(TokenUsageRow.day, TokenUsageRow.provider, TokenUsageRow.model)
                )
            )


def _record(run: SyncRun) -> SyncRecord:
    return SyncRecord(
        provider=run.provider,
        started_at=run.started_at,
        finished_at=run.finished_at,
        window_start=run.window_start,
        window_end=run.window_end,
        ok=run.ok,
        message=run.message,
    )


def _row(record: SyncRecord) -> SyncRun:
    return SyncRun(
        provider=record.provider,
        started_at=record.started_at,
        finished_at=record.finished_at,
        window_start=record.window_start,
        window_end=record.window_end,
        ok=record.ok,
        message=record.message,
    )
