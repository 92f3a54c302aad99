"""The records storage hands out: plain values, no SQL.

They live in the core so that the figures built from them, and the renderers that show them,
need nothing of the database: `bot/db/` fills them, everything above reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

__all__ = [
    "AuditEntry",
    "DailySpend",
    "LineSpend",
    "ProjectDaySpend",
    "ProjectSpend",
    "Revision",
    "SyncRecord",
    "Window",
    "WindowSpend",
    "per_day",
]

Window = tuple[date, date]  # [start, end) in calendar days


@dataclass(frozen=True, slots=True)
class DailySpend:
    provider: str
    day: date
    amount_usd: Decimal


@dataclass(frozen=True, slots=True)
class ProjectDaySpend:
    """One provider project's billed dollars on one day ("default" for the default project)."""

    provider: str
    project: str
    day: date
    amount_usd: Decimal


@dataclass(frozen=True, slots=True)
class ProjectSpend:
    """One provider project's billed dollars this month, and on the recent days each team's
    share of the projection is measured on (`bot.core.team_spend.share_days`)."""

    provider: str
    project: str
    month_usd: Decimal
    recent_usd: Decimal


def per_day(rows: Iterable[DailySpend]) -> dict[date, Decimal]:
    """Each day's total over every provider that has a row for it (a day without rows is
    absent, not $0: only coverage can say whether it was synced)."""
    totals: dict[date, Decimal] = {}
    for row in rows:
        totals[row.day] = totals.get(row.day, Decimal(0)) + row.amount_usd
    return totals


@dataclass(frozen=True, slots=True)
class Revision:
    """A provider day's total before and after a re-fetch changed it."""

    provider: str
    day: date
    old_usd: Decimal
    new_usd: Decimal
    revised_at: datetime

    @property
    def change_usd(self) -> Decimal:
        return self.new_usd - self.old_usd


@dataclass(frozen=True, slots=True)
class SyncRecord:
    provider: str
    started_at: datetime
    finished_at: datetime
    window_start: date
    window_end: date
    ok: bool
    message: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str  # slack:U123 or cli
    action: str  # one of the constants of bot/db/audit.py
    target: str  # what changed: a month, an assumption, an alert kind or key
    detail: str  # a short sentence for people; never a secret
    request_key: str | None = None  # slack:<trigger_id>: one change per Slack request
    answered_at: datetime | None = None  # when the person who asked was told it was done


@dataclass(frozen=True, slots=True)
class WindowSpend:
    """One model's or project's billed dollars in the current and the earlier window."""

    provider: str | None  # None when the key spans providers (models are grouped by name)
    name: str
    current_usd: Decimal
    previous_usd: Decimal

    @property
    def change_usd(self) -> Decimal:
        return self.current_usd - self.previous_usd


@dataclass(frozen=True, slots=True)
class LineSpend:
    """One provider, project and model's billed dollars in the current and the earlier window.

    The finest grain "why did it move?" breaks spend down by: every coarser answer (per
    provider, per project, per model) is a sum of these, so all of them add up to one total.
    """

    provider: str
    project: str  # the OpenAI project, Anthropic workspace or other source's account
    model: str  # the model, else the line item, else "other"
    current_usd: Decimal
    previous_usd: Decimal
