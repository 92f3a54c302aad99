"""Reading and writing spend. Writes replace whole provider days inside one transaction.

A sync's fetched days are swapped in atomically (through staging, see `staging.py`): the old
rows for exactly those days are deleted and the new ones inserted in the same transaction, so a
crash leaves either the old day or the new day, never half of each, and running the same sync
twice leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Date,
    Engine,
    bindparam,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from ..core.fx import REPORTING, ForeignSpend, FxRates
from ..core.money import from_nanos
from ..core.records import DailySpend, Revision, SyncRecord
from .engine import connected
from .models import DailyTotal, DayRevision, FetchedDay, SyncRun, TokenUsageRow, UTCDateTime
from .staging import StagedSync

__all__ = ["SpendStore", "sync_run"]


class SpendStore:
    """All spend queries aicost makes, over one engine (or one connection, see `reading`).

    Amounts are stored in each bill's currency; every figure read here is in US dollars,
    converted with `fx`. A provider day in a currency without a rate is left out of
    `daily_spend` *and* of `fetched_at`, so it counts as missing rather than as $0, and
    `foreign_spend` says what was left out and what was converted at which rate.
    """

    def __init__(self, engine: Engine | Connection, fx: FxRates | None = None) -> None:
        self.engine = engine
        self.fx = fx or FxRates()

    @contextmanager
    def reading(self) -> Iterator[SpendStore]:
        """This store's queries through one connection, for a question that asks several.

        `status` asks five; each on its own connection paid a pool checkout, a liveness ping, a
        BEGIN and a ROLLBACK, most of its time on PostgreSQL. Here one connection in autocommit
        answers them all (each statement still reads committed data, as before). Reads only:
        writes and syncs need the engine.
        """
        if isinstance(self.engine, Connection):
            yield self
            return
        with self.engine.connect() as connection:
            yield SpendStore(connection.execution_options(isolation_level="AUTOCOMMIT"), self.fx)

    def stage(self, provider: str) -> StagedSync:
        """A streamed sync of provider: stage pages one by one, then swap them in at once."""
        return StagedSync(self.engine, provider).start()

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

    def latest_syncs(
        self, providers: Iterable[str] = ()
    ) -> tuple[dict[str, SyncRecord], dict[str, SyncRecord | None]]:
        """`last_runs()`, and `last_success()` of `providers` and of every provider ever synced,
        in one round trip of plain rows: status and freshness ask for both each time."""
        runs: dict[str, SyncRecord] = {}
        successes: dict[str, SyncRecord] = {}
        with connected(self.engine) as connection:
            rows = connection.execute(_latest_syncs_query()).all()
        for kind, *values in rows:
            record = SyncRecord(**dict(zip(_SYNC_COLUMNS, values, strict=True)))
            (runs if kind == "run" else successes)[record.provider] = record
        names = sorted(set(providers) | set(runs))
        return runs, {name: successes.get(name) for name in names}

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
        """Billed dollars per provider and day for days in [start, end), from the daily totals
        that each sync writes beside its cost lines (exact integer sums), converted to dollars;
        a day in a currency without a rate is left out (see `fetched_at`)."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(
                    DailyTotal.provider,
                    DailyTotal.day,
                    DailyTotal.amount_nanos,
                    DailyTotal.currency,
                )
                .where(DailyTotal.day >= start, DailyTotal.day < end)
                .order_by(DailyTotal.day, DailyTotal.provider)
            ).all()
        if all(currency == REPORTING for *_, currency in rows):
            return [DailySpend(p, d, from_nanos(int(total))) for p, d, total, _ in rows]
        spends = []
        for provider, day, total, currency in rows:
            usd = self.fx.to_usd(from_nanos(int(total)), currency)
            if usd is not None:
                spends.append(DailySpend(provider, day, usd))
        return spends

    def spend_and_fetched(
        self, start: date, end: date
    ) -> tuple[list[DailySpend], dict[tuple[str, date], datetime]]:
        """`daily_spend(start, end)` and `fetched_at(start, end)` in one query of plain rows:
        each provider day's total beside when it was fetched, then the fetched days with no
        total (no spend). Status reads both over seven months, where turning rows into
        values is most of its time, so each day is read and parsed once, not twice."""
        spends: list[DailySpend] = []
        fetched: dict[tuple[str, date], datetime] = {}
        with connected(self.engine) as connection:
            rows = connection.execute(
                _spend_and_fetched_query(), {"start": start, "end": end}
            ).all()
            fetch_time = _fetch_times(connection.dialect)
        for provider, day, total, currency, raw_at in rows:
            at = fetch_time(raw_at)
            if total is not None:
                usd = from_nanos(int(total))
                if currency != REPORTING:
                    usd = self.fx.to_usd(usd, currency)
                    if usd is None:  # unknown: neither spent nor fetched
                        continue
                spends.append(DailySpend(provider, day, usd))
            if at is not None:
                fetched[(provider, day)] = at
        return spends, fetched

    def fetched_at(self, start: date, end: date) -> dict[tuple[str, date], datetime]:
        """When each (provider, day) in [start, end) was last fetched, leaving out the days
        billed in a currency without a rate: those figures are unknown, not $0. One query:
        the day's total is joined only when its currency cannot be converted."""
        unknown = (
            (DailyTotal.provider == FetchedDay.provider)
            & (DailyTotal.day == FetchedDay.day)
            & DailyTotal.currency.not_in([REPORTING, *self.fx.rates])
        )
        with Session(self.engine) as session:
            rows = session.execute(
                select(FetchedDay.provider, FetchedDay.day, FetchedDay.fetched_at)
                .outerjoin(DailyTotal, unknown)
                .where(FetchedDay.day >= start, FetchedDay.day < end, DailyTotal.provider.is_(None))
            ).all()
        return {(p, d): at for p, d, at in rows}

    def foreign_spend(self, start: date, end: date) -> list[ForeignSpend]:
        """Spend in [start, end) billed in another currency than US dollars, per provider and
        currency, with the rate it was converted at (None: not converted, days missing)."""
        with connected(self.engine) as connection:
            rows = connection.execute(
                select(
                    DailyTotal.provider,
                    DailyTotal.currency,
                    func.count(),
                    func.sum(DailyTotal.amount_nanos),
                )
                .where(
                    DailyTotal.day >= start,
                    DailyTotal.day < end,
                    DailyTotal.currency != REPORTING,
                )
                .group_by(DailyTotal.provider, DailyTotal.currency)
                .order_by(DailyTotal.provider, DailyTotal.currency)
            ).all()
        return [
            ForeignSpend(p, c, int(n), from_nanos(int(total)), self.fx.rates.get(c))
            for p, c, n, total in rows
        ]

    def earliest_fetch(self, provider: str, start: date, end: date) -> datetime | None:
        """When the least recently fetched of the provider's days in [start, end) was fetched."""
        query = select(func.min(FetchedDay.fetched_at)).where(
            FetchedDay.provider == provider, FetchedDay.day >= start, FetchedDay.day < end
        )
        with Session(self.engine) as session:
            return session.execute(query).scalar_one_or_none()

    def revisions(self, start: date, end: date) -> list[Revision]:
        """Days in [start, end) whose total changed on a re-fetch, oldest revision first."""
        query = (
            select(
                DayRevision.provider,
                DayRevision.day,
                DayRevision.old_nanos,
                DayRevision.old_currency,
                DayRevision.new_nanos,
                DayRevision.new_currency,
                DayRevision.revised_at,
            )
            .where(DayRevision.day >= start, DayRevision.day < end)
            .order_by(DayRevision.id)
        )
        revisions = []
        with connected(self.engine) as connection:
            rows = connection.execute(query).all()
        for r in rows:
            old = self.fx.to_usd(from_nanos(r.old_nanos), r.old_currency)
            new = self.fx.to_usd(from_nanos(r.new_nanos), r.new_currency)
            if old is not None and new is not None:  # else the day shows as missing
                revisions.append(Revision(r.provider, r.day, old, new, r.revised_at))
        return revisions

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


