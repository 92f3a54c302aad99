"""What the alert rules take and give: inputs, conditions, and which periods are current.

Every condition has a key unique to it *and its period* ("budget:80:2026-11", "spike:2026-11-04"),
which is what makes an alert fire once per period however often the rules are run.

Which conditions can recover: projection, growth, share, breakeven and breakeven-soon can stop
holding within their period (the projection drops, revenue is corrected, the run-rate falls),
and then a short recovery message is owed. Budget steps and spikes cannot: month-to-date spend
and a settled day's spend do not go down, so they simply end with their period. A condition
that reappears in the same period is not alerted again: flapping is the spam users complain of.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ..breakeven_report import BreakEvenSummary
from ..clock import previous_month_start
from ..coverage import ProviderFreshness
from ..forecast import Estimate
from ..growth import GrowthReport
from ..teams import ProjectKey

__all__ = [
    "AlertInputs",
    "Assessment",
    "Condition",
    "KIND_NAMES",
    "RECOVERY_TITLES",
    "SPIKE_LOOKBACK_DAYS",
    "TeamFigures",
    "current_periods",
    "month_key",
]

SPIKE_LOOKBACK_DAYS = 7  # complete days checked for a spike on each run

# Kinds that can stop holding within their period, and the headline of their recovery message.
RECOVERY_TITLES = {
    "projection": "Back on track: the month-end projection is under the budget again",
    "growth": "AI spend is no longer outgrowing revenue",
    "share": "AI spend is back within the share-of-revenue policy",
    "breakeven": "Self-hosting no longer pays off at today's run-rate",
    "breakeven-soon": "Break-even is no longer expected within 12 months",
    "stale": "Syncing works again: the figures are current",
    "team-projection": "Back on track: the team's month-end projection is under its budget again",
}

# How a kind is named where people read it ("Snoozed budget alerts for 7 days").
KIND_NAMES = {
    "budget": "budget",
    "projection": "budget projection",
    "growth": "growth against revenue",
    "share": "share of revenue",
    "breakeven": "break-even",
    "breakeven-soon": "break-even outlook",
    "spike": "spend spike",
    "stale": "stale data",
    "team-budget": "team budget",
    "team-projection": "team budget projection",
    "team-spike": "team spend spike",
}


@dataclass(frozen=True, slots=True)
class TeamFigures:
    """One team's figures for its alerts (`bot.core.team_spend` attributes them)."""

    name: str
    month_to_date_usd: Decimal | None  # None: none of its providers synced a day this month
    budget_usd: Decimal | None
    projection: Estimate | None  # its share of the organisation's month-end forecast
    share_of_recent: Decimal  # that share: its part of the last whole week's spend
    daily: Mapping[date, Decimal]  # its spend per day its providers all synced
    projects: tuple[ProjectKey, ...] = ()  # what it owns: a spike's drivers are among these


@dataclass(frozen=True, slots=True)
class AlertInputs:
    now: datetime
    today: date  # in the team's time zone
    month_to_date_usd: Decimal | None  # None: nothing synced for the month, not $0
    budget_usd: Decimal | None
    projection: Estimate | None  # the forecast month end, None under 7 complete days
    growth: GrowthReport | None
    daily: Mapping[date, Decimal]  # total per synced day; a day never synced is absent
    incomplete_days: frozenset[date]  # days the providers may still revise
    breakeven: BreakEvenSummary | None  # None: no data to judge break-even on
    spike_factor: Decimal = Decimal(3)
    spike_floor_usd: Decimal = Decimal(50)
    # Providers whose last successful sync is older than the threshold (AICOST_STALE_AFTER_HOURS),
    # and every provider that has synced once (the stale rule's periods), with the threshold.
    stale: tuple[ProviderFreshness, ...] = ()
    synced_providers: frozenset[str] = frozenset()
    stale_after_hours: Decimal = Decimal(24)
    teams: tuple[TeamFigures, ...] = ()  # every team (none set up: no team rules run)


@dataclass(frozen=True, slots=True)
class Condition:
    key: str  # unique per condition and period: the once-only unit
    kind: str  # budget, projection, growth, share, breakeven, breakeven-soon, spike: snoozed as one
    period: str  # 2026-11 or 2026-11-04
    title: str
    numbers: dict[str, str]  # label -> display value, in reading order
    why: str  # one line: why this matters
    severity: str  # info, warning or critical
    supersedes: tuple[str, ...] = ()  # keys this one makes moot (lower budget steps, ...)
    team: str = ""  # the team it is about ("": the organisation); its channel gets it

    @property
    def recovers(self) -> bool:
        return self.kind in RECOVERY_TITLES

    @property
    def judged_as(self) -> str:
        """What a run must have judged for this alert to clear: its kind, for one team."""
        return f"{self.kind}:{self.team}" if self.team else self.kind

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; `from_dict` gives it back (the ledger stores alerts this way)."""
        data = asdict(self)
        data["supersedes"] = list(self.supersedes)
        if not self.team:
            del data["team"]  # the organisation's alerts read as they always have
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Condition:
        return cls(
            key=data["key"],
            kind=data["kind"],
            period=data["period"],
            title=data["title"],
            numbers=dict(data.get("numbers", {})),
            why=data.get("why", ""),
            severity=data.get("severity", "warning"),
            supersedes=tuple(data.get("supersedes", ())),
            team=data.get("team", ""),
        )


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the rules found, and what they looked at, so absence can be told from not-checked.

    A recoverable alert clears only if its kind was `judged` this run for its current period;
    a kind not judged (no budget, no break-even data, last month not settled) keeps its state.
    """

    conditions: list[Condition]
    judged: frozenset[str]  # kinds, and a team's kinds as `Condition.judged_as` names them
    current: dict[str, frozenset[str]]  # kind -> periods still current; older ones are over
    readings: dict[str, str] = field(default_factory=dict)  # judged_as -> today's figure
    # rule -> why it could not be evaluated this run; its kinds are not judged, so stay as they were
    failed: dict[str, str] = field(default_factory=dict)


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def current_periods(today: date) -> dict[str, frozenset[str]]:
    """The periods each kind is about today: this month, last month, or the spike window."""
    month = frozenset({month_key(today)})
    last = frozenset({month_key(previous_month_start(today))})
    days = frozenset(
        (today - timedelta(days=n)).isoformat() for n in range(1, SPIKE_LOOKBACK_DAYS + 1)
    )
    return {
        "budget": month,
        "projection": month,
        "breakeven": month,
        "breakeven-soon": month,
        "growth": last,
        "share": last,
        "spike": days,
        "team-budget": month,
        "team-projection": month,
        "team-spike": days,
    }
