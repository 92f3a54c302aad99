"""Streaming a sync into the database: pages are staged as they arrive, then swapped in at once.

Each page is committed to the staging tables on its own, so a sync holds one page in memory
and SQLite's write lock is held a page at a time. The swap is one transaction: delete the
stored rows of exactly the staged days, copy the staged rows in (INSERT ... SELECT), record the
sync, empty the staging rows. A sync killed at any point therefore leaves the stored data as it
was before or as it is after, never half; what a killed run staged is deleted when the next run
of that provider starts.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, literal, select

from billing_adapters import FetchResult

from ..money import to_nanos
from .models import CostLineRow, DailyTotal, FetchedDay, SyncRun, TokenUsageRow, UTCDateTime
from .staging_models import StagedCostLine, StagedDay, StagedTokenUsage

__all__ = ["StagedSync", "StagingLost"]

_BATCH = 2_000
_COST_COLUMNS = ("provider", "day", "project", "line_item", "model", "amount_nanos")
_USAGE_COLUMNS = (
    "provider",
    "day",
    "model",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "requests",
)


class StagingLost(RuntimeError):
    """Another sync of the same provider cleared this run's staged pages; nothing was swapped."""


class StagedSync:
    """One provider's sync in staging: `start`, `add` each page, then `swap` (or `discard`)."""

    def __init__(self, engine: Engine, provider: str) -> None:
        self.engine = engine
        self.provider = provider
        self.run_id = uuid.uuid4().hex
        self._days_staged = 0

    def start(self) -> StagedSync:
        """Delete whatever earlier, killed runs of this provider left in staging."""
        with self.engine.begin() as connection:
            for table in (StagedCostLine, StagedTokenUsage, StagedDay):
                connection.execute(delete(table).where(table.provider == self.provider))
        return self

    def add(self, batch: FetchResult) -> None:
        """Commit one page's rows and days to staging."""
        run, provider = self.run_id, self.provider
        costs = [
            {
                "run_id": run,
                "provider": provider,
                "day": line.day,
                "project": line.project,
                "line_item": line.line_item,
                "model": line.model,
                "amount_nanos": to_nanos(line.amount_usd),
            }
            for line in batch.costs
        ]
        usage = [
            {
                "run_id": run,
                "provider": provider,
                "day": item.day,
                "model": item.model,
                "input_tokens": item.input_tokens,
                "cached_input_tokens": item.cached_input_tokens,
                "output_tokens": item.output_tokens,
                "requests": item.requests,
            }
            for item in batch.usage
        ]
        days = [
            {"run_id": run, "kind": kind, "day": day, "provider": provider}
            for kind, staged in (("costs", batch.days), ("usage", batch.usage_days))
            for day in staged
        ]
        with self.engine.begin() as connection:
            for table, rows in ((StagedCostLine, costs), (StagedTokenUsage, usage)):
                # Bounded batches: a driver's multi-row INSERT of a whole page costs memory.
                for at in range(0, len(rows), _BATCH):
                    connection.execute(insert(table), rows[at : at + _BATCH])
            if days:
                connection.execute(insert(StagedDay), days)
        self._days_staged += len(days)

    def swap(self, *, fetched_at: datetime, sync_run: dict[str, Any] | None = None) -> None:
        """Replace the staged days with the staged rows, in one transaction, and clear staging.

        `sync_run` (a sync_runs row) is written in the same transaction, so "last successful
        sync" can never claim days that were not written. On any failure nothing is replaced.
        """
        try:
            with self.engine.begin() as connection:
                self._check_whole(connection)
                self._replace(connection, fetched_at)
                if sync_run is not None:
                    connection.execute(insert(SyncRun).values(**sync_run))
                self._clear(connection)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Drop this run's staged rows (best effort: the next run's `start` also does it)."""
        try:
            with self.engine.begin() as connection:
                self._clear(connection)
        except Exception:  # noqa: BLE001, S110 - already failing; leftovers are cleaned later
            pass

    # --- inside the swap's transaction ----------------------------------------------------------
    def _check_whole(self, connection: Connection) -> None:
        staged = connection.execute(
            select(func.count()).select_from(StagedDay).where(StagedDay.run_id == self.run_id)
        ).scalar_one()
        if staged != self._days_staged:
            raise StagingLost(
                f"{self.provider}: another sync cleared this one's staged pages; nothing changed"
            )

    def _days(self, kind: str) -> Any:
        return select(StagedDay.day).where(StagedDay.run_id == self.run_id, StagedDay.kind == kind)

    def _replace(self, connection: Connection, fetched_at: datetime) -> None:
        provider, run = self.provider, self.run_id
        for table, kind in (
            (CostLineRow, "costs"),
            (DailyTotal, "costs"),
            (FetchedDay, "costs"),
            (TokenUsageRow, "usage"),
        ):
            connection.execute(
                delete(table).where(table.provider == provider, table.day.in_(self._days(kind)))
            )
        connection.execute(
            insert(CostLineRow).from_select(
                _COST_COLUMNS,
                select(*(getattr(StagedCostLine, c) for c in _COST_COLUMNS)).where(
                    StagedCostLine.run_id == run
                ),
            )
        )
        connection.execute(
            insert(DailyTotal).from_select(
                ("provider", "day", "amount_nanos"),
                select(
                    StagedCostLine.provider,
                    StagedCostLine.day,
                    func.sum(StagedCostLine.amount_nanos),
                )
                .where(StagedCostLine.run_id == run)
                .group_by(StagedCostLine.provider, StagedCostLine.day),
            )
        )
        connection.execute(
            insert(TokenUsageRow).from_select(
                _USAGE_COLUMNS,
                select(*(getattr(StagedTokenUsage, c) for c in _USAGE_COLUMNS)).where(
                    StagedTokenUsage.run_id == run
                ),
            )
        )
        connection.execute(
            insert(FetchedDay).from_select(
                ("provider", "day", "fetched_at"),
                select(StagedDay.provider, StagedDay.day, literal(fetched_at, UTCDateTime())).where(
                    StagedDay.run_id == run, StagedDay.kind == "costs"
                ),
            )
        )

    def _clear(self, connection: Connection) -> None:
        for table in (StagedCostLine, StagedTokenUsage, StagedDay):
            connection.execute(delete(table).where(table.run_id == self.run_id))
