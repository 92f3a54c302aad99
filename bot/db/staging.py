"""Streaming a sync into the database: pages are staged as they arrive, then swapped in at once.

A sync holds one connection from start to swap and stages each page in temporary tables on it
(see `staging_models.py`), so memory holds one page, never the backfill. The swap is one
transaction: delete the stored rows of exactly the staged days, copy the staged rows in
(INSERT ... SELECT), write the days' totals and the sync's record. A sync killed at any point
therefore leaves the stored data as it was before or as it is after, never half; and what it
staged dies with its connection. On SQLite, staging writes only the temp database, so the main
file's write lock is held for the swap alone and the bot's own writes go on meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from hashlib import sha256
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, literal, select
from sqlalchemy.schema import CreateTable, DropTable

from billing_adapters import FetchResult
from billing_adapters.errors import ProviderResponseError

from ..core.money import to_nanos
from .bulk import append_rows
from .models import (
    CostLineRow,
    DailyTotal,
    DayRevision,
    FetchedDay,
    ProjectDayTotal,
    SyncRun,
    TokenUsageRow,
    UTCDateTime,
)
from .staging_models import STAGE, stage_costs, stage_days, stage_usage

__all__ = ["StagedSync"]


class StagedSync:
    """One provider's sync in staging: `start`, `add` each page, then `swap` (or `discard`).

    Holds a database connection from `start` until `swap` or `discard`, which always close it.
    """

    def __init__(self, engine: Engine, provider: str) -> None:
        self.engine = engine
        self.provider = provider
        self._connection: Connection | None = None

    def start(self) -> StagedSync:
        """Take a connection and create empty staging tables on it."""
        connection = self.engine.connect()
        try:
            with connection.begin():
                for table in STAGE.sorted_tables:
                    # A pooled connection may still hold them if an earlier close failed.
                    connection.execute(DropTable(table, if_exists=True))
                    connection.execute(CreateTable(table))
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return self

    def add(self, batch: FetchResult) -> None:
        """Stage one page's rows and days (committed, but visible to this connection only)."""
        connection = self._open()
        costs = [
            (
                line.day.isoformat(),
                line.project,
                line.line_item,
                line.model,
                to_nanos(line.amount),
                line.currency,
            )
            for line in batch.costs
        ]
        usage = [
            (
                item.day.isoformat(),
                item.model,
                item.input_tokens,
                item.cached_input_tokens,
                item.output_tokens,
                item.requests,
            )
            for item in batch.usage
        ]
        answered = [("costs", day.isoformat()) for day in batch.days]
        answered += [("usage", day.isoformat()) for day in batch.usage_days]
        with connection.begin():
            append_rows(connection, stage_costs, costs)
            append_rows(connection, stage_usage, usage)
            append_rows(connection, stage_days, answered)

    def swap(
        self,
        *,
        fetched_at: datetime,
        sync_run: dict[str, Any] | None = None,
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        """Replace the staged days with the staged rows, in one transaction, and let go.

        `sync_run` (a sync_runs row) is written in the same transaction, so "last successful
        sync" can never claim days that were not written. On any failure nothing is replaced.
        `before_commit` runs with every row written and nothing committed (the crash tests
        hold the process there).
        """
        connection = self._open()
        try:
            with connection.begin():
                self._refuse_mixed_currencies(connection)
                self._queue_behind_other_swaps(connection)
                self._replace(connection, fetched_at)
                if sync_run is not None:
                    connection.execute(insert(SyncRun).values(**sync_run))
                if before_commit is not None:
                    before_commit()
        finally:
            self.discard()

    def discard(self) -> None:
        """Drop the staging tables and give the connection back (safe to call twice)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            with connection.begin():
                for table in STAGE.sorted_tables:
                    connection.execute(DropTable(table, if_exists=True))
        except Exception:  # noqa: BLE001, S110 - already failing; the tables die with the session
            connection.invalidate()
        finally:
            connection.close()

    def _open(self) -> Connection:
        if self._connection is None:
            raise RuntimeError(f"{self.provider}: staging is not started or already finished")
        return self._connection

    # --- inside the swap's transaction ----------------------------------------------------------
    def _queue_behind_other_swaps(self, connection: Connection) -> None:
        """Wait for any other swap of this provider to commit before touching its rows.

        Two syncs of one provider can overlap (a cron `aicost sync` and the bot's scheduled one).
        On PostgreSQL a second swap's DELETE, run while the first is uncommitted, waits for the
        rows the first is replacing, then skips them as gone without seeing the first's new rows,
        and its INSERT collides with those. A transaction-scoped advisory lock per provider makes
        the second swap start after the first commits; it then replaces the first's rows whole.
        SQLite needs nothing: one writer at a time already holds for the whole file.
        """
        if connection.dialect.name == "postgresql":
            key = int.from_bytes(sha256(f"aicost.swap.{self.provider}".encode()).digest()[:8])
            connection.execute(select(func.pg_advisory_xact_lock(key - 2**63)))

    def _refuse_mixed_currencies(self, connection: Connection) -> None:
        """A provider day billed in two currencies is refused before anything is replaced.

        A billing account bills in one currency, so two on one day means two accounts under
        one provider name (a FOCUS file mixing them): their days cannot be replaced as one
        without a total that adds euros to dollars, and a day's total is kept in one currency.
        """
        mixed = connection.execute(
            select(
                stage_costs.c.day,
                func.min(stage_costs.c.currency),
                func.max(stage_costs.c.currency),
            )
            .group_by(stage_costs.c.day)
            .having(func.count(func.distinct(stage_costs.c.currency)) > 1)
            .order_by(stage_costs.c.day)
            .limit(1)
        ).first()
        if mixed is not None:
            day, first, second = mixed
            raise ProviderResponseError(
                self.provider,
                f"{day} is billed in both {first} and {second}; nothing was stored "
                "(a day is kept in one currency: import each billing account under its own name)",
            )

    def _record_revisions(self, connection: Connection, revised_at: datetime) -> None:
        """Before the swap: each re-fetched day whose total is about to change, old and new.

        Only days fetched before count (a first fetch is not a revision); a day fetched before
        with no spend had a total of $0, and a day now answered empty goes to $0.
        """
        staged = (
            select(
                stage_costs.c.day,
                func.sum(stage_costs.c.amount_nanos).label("nanos"),
                func.max(stage_costs.c.currency).label("currency"),  # one a day, checked above
            )
            .group_by(stage_costs.c.day)
            .subquery()
        )
        old = func.coalesce(DailyTotal.amount_nanos, 0)
        new = func.coalesce(staged.c.nanos, 0)
        # A $0 day has no currency of its own: it takes the other side's.
        old_currency = func.coalesce(DailyTotal.currency, staged.c.currency, "USD")
        new_currency = func.coalesce(staged.c.currency, DailyTotal.currency, "USD")
        changed = (
            select(
                literal(self.provider),
                FetchedDay.day,
                old,
                new,
                old_currency,
                new_currency,
                literal(revised_at, UTCDateTime()),
            )
            .select_from(FetchedDay)
            .join(stage_days, (stage_days.c.day == FetchedDay.day) & (stage_days.c.kind == "costs"))
            .outerjoin(
                DailyTotal,
                (DailyTotal.provider == FetchedDay.provider) & (DailyTotal.day == FetchedDay.day),
            )
            .outerjoin(staged, staged.c.day == FetchedDay.day)
            .where(
                FetchedDay.provider == self.provider, (old != new) | (old_currency != new_currency)
            )
        )
        connection.execute(
            insert(DayRevision).from_select(
                (
                    "provider",
                    "day",
                    "old_nanos",
                    "new_nanos",
                    "old_currency",
                    "new_currency",
                    "revised_at",
                ),
                changed,
            )
        )

    def _replace(self, connection: Connection, fetched_at: datetime) -> None:
        provider = self.provider

        def days(kind: str) -> Any:
            return select(stage_days.c.day).where(stage_days.c.kind == kind)

        self._record_revisions(connection, fetched_at)

        for table, kind in (
            (CostLineRow, "costs"),
            (DailyTotal, "costs"),
            (ProjectDayTotal, "costs"),
            (FetchedDay, "costs"),
            (TokenUsageRow, "usage"),
        ):
            connection.execute(
                delete(table).where(table.provider == provider, table.day.in_(days(kind)))
            )
        tag = literal(provider)
        connection.execute(
            insert(CostLineRow).from_select(
                ("provider", "day", "project", "line_item", "model", "amount_nanos", "currency"),
                select(tag, *stage_costs.c),
            )
        )
        connection.execute(
            insert(DailyTotal).from_select(
                ("provider", "day", "amount_nanos", "currency"),
                select(
                    tag,
                    stage_costs.c.day,
                    func.sum(stage_costs.c.amount_nanos),
                    func.max(stage_costs.c.currency),
                ).group_by(stage_costs.c.day),
            )
        )
        connection.execute(
            insert(ProjectDayTotal).from_select(
                ("provider", "day", "project", "amount_nanos", "currency"),
                select(
                    tag,
                    stage_costs.c.day,
                    stage_costs.c.project,
                    func.sum(stage_costs.c.amount_nanos),
                    func.max(stage_costs.c.currency),
                ).group_by(stage_costs.c.day, stage_costs.c.project),
            )
        )
        connection.execute(
            insert(TokenUsageRow).from_select(
                (
                    "provider",
                    "day",
                    "model",
                    "input_tokens",
                    "cached_input_tokens",
                    "output_tokens",
                    "requests",
                ),
                select(tag, *stage_usage.c),
            )
        )
        connection.execute(
            insert(FetchedDay).from_select(
                ("provider", "day", "fetched_at"),
                select(tag, stage_days.c.day, literal(fetched_at, UTCDateTime())).where(
                    stage_days.c.kind == "costs"
                ),
            )
        )