# The two queries status asks each time, built once: building a statement took more of
# latest_syncs' time than running it (SQLAlchemy still caches each one's compiled SQL).


@cache
def _latest_syncs_query() -> CompoundSelect:
    """Each provider's latest sync run (kind 'run') and its latest successful one ('success')."""
    columns = [getattr(SyncRun, name) for name in _SYNC_COLUMNS]
    latest = select(func.max(SyncRun.id)).group_by(SyncRun.provider)
    rank = (
        func.row_number()
        .over(
            partition_by=SyncRun.provider,
            order_by=(SyncRun.finished_at.desc(), SyncRun.id.desc()),
        )
        .label("rank")
    )
    ranked = select(SyncRun.id, rank).where(SyncRun.ok.is_(True)).subquery()
    return union_all(
        select(literal("run").label("kind"), *columns).where(SyncRun.id.in_(latest)),
        select(literal("success"), *columns)
        .join(ranked, SyncRun.id == ranked.c.id)
        .where(ranked.c.rank == 1),
    )


@cache
def _spend_and_fetched_query() -> CompoundSelect:
    """Provider days in [:start, :end): each total with when it was fetched (None if never),
    then each fetched day without a total, in day and provider order."""
    start, end = bindparam("start", type_=Date), bindparam("end", type_=Date)
    same_day = (DailyTotal.provider == FetchedDay.provider) & (DailyTotal.day == FetchedDay.day)
    raw_fetched_at = type_coerce(FetchedDay.fetched_at, NullType())  # see _fetch_times
    totals = (
        select(
            DailyTotal.provider.label("provider"),
            DailyTotal.day.label("day"),
            DailyTotal.amount_nanos,
            DailyTotal.currency,
            raw_fetched_at,
        )
        .outerjoin(FetchedDay, same_day)
        .where(DailyTotal.day >= start, DailyTotal.day < end)
    )
    no_spend = (
        select(FetchedDay.provider, FetchedDay.day, null(), null(), raw_fetched_at)
        .outerjoin(DailyTotal, same_day)
        .where(FetchedDay.day >= start, FetchedDay.day < end, DailyTotal.provider.is_(None))
    )
    return union_all(totals, no_spend).order_by("day", "provider")


def _fetch_times(dialect: Dialect) -> Callable[[Any], datetime | None]:
    """fetched_at's raw database values to aware UTC datetimes (as `UTCDateTime` reads them),
    each distinct value converted once: a sync stamps every day it fetched with one moment, so
    months of provider days hold a few values, and converting every row's was a fifth of
    spend_and_fetched's time on SQLite."""
    convert = UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)
    seen: dict[Any, datetime | None] = {None: None}

    def fetch_time(raw: Any) -> datetime | None:
        if raw not in seen:
            seen[raw] = convert(raw) if convert is not None else raw
        return seen[raw]

    return fetch_time


_SYNC_COLUMNS = (
    "provider",
    "started_at",
    "finished_at",
    "window_start",
    "window_end",
    "ok",
    "message",
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


def sync_run(record: SyncRecord) -> dict[str, object]:
    """The sync_runs row for record."""
    return {
        "provider": record.provider,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "window_start": record.window_start,
        "window_end": record.window_end,
        "ok": record.ok,
        "message": record.message,
    }


def _row(record: SyncRecord) -> SyncRun:
    return SyncRun(**sync_run(record))
