"""Syncing: fetch each configured provider's billing data and swap the fetched days in.

Billing data arrives late and gets revised, so every run re-fetches the last few days, plus
everything since the last successful run; the very first run backfills from the start of the
previous month so `status` can compare months straight away. Providers are independent: one
failing is reported and recorded, and never touches what is stored for any provider.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from billing_adapters import FetchResult, ProviderError, redact

from .clock import previous_month_start
from .db.store import SpendStore, SyncRecord

__all__ = ["BillingSource", "LOOKBACK_DAYS", "SyncOutcome", "plan_window", "run_sync"]

# Providers revise recent days for up to ~48 hours (Datadog waits 48 h for the same reason).
LOOKBACK_DAYS = 3


class BillingSource(Protocol):
    name: str

    def fetch(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> FetchResult: ...


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    provider: str
    ok: bool
    window_start: date
    window_end: date
    days: int
    total_usd: Decimal
    message: str


def plan_window(
    *, last_success: SyncRecord | None, today_utc: date, today_local: date, since: date | None
) -> tuple[date, date]:
    """The [start, end) of provider (UTC) days to fetch; end always includes today's partial day."""
    end = today_utc + timedelta(days=1)
    if since is not None:
        start = since
    elif last_success is None:
        start = previous_month_start(today_local)
    else:
        start = min(last_success.window_end, today_utc) - timedelta(days=LOOKBACK_DAYS)
    return min(start, today_utc), end


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
    """Sync every source in turn; returns one outcome per source, failures included."""
    outcomes = []
    today_utc = now.astimezone(UTC).date()
    for source in sources:
        start, end = plan_window(
            last_success=store.last_success(source.name),
            today_utc=today_utc,
            today_local=today_local,
            since=since,
        )
        try:
            result = source.fetch(start, end, progress=progress)
        except ProviderError as exc:
            message = redact(str(exc), list(secrets))
        except Exception as exc:  # noqa: BLE001 - one provider's bug must not stop the others
            message = redact(
                f"{source.name}: unexpected {type(exc).__name__}: {exc}", list(secrets)
            )
        else:
            total = sum((line.amount_usd for line in result.costs), Decimal(0))
            record = SyncRecord(
                provider=source.name,
                started_at=now,
                finished_at=now,
                window_start=start,
                window_end=end,
                ok=True,
                message=f"{len(result.days)} days, {len(result.costs)} cost lines",
            )
            store.replace_days(result, fetched_at=now, record=record)
            outcomes.append(
                SyncOutcome(source.name, True, start, end, len(result.days), total, record.message)
            )
            continue
        store.record_sync(
            SyncRecord(
                provider=source.name,
                started_at=now,
                finished_at=now,
                window_start=start,
                window_end=end,
                ok=False,
                message=message,
            )
        )
        outcomes.append(SyncOutcome(source.name, False, start, end, 0, Decimal(0), message))
    return outcomes
