""" "Why did it move?": a period's spend against the one before, broken down into its drivers.

Every breakdown (by provider, by project, by model, by project and model) is summed from the
same lines (`LineSpend`), so each one adds up to the same two totals. Amounts are shown to the
cent with `split_cents`, column by column, so a column adds up to its total as shown; a change
is the shown amount minus the shown amount before, so the changes add up to the total change
to the cent too. Drivers are ranked by their exact absolute change.

Days missing in either period are carried through and named: their spend is unknown, never $0,
so a comparison over them is said to be one. With teams set up, a breakdown by team comes first
(each project counted for the team that owns it now, the rest as "unassigned"); without, the
answer says projects stand in for teams rather than inventing one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from .money import ZERO, cents, format_usd, split_cents
from .records import LineSpend, WindowSpend
from .teams import UNASSIGNED, ProjectKey
from .why_period import WhyPeriod

__all__ = [
    "DIMENSIONS",
    "TEAMS_NOTE",
    "TEAMS_SET_NOTE",
    "TOP_DRIVERS",
    "Breakdown",
    "Driver",
    "WhyReport",
    "breakdown",
    "explain",
    "usual_day_drivers",
]

TOP_DRIVERS = 5  # per breakdown: the names a lead can act on, then one line for the rest
DIMENSIONS = ("provider", "project", "model", "line")
TEAMS_NOTE = "Not by team: teams are not set up in aicost yet, so projects stand in for them."
TEAMS_SET_NOTE = (
    "By team: each project counted for the team that owns it now (aicost team list); "
    f"projects no team owns are {UNASSIGNED}."
)

_Key = tuple[str | None, str]  # (provider, name); provider None when the name spans providers
_KEYS: dict[str, Callable[[LineSpend], _Key]] = {
    "provider": lambda s: (None, s.provider),
    "project": lambda s: (s.provider, s.project),
    "model": lambda s: (None, s.model),
    "line": lambda s: (s.provider, f"{s.project}, {s.model}"),
}


@dataclass(frozen=True, slots=True)
class Driver:
    """One provider, project, model or project-and-model line, in both periods."""

    provider: str | None
    name: str
    current_usd: Decimal  # exact
    previous_usd: Decimal  # exact
    current_cents: Decimal  # as shown: a column of these adds up to the period's total
    previous_cents: Decimal

    @property
    def label(self) -> str:
        return self.name if self.provider is None else f"{self.provider} {self.name}"

    @property
    def change_usd(self) -> Decimal:
        return self.current_usd - self.previous_usd

    @property
    def change_cents(self) -> Decimal:
        return self.current_cents - self.previous_cents

    @property
    def state(self) -> str:
        """'new' (nothing before), 'vanished' (nothing now) or ''."""
        if self.previous_usd == ZERO and self.current_usd != ZERO:
            return "new"
        if self.current_usd == ZERO and self.previous_usd != ZERO:
            return "vanished"
        return ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "name": self.name,
            "current_usd": float(self.current_cents),
            "previous_usd": float(self.previous_cents),
            "change_usd": float(self.change_cents),
            "state": self.state or None,
        }


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Every key of one dimension, largest absolute change first (ties by label)."""

    dimension: str
    drivers: tuple[Driver, ...]

    def changed(self) -> list[Driver]:
        """The keys whose spend moved; a key that did not change is no driver."""
        return [d for d in self.drivers if d.change_usd != ZERO]

    def top(self, count: int = TOP_DRIVERS) -> list[Driver]:
        """The `count` largest changes."""
        return self.changed()[:count]

    def rest(self, count: int = TOP_DRIVERS) -> tuple[int, Decimal]:
        """How many changed keys are not in `top`, and their change as shown (to the cent)."""
        others = self.changed()[count:]
        return len(others), sum((d.change_cents for d in others), ZERO)

    def window_spends(self) -> list[WindowSpend]:
        """The exact figures as the digest's movers take them."""
        return [
            WindowSpend(d.provider, d.name, d.current_usd, d.previous_usd) for d in self.drivers
        ]


def breakdown(
    lines: Sequence[LineSpend], dimension: str, owners: Mapping[ProjectKey, str] | None = None
) -> Breakdown:
    """The lines summed by `dimension` (one of DIMENSIONS, or "team" with `owners`), ranked by
    absolute change."""
    if dimension == "team":
        owner = owners or {}

        def key_of(s: LineSpend) -> _Key:
            return (None, owner.get((s.provider, s.project), UNASSIGNED))

    else:
        key_of = _KEYS[dimension]
    sums: dict[_Key, tuple[Decimal, Decimal]] = {}
    for line in lines:
        key = key_of(line)
        now, before = sums.get(key, (ZERO, ZERO))
        sums[key] = (now + line.current_usd, before + line.previous_usd)
    keys = list(sums)
    now_total = sum((sums[k][0] for k in keys), ZERO)
    before_total = sum((sums[k][1] for k in keys), ZERO)
    now_cents = split_cents(now_total, [sums[k][0] for k in keys])
    before_cents = split_cents(before_total, [sums[k][1] for k in keys])
    drivers = [
        Driver(provider, name, *sums[(provider, name)], now_cents[i], before_cents[i])
        for i, (provider, name) in enumerate(keys)
    ]
    drivers.sort(key=lambda d: (-abs(d.change_usd), d.label))
    return Breakdown(dimension, tuple(drivers))


