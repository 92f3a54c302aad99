"""A team's spike through a real database: found on the team's own spend, and explained by the
lines of the team's own projects, while the organisation's spike names every project."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from billing_adapters import CostLine, FetchResult
from bot.core.alerts.spikes import SPIKE_DRIVERS
from bot.core.records import SyncRecord
from bot.db.audit import CLI_ACTOR
from bot.db.store import SpendStore
from bot.db.teams import TeamStore
from bot.services.alerts import run_alerts
from bot.settings import load_settings
from tests.fill_store import swap_in
from tests.moment import TEST_NOW, TEST_TODAY

SPIKE = TEST_TODAY - timedelta(days=3)  # settled by now: fetched more than 48 h after it ended
DAYS = [TEST_TODAY - timedelta(days=n) for n in range(1, 40)]


def test_a_team_spike_is_explained_by_its_own_projects(
    store: SpendStore, database_url: str
) -> None:
    def amount(project: str, day: object) -> Decimal:
        usual = {"proj_ml": Decimal(10), "proj_other": Decimal(5)}[project]
        return usual + (
            Decimal({"proj_ml": 190, "proj_other": 500}[project]) if day == SPIKE else 0
        )

    costs = [
        CostLine("openai", d, p, "gpt-4o, input", amount(p, d), "gpt-4o")
        for d in DAYS
        for p in ("proj_ml", "proj_other")
    ]
    run = SyncRecord("openai", TEST_NOW, TEST_NOW, DAYS[-1], TEST_TODAY, True, "")
    swap_in(store, FetchResult("openai", set(DAYS), costs), fetched_at=TEST_NOW, record=run)
    teams = TeamStore(store.engine)
    teams.set_team("ml", actor=CLI_ACTOR, at=TEST_NOW)
    teams.assign("openai", "proj_ml", "ml", actor=CLI_ACTOR, at=TEST_NOW)

    settings = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    found = {
        c.key: c
        for c in run_alerts(store, settings, now=TEST_NOW, poster=None, post=False).conditions
    }
    team = found[f"team-spike:ml:{SPIKE.isoformat()}"]
    org = found[f"spike:{SPIKE.isoformat()}"]
    assert (
        team.title.startswith("Team ml: Spend spike on") and "$200.00 (20.0× usual)" in team.title
    )
    assert team.numbers[SPIKE_DRIVERS] == "openai proj_ml, gpt-4o: +$190.00"
    assert org.numbers[SPIKE_DRIVERS] == (
        "openai proj_other, gpt-4o: +$500.00; openai proj_ml, gpt-4o: +$190.00"
    )
