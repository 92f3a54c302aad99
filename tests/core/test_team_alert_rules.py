"""The teams' alert rules worked by hand: a team's budget ladder, projection and spikes, keyed
apart from the organisation's and naming the team and the inputs; a team's projection alert
clears only when that team was judged, never because another team was."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

from bot.core.alerts import AlertInputs, Condition, assess, evaluate
from bot.core.alerts.conditions import TeamFigures
from bot.core.forecast import Estimate
from bot.core.posting import Posted
from bot.db.alerts import RESOLVED, AlertLedger
from bot.db.engine import connect
from tests.core.test_alert_rules import BASE, SPIKE_DAY, history

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def team(name: str, mtd: str, budget: str | None, projection: str | None = None) -> TeamFigures:
    estimate = None if projection is None else Estimate(D(projection), D(projection), D(projection))
    return TeamFigures(
        name=name,
        month_to_date_usd=D(mtd),
        budget_usd=None if budget is None else D(budget),
        projection=estimate,
        share_of_recent=D("0.25"),
        daily={},
    )


def with_teams(*teams: TeamFigures) -> AlertInputs:
    return replace(BASE, teams=teams)


def test_a_teams_ladder_is_its_own_and_names_the_team() -> None:
    (alert,) = evaluate(with_teams(team("ml", "820", "1000")))
    assert alert.key == "team-budget:ml:80:2026-11" and alert.kind == "team-budget"
    assert alert.team == "ml" and alert.judged_as == "team-budget:ml"
    assert alert.title == "Team ml: 82 % of the November budget used (18 % left)"
    assert alert.numbers == {
        "Team": "ml",
        "Month to date": "$820.00",
        "Budget": "$1,000.00",
        "Left": "$180.00",
        "Day": "20 of 30",
    }
    assert alert.supersedes == ("team-budget:ml:50:2026-11",)
    # The organisation's figures are not the team's: no org alert without an org budget.
    assert not [c for c in evaluate(with_teams(team("ml", "820", "1000"))) if not c.team]


def test_a_teams_projection_says_how_it_was_made() -> None:
    found = {c.key: c for c in evaluate(with_teams(team("ml", "300", "1000", "1200")))}
    assert set(found) == {"team-projection:ml:2026-11"}
    alert = found["team-projection:ml:2026-11"]
    assert alert.title == (
        "Team ml: Projected to exceed the November budget: $1,200.00 against $1,000.00"
    )
    assert alert.numbers["Projection basis"] == (
        "month to date plus 25.0 % of the rest of the organisation's forecast month "
        "(the team's part of the last 7 days' spend)"
    )
    assert alert.numbers["Team"] == "ml"


def test_teams_without_a_budget_are_not_judged_and_teams_are_apart() -> None:
    inputs = with_teams(team("ml", "5000", None, "9000"), team("search", "600", "1000", "900"))
    assessment = assess(inputs)
    assert [c.key for c in assessment.conditions] == ["team-budget:search:50:2026-11"]
    assert "team-projection:search" in assessment.judged
    assert "team-projection:ml" not in assessment.judged
    assert "team-projection" not in assessment.judged and "projection" not in assessment.judged
    assert assessment.readings["team-projection:search"] == (
        "Team search: projected month end $900.00, budget $1,000.00"
    )


def test_a_team_spike_is_the_teams_own() -> None:
    daily = {**history(28), SPIKE_DAY: D(450)}
    figures = replace(team("ml", "0", None), daily=daily)
    (alert,) = evaluate(with_teams(figures))
    assert alert.key == "team-spike:ml:2026-11-18" and alert.kind == "team-spike"
    assert alert.title == "Team ml: Spend spike on Wed 18 Nov 2026: $450.00 (4.5× usual)"
    assert alert.numbers["Team"] == "ml" and alert.numbers["Usual day"].startswith("$100.00")


def test_a_team_projection_clears_only_when_its_team_was_judged(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path}/ledger.db")
    ledger = AlertLedger(engine)
    over = with_teams(team("ml", "300", "1000", "1200"), team("search", "100", "1000", "1500"))
    ledger.sync(assess(over), now=NOW)
    for key in ("team-projection:ml:2026-11", "team-projection:search:2026-11"):
        ledger.mark_delivered(key, Posted(channel="C0ML", ts="1.0"), now=NOW)
    # ml is back under its budget; search's budget was removed, so search is not judged.
    later = with_teams(team("ml", "300", "1000", "900"), team("search", "100", None, "1500"))
    result = ledger.sync(assess(later), now=NOW + timedelta(hours=6))
    assert result.cleared == ["team-projection:ml:2026-11"]
    ml = ledger.get("team-projection:ml:2026-11")
    assert ml is not None and ml.state == RESOLVED
    assert ml.recovery_note == "Team ml: projected month end $900.00, budget $1,000.00"
    assert ledger.get("team-projection:search:2026-11").state == "firing"  # type: ignore[union-attr]
    engine.dispose()


def test_an_org_alert_reads_back_without_a_team() -> None:
    (alert,) = evaluate(replace(BASE, month_to_date_usd=D(4100), budget_usd=D(5000)))
    assert "team" not in alert.as_dict() and Condition.from_dict(alert.as_dict()) == alert
    (mine,) = evaluate(with_teams(team("ml", "820", "1000")))
    assert Condition.from_dict(mine.as_dict()) == mine
