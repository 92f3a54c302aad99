"""`aicost team ...` end to end, and the teams in `aicost status`: a real child process over a
database filled relative to the suite's moment (the spend of tests/core/test_team_spend.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.db.audit import AuditLog
from bot.db.engine import connect
from bot.db.store import SpendStore
from tests.cli.conftest import Run
from tests.core.test_team_spend import MONTH, OPENAI, fill


@pytest.fixture
def url(tmp_path: Path) -> str:
    database = f"sqlite:///{tmp_path / 'teams.db'}"
    store = SpendStore(connect(database))
    fill(store)
    store.engine.dispose()
    return database


def ok(run_aicost: Run, url: str, *args: str) -> str:
    result = run_aicost(*args, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_teams_are_set_up_listed_and_shown_in_status(run_aicost: Run, url: str) -> None:
    before = ok(run_aicost, url, "team", "list")
    assert "No teams yet" in before
    assert "openai proj_a" in before and "anthropic wrk_1" in before  # all unassigned
    status_before = json.loads(ok(run_aicost, url, "status", "--json"))
    assert "teams" not in status_before  # nothing of teams until one exists

    assert ok(run_aicost, url, "team", "set", "ml", "--budget", "$100", "--alert-channel", "C0ML")
    assert ok(run_aicost, url, "team", "set", "search").strip() == (
        "team search: no budget, alerts to the alert channel (AICOST_ALERT_CHANNEL), 0 projects"
    )
    assigned = ok(run_aicost, url, "team", "assign", "ml", "openai", "proj_a")
    assert assigned.strip() == "openai project proj_a now belongs to team ml (was unassigned)"
    ok(run_aicost, url, "team", "assign", "ml", "anthropic", "wrk_1")
    ok(run_aicost, url, "team", "assign", "search", "openai", "proj_b")
    moved = ok(run_aicost, url, "team", "assign", "search", "OpenAI", "proj_a")
    assert moved.strip() == "openai project proj_a now belongs to team search (was team ml)"
    # Typed in another case, the team is named as it was created.
    back = ok(run_aicost, url, "team", "assign", "ML", "openai", "proj_a")
    assert back.strip() == "openai project proj_a now belongs to team ml (was team search)"
    typo = ok(run_aicost, url, "team", "assign", "search", "openai", "proj_typo")
    assert "note: no synced spend of openai project proj_typo yet" in typo
    assert "note" not in moved
    ok(run_aicost, url, "team", "unassign", "openai", "proj_typo")

    listed = json.loads(ok(run_aicost, url, "team", "list", "--json"))
    ml, search = listed["teams"]
    assert (ml["name"], ml["budget_usd"], ml["alert_channel"]) == ("ml", 100.0, "C0ML")
    assert [(p["provider"], p["project"]) for p in ml["projects"]] == [
        ("openai", "proj_a"),
        ("anthropic", "wrk_1"),
    ]
    assert search["alert_channel"] is None and search["budget_used_pct"] is None
    assert [p["project"] for p in listed["unassigned"]["projects"]] == ["default"]
    assert listed["unassigned"]["month_to_date_usd"] == float(round(len(MONTH) * OPENAI[""], 2))

    status = json.loads(ok(run_aicost, url, "status", "--json"))
    rows = [*status["teams"], status["unassigned"]]
    assert round(sum(r["month_to_date_usd"] for r in rows), 2) == status["month_to_date_usd"]
    assert status["teams"][0]["budget_used_pct"] == int(ml["month_to_date_usd"])
    # Figures from before the teams are untouched by them.
    for key in ("month_to_date_usd", "by_provider", "projected_month_end_usd"):
        assert status[key] == status_before[key]
    text = ok(run_aicost, url, "status")
    assert "By team" in text and "budget $100.00" in text
    assert "1 project no team owns" in text

    ok(run_aicost, url, "team", "set", "ml", "--budget", "none")
    assert "ml: no budget, alerts to C0ML, 2 projects" in ok(run_aicost, url, "team", "set", "ml")
    unassigned = ok(run_aicost, url, "team", "unassign", "openai", "proj_b")
    assert unassigned.strip() == "openai project proj_b is unassigned now (was team search)"
    deleted = ok(run_aicost, url, "team", "delete", "ml")
    assert deleted.strip() == "team ml deleted; its 2 projects now unassigned"
    after = json.loads(ok(run_aicost, url, "team", "list", "--json"))
    assert [t["name"] for t in after["teams"]] == ["search"]
    assert len(after["unassigned"]["projects"]) == 4  # every project spent, none dropped

    engine = connect(url)
    entries = AuditLog(engine).latest(50)
    engine.dispose()
    assert {e.actor for e in entries} == {"cli"}
    assert [e.action for e in entries][:3] == ["team.delete", "team.unassign", "team.set"]


@pytest.mark.calendar_free
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("team", "set", "unassigned"), "'unassigned' is not a team"),
        (("team", "set", "ml", "--budget", "-5"), "'-5' is not an amount"),
        (("team", "set", "ml", "--alert-channel", "#ml"), "'#ml' is not a Slack channel id"),
        (("team", "assign", "nope", "openai", "proj_a"), "no team 'nope'"),
        (("team", "delete", "nope"), "no team 'nope'; nothing changed"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    run_aicost: Run, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    result = run_aicost(*args, DATABASE_URL=url)
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"aicost: {message}"), lines
    engine = connect(url)
    assert AuditLog(engine).latest() == []
    engine.dispose()
