"""Revenue changes: set by hand, imported from a file, synced from Stripe, each audited in the
same transaction as the change. The CLI and the Slack app call these and only parse and print."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Engine

from billing_adapters import MonthlyRevenue, StripeRevenue

from ..core.clock import month_start, next_month_start, previous_month_start
from ..core.growth import revenue_synced_to
from ..db.audit import REVENUE_SYNC, SCHEDULER_ACTOR, revenue_entry
from ..db.revenue import RevenueStore
from ..errors import AicostError
from ..settings import Settings

__all__ = [
    "SYNC_MONTHS_BACK",
    "RevenueConfigError",
    "change_revenue",
    "complete_last_month",
    "sync_revenue",
]

SYNC_MONTHS_BACK = 6  # without --since: this month and the six before (growth reads six)


class RevenueConfigError(AicostError):
    """Revenue cannot be synced as configured; the message says which setting to set."""


def change_revenue(
    engine: Engine,
    amounts: Sequence[tuple[date, Decimal]],
    *,
    action: str,
    source: str,
    actor: str,
    at: datetime,
    origin: str = "",
    by: str | None = None,
    request: str | None = None,
) -> int:
    """Replace the given months' revenue and audit it (keyed by Slack `request`, if any) in one
    transaction; returns how many months were set."""
    audit = replace(
        revenue_entry(action, amounts, actor=actor, at=at, origin=origin), request_key=request
    )
    return RevenueStore(engine).set_months(
        amounts, source=source, at=at, by=actor if by is None else by, audit=audit
    )


def sync_revenue(
    engine: Engine,
    settings: Settings,
    *,
    now: datetime,
    actor: str,
    since: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[MonthlyRevenue]:
    """Fetch monthly revenue from Stripe, from `since` (default: SYNC_MONTHS_BACK months back)
    through this month (to date), and store it. Raises ProviderError when Stripe refuses."""
    if settings.stripe_api_key is None:
        raise RevenueConfigError("STRIPE_API_KEY is not set (a restricted read-only key is enough)")
    today = now.astimezone(settings.tz).date()
    start = since
    if start is None:
        start = month_start(today)
        for _ in range(SYNC_MONTHS_BACK):
            start = previous_month_start(start)
    stripe = StripeRevenue(
        api_key=settings.stripe_api_key.get_secret_value(), base_url=settings.stripe_base_url
    )
    try:
        months = stripe.fetch_monthly(
            start, next_month_start(today), tz=settings.tz, progress=progress
        )
    finally:
        stripe.close()
    amounts = [(m.month, m.amount_usd) for m in months]
    change_revenue(
        engine,
        amounts,
        action=REVENUE_SYNC,
        source="stripe",
        actor=actor,
        by="stripe",
        at=now,
        origin="Stripe",
    )
    return months


def complete_last_month(
    engine: Engine, settings: Settings, *, now: datetime
) -> list[MonthlyRevenue] | None:
    """Sync Stripe revenue from the start of last month when last month's is missing, or was
    synced before that month ended (its month to date, which growth leaves out).

    The scheduler runs this after every spend sync, so growth compares whole months without
    anyone remembering `aicost revenue sync` on the 1st. Once last month is whole it is a
    single read: Stripe is asked about once a month, and the audit log gains one entry for it.
    Revenue set by hand or imported for last month is kept, never synced over. None when
    nothing was fetched (no STRIPE_API_KEY, or last month whole); raises ProviderError.
    """
    if settings.stripe_api_key is None:
        return None
    this_month = month_start(now.astimezone(settings.tz).date())
    last_month = previous_month_start(this_month)
    stored = RevenueStore(engine).months(last_month, this_month)
    if stored:
        kept = stored[0]
        if revenue_synced_to(kept.month, kept.source, kept.updated_at, settings.tz) is None:
            return None
    return sync_revenue(engine, settings, now=now, actor=SCHEDULER_ACTOR, since=last_month)
