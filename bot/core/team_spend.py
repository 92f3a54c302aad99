"""Spend attributed to teams: each team's month to date, its share of the projection, and the
projects it owns that spent; what no team owns is "unassigned", shown and never dropped.

Plain arithmetic over per-project daily spend (no database, no clock). Every project's spend
goes to exactly one place, its owner or "unassigned", so the teams and "unassigned" add up to
the organisation's month to date exactly, and to the cent as shown (`shown`). A team's days
are missing where a provider it owns projects of has not synced, or bills in a currency with
no rate: its month to date then leaves them out and says so, never counting them as $0.

A team's projection is its month to date plus its share of what the organisation's forecast
still expects this month, the share being the team's part of the spend on the last 7 whole
days (a full week, so no weekday weighs more; recent, so a launch shows within a week): the
forecast's weekly pattern and trend are the organisation's, and the teams' projections add up
to the organisation's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .clock import month_start, next_month_start
from .coverage import Coverage, days_between
from .forecast import Estimate
from .money import ZERO, json_usd, percent_of, split_cents
from .records import ProjectDaySpend, ProjectSpend
from .teams import UNASSIGNED, ProjectKey, Team

__all__ = [
    "SHARE_DAYS",
    "ProjectMonth",
    "TeamMonth",
    "TeamReport",
    "attribute",
    "owners",
    "share_days",
    "team_daily",
]

SHARE_DAYS = 7  # the projection is split by each team's part of these last whole days


@dataclass(frozen=True, slots=True)
class ProjectMonth:
    provider: str
    project: str
    month_to_date_usd: Decimal


@dataclass(frozen=True, slots=True)
class TeamMonth:
    """One team's month (or, named UNASSIGNED, the spend of projects no team owns)."""

    name: str
    month_to_date_usd: Decimal | None  # None: none of its providers synced a day this month
    projection: Estimate | None  # its part of the organisation's month-end forecast
    share_of_recent: Decimal  # its part of the last SHARE_DAYS whole days' spend
    budget_usd: Decimal | None = None
    alert_channel: str | None = None
    projects: tuple[ProjectMonth, ...] = ()  # those that spent this month, biggest first
    owned: tuple[ProjectKey, ...] = ()  # every project it owns
    missing_days: tuple[date, ...] = ()  # this month's days some provider of it lacks

    @property
    def is_unassigned(self) -> bool:
        return self.name == UNASSIGNED

    @property
    def budget_used_pct(self) -> int | None:
        if self.budget_usd is None or self.month_to_date_usd is None:
            return None
        return percent_of(self.month_to_date_usd, self.budget_usd)

    @property
    def budget_projected_pct(self) -> int | None:
        if self.budget_usd is None or self.projection is None:
            return None
        return percent_of(self.projection.point, self.budget_usd)

    def shown_projects(self) -> list[tuple[ProjectMonth, Decimal]]:
        """Its projects with their month to date in cents that add up to the team's."""
        total = self.month_to_date_usd
        if total is None or not self.projects:
            return []
        amounts = split_cents(total, [p.month_to_date_usd for p in self.projects])
        return list(zip(self.projects, amounts, strict=True))


@dataclass(frozen=True, slots=True)
class TeamReport:
    month_start: date
    total_usd: Decimal | None  # the organisation's month to date the teams add up to
    teams: tuple[TeamMonth, ...]  # by name
    unassigned: TeamMonth

    @property
    def rows(self) -> tuple[TeamMonth, ...]:
        """Every team, then "unassigned": the rows that add up to the total."""
        return (*self.teams, self.unassigned)

    def shown(self) -> dict[str, Decimal | None]:
        """Each row's month to date in cents that add up to the total as displayed."""
        known = [r for r in self.rows if r.month_to_date_usd is not None]
        shown: dict[str, Decimal | None] = {r.name: None for r in self.rows}
        if self.total_usd is None or not known:
            return shown
        parts = [r.month_to_date_usd or ZERO for r in known]
        shown.update(zip((r.name for r in known), split_cents(self.total_usd, parts), strict=True))
        return shown

    def shares(self) -> dict[str, Decimal | None]:
        """Each row's share of the month to date, from the displayed cents."""
        shown = self.shown()
        total = sum((v for v in shown.values() if v is not None), ZERO)
        return {k: None if v is None or total <= 0 else v / total for k, v in shown.items()}

    def as_dict(self) -> dict[str, object]:
        """The `teams` object of `status --json`: dollars to the cent, unknown as null."""
        shown, shares = self.shown(), self.shares()

        def row(r: TeamMonth) -> dict[str, object]:
            return {
                "name": r.name,
                "month_to_date_usd": json_usd(shown[r.name]),
                "share": None if shares[r.name] is None else round(float(shares[r.name]), 4),
                "projected_month_end_usd": None
                if r.projection is None
                else json_usd(r.projection.point),
                "budget_usd": json_usd(r.budget_usd),
                "budget_used_pct": r.budget_used_pct,
                "budget_projected_pct": r.budget_projected_pct,
                "alert_channel": r.alert_channel,
                "missing_days": [d.isoformat() for d in r.missing_days],
                "projects": [
                    {"provider": p.provider, "project": p.project, "month_to_date_usd": json_usd(a)}
                    for p, a in r.shown_projects()
                ],
                "owns": [{"provider": p, "project": k} for p, k in r.owned],
            }

        return {"teams": [row(t) for t in self.teams], UNASSIGNED: row(self.unassigned)}


