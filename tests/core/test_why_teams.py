"""`why` by team: with teams set up, the change broken down by the team that owns each project
now (the rest "unassigned"), adding up to the same totals to the cent; without, as before."""

from __future__ import annotations

from decimal import Decimal as D

from bot.db.audit import CLI_ACTOR
from bot.db.store import SpendStore
from bot.db.teams import TeamStore
from bot.render.why_render import why_blocks, why_text
from bot.slack.blocks import check_blocks
from tests.core.test_why import NOW, known_lines, seed, shown, week


def test_without_teams_why_says_projects_stand_in(store: SpendStore, database_url: str) -> None:
    seed(store, known_lines())
    report = week(database_url, store)
    assert [b.dimension for b in report.breakdowns] == ["provider", "project", "model", "line"]
    assert "teams are not set up" in why_text(report)


def test_why_by_team_adds_up_to_the_cent(store: SpendStore, database_url: str) -> None:
    seed(store, known_lines())
    teams = TeamStore(store.engine)
    teams.set_team("ml", actor=CLI_ACTOR, at=NOW)
    teams.assign("openai", "proj_a", "ml", actor=CLI_ACTOR, at=NOW)
    teams.assign("anthropic", "wrk_new", "ml", actor=CLI_ACTOR, at=NOW)
    report = week(database_url, store)
    assert report.breakdowns[0].dimension == "team"
    # ml: 7 × 10.000000001 + 12.345 against 7 × 4; unassigned: the rest (proj_b, defaults).
    assert shown(report, "team") == [
        ("ml", "82.35", "28.00", ""),
        ("unassigned", "42.00", "70.00", ""),
    ]
    team = report.by("team")
    assert sum(d.current_cents for d in team.drivers) == D("124.35")
    assert sum(d.change_cents for d in team.drivers) == report.change_cents
    assert report.as_dict()["drivers"]["team"][0]["name"] == "ml"  # type: ignore[index]
    text = why_text(report)
    assert text.index("By team") < text.index("By provider")
    assert "projects no team owns are unassigned" in text
    assert check_blocks(why_blocks(report)) == [] and len(why_blocks(report)) <= 9