@dataclass(frozen=True, slots=True)
class WhyReport:
    """The change between two periods, its drivers, and how much of it is known."""

    period: WhyPeriod
    as_of: datetime
    timezone: str
    current_usd: Decimal
    previous_usd: Decimal
    breakdowns: tuple[Breakdown, ...]  # by team (when teams are set up), then DIMENSIONS
    missing_current: tuple[date, ...] = ()  # days some provider has not sent: unknown, not $0
    missing_previous: tuple[date, ...] = ()
    provisional: tuple[date, ...] = ()  # days in either period the providers may still revise

    @property
    def compared(self) -> bool:
        """Both periods wholly synced: only then is the change a like-for-like one."""
        return not self.missing_current and not self.missing_previous

    @property
    def no_data(self) -> bool:
        """Not one day of either period synced by every provider."""
        period = self.period
        return (
            len(self.missing_current) == period.days
            and len(self.missing_previous) == (period.previous[1] - period.previous[0]).days
        )

    @property
    def change_cents(self) -> Decimal:
        return cents(self.current_usd) - cents(self.previous_usd)

    @property
    def change_pct(self) -> Decimal | None:
        if not self.compared or self.previous_usd <= 0:
            return None
        change = self.current_usd - self.previous_usd
        return (change * 100 / self.previous_usd).quantize(Decimal("0.1"))

    def by(self, dimension: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.dimension == dimension)

    @property
    def teams_note(self) -> str:
        by_team = any(b.dimension == "team" for b in self.breakdowns)
        return TEAMS_SET_NOTE if by_team else TEAMS_NOTE

    def spenders(self, state: str) -> list[Driver]:
        """Projects and models that are new ('new') or gone ('vanished'), largest first."""
        found = [
            d for dim in ("project", "model") for d in self.by(dim).drivers if d.state == state
        ]
        return sorted(found, key=lambda d: (-abs(d.change_usd), d.label))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: amounts to the cent as shown, days as ISO dates, unknowns as null."""
        period = self.period
        return {
            "period": period.name,
            "current": _window_dict(period.current),
            "previous": _window_dict(period.previous),
            "as_of": self.as_of.isoformat(),
            "timezone": self.timezone,
            "current_usd": float(cents(self.current_usd)),
            "previous_usd": float(cents(self.previous_usd)),
            "change_usd": float(self.change_cents),
            "change_pct": None if self.change_pct is None else float(self.change_pct),
            "compared": self.compared,
            "drivers": {b.dimension: [d.as_dict() for d in b.drivers] for b in self.breakdowns},
            "new": [d.as_dict() for d in self.spenders("new")],
            "vanished": [d.as_dict() for d in self.spenders("vanished")],
            "missing_days": {
                "current": [d.isoformat() for d in self.missing_current],
                "previous": [d.isoformat() for d in self.missing_previous],
            },
            "provisional_days": [d.isoformat() for d in self.provisional],
            "teams": self.teams_note,
        }


def _window_dict(window: tuple[date, date]) -> dict[str, str]:
    return {"first": window[0].isoformat(), "last": (window[1] - timedelta(days=1)).isoformat()}


def explain(
    period: WhyPeriod,
    lines: Sequence[LineSpend],
    *,
    as_of: datetime,
    timezone: str,
    missing_current: Sequence[date] = (),
    missing_previous: Sequence[date] = (),
    provisional: Sequence[date] = (),
    owners: Mapping[ProjectKey, str] | None = None,
) -> WhyReport:
    """The report for `period` from its lines and its coverage; by team too with `owners`
    ((provider, project) -> team: teams are set up)."""
    teams = () if owners is None else (breakdown(lines, "team", owners),)
    return WhyReport(
        period=period,
        as_of=as_of,
        timezone=timezone,
        current_usd=sum((s.current_usd for s in lines), ZERO),
        previous_usd=sum((s.previous_usd for s in lines), ZERO),
        breakdowns=(*teams, *(breakdown(lines, dimension) for dimension in DIMENSIONS)),
        missing_current=tuple(sorted(missing_current)),
        missing_previous=tuple(sorted(missing_previous)),
        provisional=tuple(sorted(provisional)),
    )


def usual_day_drivers(lines: Sequence[LineSpend], baseline_days: int, count: int = 2) -> str:
    """'openai proj_a, gpt-4o: +$640.00' for the project-and-model lines that rose most.

    `lines` hold one day (current) against the sum of `baseline_days` synced days before it
    (previous); each line is set against its own average day, the only per-line "usual" that
    adds up. Empty when no line rose.
    """
    if baseline_days <= 0:
        return ""
    rises = []
    for driver in breakdown(lines, "line").drivers:
        rise = driver.current_usd - driver.previous_usd / baseline_days
        if cents(rise) > 0:
            rises.append((rise, driver.label))
    rises.sort(key=lambda r: (-r[0], r[1]))
    return "; ".join(f"{label}: +{format_usd(rise)}" for rise, label in rises[:count])
