"""The month-close report: a closed month's final figures, once its revision window has passed.

Providers keep revising days after they end (`billing_adapters.revisions`: Anthropic about 31
days, OpenAI 3). A month is final when the longest window among the providers synced that
month has passed, counted from the month's end, and each of those providers has re-fetched
the month's days since it ended. What changed since the month ended is the sum of the
revisions recorded for its days after it closed, per provider.

A provider no sync will fetch again (imported from a FOCUS file, or no longer configured) cannot
be waited for: its days stand as last fetched, and the report says since when, rather than the
month never closing at all.

Plain values in, plain values out: `bot/services/month_close.py` gathers them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from .money import ZERO
from .records import Revision

__all__ = ["MonthClose", "closed_at", "final_at", "not_refetched", "revised_since_close"]


@dataclass(frozen=True, slots=True)
class MonthClose:
    month: date  # the month's first day
    total_usd: Decimal
    by_provider: dict[str, Decimal]
    budget_usd: Decimal | None
    revised_by_provider: dict[str, Decimal]  # change since the month ended, per provider
    final_at: datetime  # when the last revision window closed
    missing_days: dict[str, list[date]] = field(default_factory=dict)  # per configured provider
    # Providers no sync re-fetches, whose days were not fetched again after the month ended:
    # when their days were last fetched (or imported).
    as_fetched: dict[str, datetime] = field(default_factory=dict)

    @property
    def revised_usd(self) -> Decimal:
        return sum(self.revised_by_provider.values(), ZERO)


def closed_at(month: date) -> datetime:
    """The month's end: midnight UTC after its last day (billing days are UTC days)."""
    end = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return datetime.combine(end, time(0), tzinfo=UTC)


def final_at(
    month: date,
    window_days: Mapping[str, int],
    earliest_fetch: Mapping[str, datetime | None],
) -> datetime | None:
    """When the month became final, or None while it is not known to be yet.

    `window_days`: each provider synced that month and its revision window; `earliest_fetch`:
    when the least recently fetched of its days of the month was fetched. None when no
    provider was synced that month, or one has not re-fetched its days since the month ended.
    """
    if not window_days:
        return None
    close = closed_at(month)
    for provider in window_days:
        fetched = earliest_fetch.get(provider)
        if fetched is None or fetched < close:
            return None
    return close + timedelta(days=max(window_days.values()))


def not_refetched(
    month: date, earliest_fetch: Mapping[str, datetime | None], refetched_by_sync: Iterable[str]
) -> set[str]:
    """The providers synced that month that no sync will fetch again (`refetched_by_sync` are
    the ones it will) and whose days have not been fetched since the month ended: the month
    cannot wait for them."""
    close, syncing = closed_at(month), set(refetched_by_sync)
    return {
        p
        for p, fetched in earliest_fetch.items()
        if p not in syncing and (fetched is None or fetched < close)
    }


def revised_since_close(revisions: Sequence[Revision], month: date) -> dict[str, Decimal]:
    """Net change per provider to the month's days from revisions made after it closed."""
    close = closed_at(month)
    end = close.date()
    changed: dict[str, Decimal] = {}
    for r in revisions:
        if month <= r.day < end and r.revised_at >= close:
            changed[r.provider] = changed.get(r.provider, ZERO) + r.change_usd
    return dict(sorted(changed.items()))
