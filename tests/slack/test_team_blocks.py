"""Teams in `/aicost status` and on the App Home: the By team part, to the cent, within Slack's
limits however many teams there are; absent, and nothing else changed, without teams."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block

from bot.core.coverage import Coverage
from bot.core.home import HomeFacts
from bot.core.records import DailySpend, ProjectSpend, SyncRecord
from bot.core.status import StatusReport, build_status
from bot.core.team_spend import attribute
from bot.core.teams import Team
from bot.render.home_view import home_view
from bot.render.status_blocks import status_blocks
from bot.render.status_text import status_text
from bot.slack.blocks import check_blocks
from tests.fakes.slack_api import block_texts

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
SYNCED = datetime(2026, 11, 15, 10, 0, tzinfo=UTC)
PROVIDERS = ("openai", "anthropic")


def _report() -> StatusReport:
    """November to date: openai $1,200.50 (proj_a $1,000.25, proj_b $200.25), anthropic $33.335
    (its default workspace, which no team owns)."""
    daily = [
        DailySpend("openai", date(2026, 11, 3), Decimal("1200.50")),
        DailySpend("anthropic", date(2026, 11, 10), Decimal("33.335")),
    ]
    fetched = {(p, date(2026, 11, d)): SYNCED for p in PROVIDERS for d in range(1, 15)}
    run = SyncRecord("openai", SYNCED, SYNCED, date(2026, 10, 1), date(2026, 11, 15), True, "")
    return build_status(
        daily,
        now=NOW,
        tz=ZoneInfo("UTC"),
        providers=PROVIDERS,
        fetched_at=fetched,
        last_success={p: replace(run, provider=p) for p in PROVIDERS},
        last_runs={p: replace(run, provider=p) for p in PROVIDERS},
    )


def _with_teams(report: StatusReport, teams: list[Team]) -> StatusReport:
    spend = [
        ProjectSpend("openai", "proj_a", Decimal("1000.25"), Decimal("1000.25")),
        ProjectSpend("openai", "proj_b", Decimal("200.25"), Decimal("200.25")),
        ProjectSpend("anthropic", "default", Decimal("33.335"), Decimal("33.335")),
    ]
    fetched = {(p, date(2026, 11, d)): SYNCED for p in PROVIDERS for d in range(1, 15)}
    split = attribute(
        spend,
        teams,
        today=report.today,
        coverage=Coverage.of(PROVIDERS, fetched),
        total_usd=report.month_to_date_usd,
        projection=None,
    )
    return replace(report, teams=split)


def _team(name: str, *projects: tuple[str, str], budget: str | None = None) -> Team:
    return Team(name, None if budget is None else Decimal(budget), None, projects, "cli", NOW)


def _sendable(blocks: list[dict[str, object]]) -> None:
    assert check_blocks(blocks) == []
    for block in blocks:
        Block.parse(block).validate_json()


def test_status_shows_each_team_and_unassigned_adding_up() -> None:
    report = _with_teams(
        _report(),
        [_team("ml", ("openai", "proj_a"), budget="2000"), _team("search", ("openai", "proj_b"))],
    )
    blocks = status_blocks(report)
    _sendable(blocks)
    text = block_texts(blocks)
    assert "*By team* (share of the month)" in text
    # $1,000.25 + $200.25 + $33.34 = $1,233.84, the month to date as shown (33.335 rounds up).
    assert "• ml: $1,000.25 (81 %), budget $2,000.00: 50 % used" in text
    assert "• search: $200.25 (16 %)" in text
    assert "• _unassigned_: $33.34 (3 %), 1 project no team owns" in text
    terminal = status_text(report)
    assert "By team" in terminal and "unassigned" in terminal
    assert "aicost team assign TEAM PROVIDER PROJECT" in terminal


def test_without_teams_status_and_home_are_as_before() -> None:
    report = _report()
    assert "By team" not in block_texts(status_blocks(report))
    assert "By team" not in status_text(report)
    home = home_view(HomeFacts(report, (), None, "no data"))
    assert "By team" not in block_texts(home["blocks"])


def test_the_home_shows_team_shares() -> None:
    report = _with_teams(_report(), [_team("ml", ("openai", "proj_a"), ("openai", "proj_b"))])
    view = home_view(HomeFacts(report, (), None, "no data"))
    _sendable(view["blocks"])
    text = block_texts(view["blocks"])
    assert "*By team* (share of the month)" in text
    assert "• ml: $1,200.50 (97 %)" in text and "• _unassigned_: $33.34 (3 %)" in text


def test_many_long_named_teams_stay_within_slacks_limits() -> None:
    teams = [_team(f"team {n:03d} " + "x" * 54, ("openai", f"p{n}")) for n in range(300)]
    report = _with_teams(_report(), teams)
    _sendable(status_blocks(report))
    _sendable(home_view(HomeFacts(report, (), None, "no data"))["blocks"])


def test_a_team_with_days_missing_says_so_rather_than_zero() -> None:
    report = _report()
    fetched = {(p, date(2026, 11, d)): SYNCED for p in PROVIDERS for d in range(1, 15)}
    del fetched[("anthropic", date(2026, 11, 12))]
    split = attribute(
        [ProjectSpend("openai", "proj_a", Decimal(5), Decimal(5))],
        [_team("ml", ("anthropic", "wrk")), _team("api", ("openai", "proj_a"))],
        today=report.today,
        coverage=Coverage.of(PROVIDERS, fetched),
        total_usd=Decimal(5),
        projection=None,
    )
    text = block_texts(status_blocks(replace(report, teams=split)))
    assert "• ml: $0.00 (0 %), missing 12 Nov, not counted as $0" in text
    assert "• api: $5.00 (100 %)\n" in text  # its openai days are all there
    assert "• _unassigned_: $0.00 (0 %), missing 12 Nov, not counted as $0" in text
