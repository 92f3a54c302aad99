"""Spend by team through a real database: every project's spend goes to its owner or to
"unassigned", the rows add up to the organisation's month to date to the cent, and a currency
without a rate leaves a team's days missing, never $0. Data is relative to the suite's moment."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing_adapters import CostLine, FetchResult
from bot.core.clock import month_start
from bot.core.coverage import Coverage
from bot.core.fx import FxRates
from bot.core.money import ZERO, cents, split_cents
from bot.core.records import ProjectDaySpend, SyncRecord
from bot.core.team_spend import attribute, team_daily
from bot.core.teams import UNASSIGNED, Team
from bot.db.audit import CLI_ACTOR
from bot.db.project_spend import project_seen
from bot.db.store import SpendStore
from bot.db.teams import TeamStore
from bot.services.status import load_status
from tests.fill_store import swap_in
from tests.moment import TEST_NOW, TEST_TODAY

UTC_ZONE = ZoneInfo("UTC")
FIRST = TEST_TODAY - timedelta(days=40)
DAYS = [FIRST + timedelta(days=n) for n in range((TEST_TODAY - FIRST).days + 1)]  # today too
MONTH = [d for d in DAYS if d >= month_start(TEST_TODAY)]
# Per day: openai proj_a (ml), proj_b (search), the default project (nobody's); anthropic's
# workspace wrk_1 (ml); Google Cloud's project in euros (search), without a rate.
OPENAI = {"proj_a": Decimal("10.005"), "proj_b": Decimal("3.3333"), "": Decimal("1.001")}
ANTHROPIC = {"wrk_1": Decimal("2.50")}
EUROS = Decimal(5)


def fill(store: SpendStore) -> None:
    for provider, projects, currency in (
        ("openai", OPENAI, "USD"),
        ("anthropic", ANTHROPIC, "USD"),
        ("google-cloud", {"gcp-proj": EUROS}, "EUR"),
    ):
        costs = [
            CostLine(provider, day, project, "line", amount, currency=currency)
            for day in DAYS
            for project, amount in projects.items()
        ]
        synced = SyncRecord(provider, TEST_NOW, TEST_NOW, FIRST, TEST_TODAY, True, "")
        swap_in(store, FetchResult(provider, set(DAYS), costs), fetched_at=TEST_NOW, record=synced)


def set_teams(store: SpendStore) -> None:
    teams = TeamStore(store.engine)
    teams.set_team("ml", budget_usd=Decimal(100), actor=CLI_ACTOR, at=TEST_NOW)
    teams.set_team("search", alert_channel="C0SEARCH", actor=CLI_ACTOR, at=TEST_NOW)
    teams.set_team("idle", actor=CLI_ACTOR, at=TEST_NOW)
    for provider, project, team in (
        ("openai", "proj_a", "ml"),
        ("anthropic", "wrk_1", "ml"),
        ("openai", "proj_b", "search"),
        ("google-cloud", "gcp-proj", "search"),
    ):
        teams.assign(provider, project, team, actor=CLI_ACTOR, at=TEST_NOW)


def test_without_teams_status_has_no_team_part(store: SpendStore) -> None:
    fill(store)
    report = load_status(store, now=TEST_NOW, tz=UTC_ZONE)
    assert report.teams is None
    assert "teams" not in report.as_dict() and UNASSIGNED not in report.as_dict()


def test_teams_and_unassigned_add_up_to_the_month_to_the_cent(store: SpendStore) -> None:
    fill(store)
    set_teams(store)
    report = load_status(store, now=TEST_NOW, tz=UTC_ZONE)
    teams = report.teams
    assert teams is not None
    n = len(MONTH)
    idle, ml, search = teams.teams
    assert [t.name for t in teams.teams] == ["idle", "ml", "search"]  # by name
    assert ml.month_to_date_usd == n * (OPENAI["proj_a"] + ANTHROPIC["wrk_1"])
    assert search.month_to_date_usd == n * OPENAI["proj_b"]  # the euro days are not $0...
    assert idle.month_to_date_usd == ZERO  # owns nothing: a real $0
    assert teams.unassigned.month_to_date_usd == n * OPENAI[""]
    # ...they are missing, for search only: its Google Cloud days cannot be counted.
    assert search.missing_days == tuple(d for d in MONTH if d < TEST_TODAY)
    assert ml.missing_days == () and idle.missing_days == ()
    # Every project's spend is somewhere: the rows add up to the month exactly...
    assert report.month_to_date_usd == sum((r.month_to_date_usd or ZERO for r in teams.rows), ZERO)
    # ...and to the cent as shown.
    shown = teams.shown()
    assert sum(v for v in shown.values() if v is not None) == cents(report.month_to_date_usd)
    assert shown == dict(
        zip(
            ["idle", "ml", "search", UNASSIGNED],
            split_cents(report.month_to_date_usd, [r.month_to_date_usd for r in teams.rows]),
            strict=True,
        )
    )
    # The projects each team owns that spent, biggest first; the unowned ones under unassigned.
    assert [(p.provider, p.project) for p in ml.projects] == [
        ("openai", "proj_a"),
        ("anthropic", "wrk_1"),
    ]
    assert [(p.provider, p.project) for p in teams.unassigned.projects] == [("openai", "default")]
    assert [(p.provider, p.project) for p in search.projects] == [("openai", "proj_b")]
    assert ml.budget_usd == 100 and ml.budget_used_pct == int(ml.month_to_date_usd)
    assert search.alert_channel == "C0SEARCH" and search.budget_used_pct is None


def test_the_projection_is_split_by_recent_spend_and_adds_up(store: SpendStore) -> None:
    fill(store)
    set_teams(store)
    rated = SpendStore(store.engine, FxRates({"EUR": Decimal("1.1")}))
    report = load_status(rated, now=TEST_NOW, tz=UTC_ZONE)
    assert report.teams is not None and report.forecast is not None
    org = report.forecast.month_end
    points = [r.projection.point for r in report.teams.rows if r.projection is not None]
    assert len(points) == 4
    assert abs(sum(points, ZERO) - org.point) < Decimal("1e-9")
    daily = sum(OPENAI.values(), ZERO) + ANTHROPIC["wrk_1"] + EUROS * Decimal("1.1")
    ml = report.teams.teams[1]
    assert ml.share_of_recent == (OPENAI["proj_a"] + ANTHROPIC["wrk_1"]) / daily
    assert ml.projection is not None
    left = org.point - (report.month_to_date_usd or ZERO)
    assert ml.projection.point == ml.month_to_date_usd + left * ml.share_of_recent
    assert ml.projection.low <= ml.projection.point <= ml.projection.high


def test_with_a_rate_the_euro_days_count_for_their_team(store: SpendStore) -> None:
    fill(store)
    set_teams(store)
    rated = SpendStore(store.engine, FxRates({"EUR": Decimal("1.1")}))
    report = load_status(rated, now=TEST_NOW, tz=UTC_ZONE)
    assert report.teams is not None
    search = report.teams.teams[2]
    assert search.missing_days == ()
    assert search.month_to_date_usd == len(MONTH) * (OPENAI["proj_b"] + EUROS * Decimal("1.1"))
    assert [p.project for p in search.projects] == ["gcp-proj", "proj_b"]
    json = report.as_dict()
    assert [t["name"] for t in json["teams"]] == ["idle", "ml", "search"]  # type: ignore[index]
    rows = [*json["teams"], json[UNASSIGNED]]  # type: ignore[misc]
    assert round(sum(r["month_to_date_usd"] for r in rows), 2) == json["month_to_date_usd"]


@pytest.mark.calendar_free
def test_nothing_synced_this_month_is_unknown_for_every_team() -> None:
    today = date(2026, 11, 17)
    team = Team("ml", Decimal(10), None, (("openai", "proj_a"),), CLI_ACTOR, TEST_NOW)
    report = attribute(
        [],
        [team],
        today=today,
        coverage=Coverage.of(["openai"], {}),
        total_usd=None,
        projection=None,
    )
    assert report.shown() == {"ml": None, UNASSIGNED: None}
    assert report.teams[0].missing_days == tuple(
        date(2026, 11, d) for d in range(1, 17)
    )  # every day before today: never synced


@pytest.mark.calendar_free
def test_a_team_day_counts_only_when_its_providers_synced_it() -> None:
    day1, day2 = date(2026, 11, 1), date(2026, 11, 2)
    at = datetime(2026, 11, 5, tzinfo=UTC_ZONE)
    coverage = Coverage.of(
        ["openai", "anthropic"],
        {("openai", day1): at, ("openai", day2): at, ("anthropic", day1): at},
    )
    ml = Team("ml", None, None, (("openai", "p"),), CLI_ACTOR, at)
    both = Team("both", None, None, (("openai", "q"), ("anthropic", "w")), CLI_ACTOR, at)
    spend = [ProjectDaySpend("openai", "p", day1, Decimal(4))]
    daily = team_daily(spend, [ml, both], coverage, day1, day2 + timedelta(days=1))
    assert daily == {"ml": {day1: Decimal(4), day2: ZERO}, "both": {day1: ZERO}}


def test_a_project_is_seen_once_a_sync_stored_its_spend(store: SpendStore) -> None:
    fill(store)
    assert project_seen(store, "openai", "proj_a") and project_seen(store, "openai", "default")
    assert project_seen(store, "google-cloud", "gcp-proj")  # seen, even without a rate
    assert not project_seen(store, "openai", "proj_typo")
    assert not project_seen(store, "anthropic", "proj_a")
