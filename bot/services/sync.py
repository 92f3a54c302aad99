"""Syncing: fetch each configured provider's billing data and swap the fetched days in.

Billing data arrives late and gets revised, so every run re-fetches each provider's revision
window (Anthropic about 30 days, others 3), plus everything since the last successful run, and
the previous month once more after it closes; the very first run backfills from the start of the
previous month so `status` can compare months straight away. Providers are independent: one
failing is reported and recorded, and never touches what is stored for any provider.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from typing import Protocol, runtime_checkable

from billing_adapters import FetchResult, ProviderError, redact, revision_days
from billing_adapters.records import Balance, HourlyUsage
from billing_adapters.revisions import DEFAULT_REVISION_DAYS

from ..core.clock import previous_month_start
from ..core.coverage import SETTLE_HOURS
from ..core.fx import billed, format_amount
from ..core.records import SyncRecord
from ..db.balances import BalanceStore
from ..db.hourly_usage import HourlyUsageStore
from ..db.staging import StagedSync
from ..db.store import SpendStore, sync_run
from .breakeven import WINDOW_DAYS
from .checkpoints import reached

__all__ = [
    "BillingSource",
    "HOURLY_DAYS",
    "HourlySource",
    "LOOKBACK_DAYS",
    "SyncOutcome",
    "plan_window",
    "run_sync",
]

# Re-fetched on every run for a provider with no documented revision window (see
# billing_adapters/revisions.py for each provider's own).
LOOKBACK_DAYS = DEFAULT_REVISION_DAYS
# Hourly usage is kept for the break-even window (and the day it ends on): only its busiest hour
# is read, and a year of hours would be 8,760 rows a provider for nothing.
HOURLY_DAYS = WINDOW_DAYS + 1


class BillingSource(Protocol):
    name: str

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]: ...


@runtime_checkable
class HourlySource(Protocol):
    """A source that can also give its usage per hour (the busiest hour is measured from it)."""

    name: str

    def hours(self, start: datetime, end: datetime) -> Iterator[HourlyUsage]: ...


@runtime_checkable
class PrepaidSource(Protocol):
    """A prepaid source that can say how much of its credits is left (OpenRouter)."""

    name: str

    def balance(self) -> Balance: ...


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    provider: str
    ok: bool
    window_start: date
    window_end: date
    days: int
    billed: dict[str, Decimal]  # per currency, never summed across (see `core.fx.billed`)
    message: str


def plan_window(
    *,
    last_success: SyncRecord | None,
    today_utc: date,
    today_local: date,
    since: date | None,
    revision_days: int = LOOKBACK_DAYS,
    previous_month_settled: bool = True,
) -> tuple[date, date]:
    """The [start, end) of provider (UTC) days to fetch; end always includes today's partial day.

    A later run goes back the provider's revision window (`revision_days`) from where the last
    one ended, and to the start of the previous month while that month has not been fetched
    once since it closed and settled (`previous_month_settled` False): a closed month can still
    move, and it should move in our figures too.
    """
    end = today_utc + timedelta(days=1)
    if since is not None:
        start = since
    elif last_success is None:
        start = previous_month_start(today_local)
    else:
        start = min(last_success.window_end, today_utc) - timedelta(days=revision_days)
        if not previous_month_settled:
            start = min(start, previous_month_start(today_utc))
    return min(start, today_utc), end


def previous_month_settled(store: SpendStore, provider: str, today_utc: date) -> bool:
    """Whether every stored day of last month was fetched after the month closed and settled.

    True once a sync has re-read the closed month (or when nothing of it is stored): from then
    on only the revision window is re-fetched.
    """
    first = previous_month_start(today_utc)
    close = datetime.combine(today_utc.replace(day=1), time(0), tzinfo=UTC)
    settle = close + timedelta(hours=SETTLE_HOURS)
    if today_utc < settle.date() + timedelta(days=1):
        return True  # not settled yet: the revision window still covers the month's end
    earliest = store.earliest_fetch(provider, first, today_utc.replace(day=1))
    return earliest is None or earliest >= settle


@dataclass(slots=True)
class _Tally:
    days: int = 0
    lines: int = 0
    billed: dict[str, Decimal] = field(default_factory=dict)
    currency_of: dict[date, str] = field(default_factory=dict)

    def one_currency_a_day(self, provider: str, batch: FetchResult) -> None:
        """A day is kept in one currency (its total is one figure); two on a day, across any
        pages, fail the source before the swap, with nothing stored."""
        for line in batch.costs:
            held = self.currency_of.setdefault(line.day, line.currency)
            if held != line.currency:
                first, second = sorted((held, line.currency))
                raise _SourceFailed(
                    f"{provider}: {line.day} is billed in both {first} and {second}"
                )


class _SourceFailed(Exception):
    """The provider (not the database) failed mid-stream; carries the message to record."""


def _stage_pages(
    source: BillingSource,
    staged: StagedSync,
    start: date,
    end: date,
    progress: Callable[[str], None] | None,
    between_pages: Callable[[], None],
) -> _Tally:
    """Pull the source's pages one at a time into staging; provider errors become _SourceFailed.

    Only fetching and parsing are the provider's fault; a database error while staging is not,
    and propagates as it is.
    """
    tally = _Tally()
    stages_seen: set[str] = set()

    def checkpoint(stage: str) -> None:
        if stage not in stages_seen:
            stages_seen.add(stage)
            reached(source.name, stage)

    try:
        pages = iter(source.stream(start, end, progress=progress))
    except ProviderError as exc:
        raise _SourceFailed(str(exc)) from None
    while True:
        try:
            batch = next(pages, None)
        except ProviderError as exc:
            raise _SourceFailed(str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - one provider's bug must not stop the others
            raise _SourceFailed(f"{source.name}: unexpected {type(exc).__name__}: {exc}") from None
        if batch is None:
            return tally
        if batch.usage_days:
            checkpoint("between")  # every cost page is staged, no usage page yet
        tally.one_currency_a_day(source.name, batch)
        staged.add(batch)
        checkpoint("usage" if batch.usage_days else "costs")
        tally.days += len(batch.days)
        tally.lines += len(batch.costs)
        billed(((line.currency, line.amount) for line in batch.costs), into=tally.billed)
        del batch
        between_pages()


@contextmanager
def _collector_paced() -> Iterator[Callable[[], None]]:
    """Run Python's cyclic garbage collector once a page, not every 700 allocations.

    A page is a hundred thousand short-lived objects without cycles (dicts, strings, Decimals),
    freed by reference counting once staged; left to itself the collector walks them over and
    over while they live, which cost a large backfill a fifth of its time. Some cycles do form
    (httpx's finished connections), so the young generations are still collected, once per page,
    through the function this yields. The collector is process-wide and resumes when staging ends.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield lambda: gc.collect(1)
    finally:
        if running:
            gc.enable()


def run_sync(
    store: SpendStore,
    sources: Sequence[BillingSource],
    *,
    now: datetime,
    today_local: date,
    since: date | None = None,
    secrets: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
) -> list[SyncOutcome]:
    """Sync every source in turn; returns one outcome per source, failures included.

    Pages stream into staging as they arrive and are swapped in at the end in one transaction,
    so a sync killed at any point leaves each provider's stored days as before or as after.
    """
    outcomes = []
    today_utc = now.astimezone(UTC).date()
    for source in sources:
        start, end = plan_window(
            last_success=store.last_success(source.name),
            today_utc=today_utc,
            today_local=today_local,
            since=since,
            revision_days=revision_days(source.name),
            previous_month_settled=previous_month_settled(store, source.name, today_utc),
        )
        staged = store.stage(source.name)
        record = SyncRecord(source.name, now, now, start, end, ok=False, message="")
        try:
            with _collector_paced() as between_pages:
                tally = _stage_pages(source, staged, start, end, progress, between_pages)
        except _SourceFailed as failed:
            staged.discard()
            record = replace(record, message=redact(str(failed), list(secrets)))
            store.record_sync(record)
            outcomes.append(SyncOutcome(source.name, False, start, end, 0, {}, record.message))
        except BaseException:
            staged.discard()
            raise
        else:
            record = replace(
                record, ok=True, message=f"{tally.days} days, {tally.lines} cost lines"
            )
            staged.swap(
                fetched_at=now,
                sync_run=sync_run(record),
                before_commit=partial(reached, source.name, "swap"),
            )
            reached(source.name, "committed")
            message = record.message + _sync_hours(store, source, start, now, secrets)
            message += _sync_balance(store, source, now, secrets)
            outcomes.append(
                SyncOutcome(source.name, True, start, end, tally.days, tally.billed, message)
            )
    return outcomes


def _sync_balance(
    store: SpendStore, source: BillingSource, now: datetime, secrets: Sequence[str]
) -> str:
    """Fetch a prepaid source's credits after its days are in; like hours, a refusal leaves the
    days synced and the last balance as it was, and the note says why."""
    if not isinstance(source, PrepaidSource):
        return ""
    try:
        balance = source.balance()
    except ProviderError as exc:
        return f"; credits not updated: {redact(str(exc), list(secrets))}"
    BalanceStore(store.engine).record(balance, fetched_at=now)
    return f", {format_amount(balance.remaining, balance.currency)} of credits left"


def _sync_hours(
    store: SpendStore,
    source: BillingSource,
    start: date,
    now: datetime,
    secrets: Sequence[str],
) -> str:
    """Re-fetch the source's hourly usage over the part of the window inside HOURLY_DAYS, up to
    the last complete hour, and replace those hours. Returns a note for the sync's message.

    Hours are an extra, after the billing days are safely in: a provider refusing them leaves
    the days synced and the hours as they were (the answer then falls back to the assumed peak
    and says so), and the note says why.
    """
    if not isinstance(source, HourlySource):
        return ""
    end = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    earliest = datetime.combine(end.date() - timedelta(days=HOURLY_DAYS), time(0), tzinfo=UTC)
    first = max(datetime.combine(start, time(0), tzinfo=UTC), earliest)
    if first >= end:
        return ""
    try:
        hours = list(source.hours(first, end))
    except ProviderError as exc:
        return f"; hourly usage not updated: {redact(str(exc), list(secrets))}"
    stored = HourlyUsageStore(store.engine).replace(source.name, first, end, hours, fetched_at=now)
    return f", {stored} hours of usage"