def owners(teams: Iterable[Team]) -> dict[ProjectKey, str]:
    """(provider, project) -> the team that owns it."""
    return {key: team.name for team in teams for key in team.projects}


def _scope(coverage: Coverage, owned: Iterable[ProjectKey] | None) -> Coverage:
    """The coverage of the providers a team owns projects of (all of them for "unassigned",
    owned None); providers aicost neither has configured nor ever synced do not count."""
    if owned is None:
        return coverage
    providers = {p for p, _ in owned} & set(coverage.providers)
    return Coverage(tuple(sorted(providers)), coverage.fetched_at)


def share_days(coverage: Coverage, today: date) -> list[date]:
    """The days each team's share of the projection is measured on: the last SHARE_DAYS
    before today that every provider fetched after they ended."""
    return [d for d in days_between(today - timedelta(days=SHARE_DAYS), today) if coverage.whole(d)]


def attribute(
    spend: Sequence[ProjectSpend],
    teams: Sequence[Team],
    *,
    today: date,
    coverage: Coverage,
    total_usd: Decimal | None,
    projection: Estimate | None,
) -> TeamReport:
    """This month's spend by team as of `today`, from each project's spend this month and on
    the `share_days`, with `coverage` and the organisation's month to date (`total_usd`) and
    month-end forecast (`projection`) from the status."""
    first, end = month_start(today), next_month_start(today)
    owner = owners(teams)
    month: dict[str, dict[ProjectKey, Decimal]] = {}
    recent: dict[str, Decimal] = {}
    for row in spend:
        key = (row.provider, row.project)
        name = owner.get(key, UNASSIGNED)
        held = month.setdefault(name, {})
        held[key] = held.get(key, ZERO) + row.month_usd
        recent[name] = recent.get(name, ZERO) + row.recent_usd
    recent_total = sum(recent.values(), ZERO)
    spent = sum((a for held in month.values() for a in held.values()), ZERO)
    left = None if projection is None else _minus(projection, total_usd or spent)

    def team_month(name: str, owned: tuple[ProjectKey, ...] | None, team: Team | None) -> TeamMonth:
        scope = _scope(coverage, owned)
        synced = total_usd is not None and (
            owned is None
            or not scope.providers
            or any(p in scope.providers and first <= d < end for p, d in coverage.fetched_at)
        )
        held = month.get(name, {})
        mtd = sum(held.values(), ZERO) if synced else None
        if recent_total > 0:
            share = recent.get(name, ZERO) / recent_total
        else:  # nothing spent lately: whatever the forecast still expects is nobody's yet
            share = Decimal(1) if owned is None else ZERO
        projects = sorted(
            (ProjectMonth(p, k, a) for (p, k), a in held.items() if a != 0),
            key=lambda m: (-m.month_to_date_usd, m.provider, m.project),
        )
        return TeamMonth(
            name=name,
            month_to_date_usd=mtd,
            projection=None if left is None or mtd is None else _plus(left, share, mtd),
            share_of_recent=share,
            budget_usd=None if team is None else team.budget_usd,
            alert_channel=None if team is None else team.alert_channel,
            projects=tuple(projects),
            owned=() if owned is None else owned,
            missing_days=tuple(scope.missing(first, today)) if scope.providers else (),
        )

    return TeamReport(
        month_start=first,
        total_usd=total_usd,
        teams=tuple(team_month(t.name, t.projects, t) for t in sorted(teams, key=lambda t: t.name)),
        unassigned=team_month(UNASSIGNED, None, None),
    )


def _minus(estimate: Estimate, amount: Decimal) -> Estimate:
    return Estimate(estimate.point - amount, estimate.low - amount, estimate.high - amount)


def _plus(left: Estimate, share: Decimal, base: Decimal) -> Estimate:
    return Estimate(base + left.point * share, base + left.low * share, base + left.high * share)


def team_daily(
    spend: Iterable[ProjectDaySpend],
    teams: Sequence[Team],
    coverage: Coverage,
    start: date,
    end: date,
) -> dict[str, dict[date, Decimal]]:
    """Each team's spend per day in [start, end), for the days every provider it owns projects
    of fetched (a synced day without its spend is a real $0; a day some lacks is absent)."""
    owner = owners(teams)
    totals: dict[str, dict[date, Decimal]] = {}
    for team in teams:
        scope = _scope(coverage, team.projects)
        days = days_between(start, end) if scope.providers else []
        totals[team.name] = {d: ZERO for d in days if scope.has(d)}
    for row in spend:
        name = owner.get((row.provider, row.project))
        held = None if name is None else totals[name]
        if held is not None and row.day in held:
            held[row.day] += row.amount_usd
    return totals
