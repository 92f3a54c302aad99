"""The month-close report: gathered from the stores, and posted once per month per channel.

Checked after every scheduled sync (the sync that re-fetches a closed month is what can make
it final), for the two months before the current one: Anthropic's 31-day window means November
is final only in January, when the last closed month is already December.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from billing_adapters import revision_days

from ..core.clock import next_month_start, previous_month_start
from ..core.coverage import days_between
from ..core.money import ZERO
from ..core.month_close import (
    MonthClose,
    closed_at,
    final_at,
    not_refetched,
    revised_since_close,
)
from ..core.posting import Poster
from ..db.digests import DigestLog
from ..db.store import SpendStore
from ..render.month_close_render import month_close_blocks, month_close_text
from ..settings import Settings
from .post_once import NOT_POSTED, Delivery, post_once
from .status import configured_providers

__all__ = [
    "MonthCloseRun",
    "build_month_close",
    "candidate_months",
    "month_close_key",
    "post_month_closes",
]


@dataclass(frozen=True, slots=True)
class MonthCloseRun:
    month: date
    report: MonthClose | None  # None while the month is not final
    waiting: str  # why it is not final yet; "" when it is
    outcome: str = NOT_POSTED
    error: str = ""


def month_close_key(month: date, channel: str) -> str:
    return f"month-close:{month:%Y-%m}:{channel}"


def build_month_close(
    store: SpendStore, settings: Settings, *, month: date, now: datetime
) -> MonthCloseRun:
    """The month's final figures if it is final at `now`; else why it is not, and until when."""
    first, end = month, next_month_start(month)
    fetched = store.fetched_at(first, end)
    synced = sorted({p for p, _ in fetched})
    earliest = {p: store.earliest_fetch(p, first, end) for p in synced}
    frozen = not_refetched(first, earliest, configured_providers(settings))
    waited = [p for p in synced if p not in frozen]
    windows = {p: revision_days(p) for p in waited}
    # Only providers a sync will fetch again are waited for; with none, the month is as final
    # as it will get once it has ended.
    when = final_at(first, windows, earliest) if waited else closed_at(first)
    name = f"{first:%B %Y}"
    if not synced:
        return MonthCloseRun(first, None, f"no provider synced {name}")
    if when is None:
        stale = [p for p in waited if (earliest[p] or closed_at(first)) < closed_at(first)]
        return MonthCloseRun(first, None, f"{', '.join(stale)} not re-fetched since {name} ended")
    if now < when and not waited:
        return MonthCloseRun(first, None, f"{name} has not ended yet")
    if now < when:
        longest = max(windows.values())
        return MonthCloseRun(
            first,
            None,
            f"revision window open until {when:%d %b %Y %H:%M} UTC ({longest} days after "
            f"{name} ended)",
        )
    by_provider: dict[str, Decimal] = {}
    total = ZERO
    for row in store.daily_spend(first, end):
        by_provider[row.provider] = by_provider.get(row.provider, ZERO) + row.amount_usd
        total += row.amount_usd
    scope = sorted({*configured_providers(settings), *synced})
    missing = {p: [d for d in days_between(first, end) if (p, d) not in fetched] for p in scope}
    report = MonthClose(
        month=first,
        total_usd=total,
        by_provider=dict(sorted(by_provider.items())),
        budget_usd=settings.monthly_budget_usd,
        revised_by_provider=revised_since_close(store.revisions(first, end), first),
        final_at=when,
        missing_days={p: days for p, days in missing.items() if days},
        as_fetched={p: max(at for (q, _), at in fetched.items() if q == p) for p in sorted(frozen)},
    )
    return MonthCloseRun(first, report, "")


def candidate_months(now: datetime, settings: Settings) -> list[date]:
    """The two months before the current one, oldest first."""
    last = previous_month_start(now.astimezone(settings.tz).date())
    return [previous_month_start(last), last]


def post_month_closes(
    store: SpendStore, settings: Settings, *, now: datetime, poster: Poster | None
) -> list[MonthCloseRun]:
    """Post each final, not yet posted month-close report to every digest channel, once."""
    if poster is None:
        return []
    log = DigestLog(store.engine)
    runs = []
    for month in candidate_months(now, settings):
        channels = [
            c for c in settings.digest_cadences if not log.delivered(month_close_key(month, c))
        ]
        if not channels:
            continue
        run = build_month_close(store, settings, month=month, now=now)
        if run.report is None:
            continue
        for channel in channels:
            delivery: Delivery = post_once(
                log,
                poster,
                channel,
                month_close_key(month, channel),
                now=now,
                text=month_close_text(run.report).splitlines()[0],
                blocks=month_close_blocks(run.report),
            )
            runs.append(MonthCloseRun(month, run.report, "", delivery.outcome, delivery.error))
    return runs
