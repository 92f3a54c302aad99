"""Revisions: each provider's revision window is re-fetched, and a closed month that moves says so.

Anthropic documents that a day's cost is not final for about 30 days. Here its stand-in bills
$10 a day, a sync closes October, and then Anthropic corrects 15 Oct to $25: the next syncs
re-read October (its revision window, and the closed month once more), record the revision,
and status says October moved by +$15.00 after it closed. All as of pinned moments.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.db.engine import connect
from bot.db.store import SpendStore
from bot.services.sync import plan_window, previous_month_settled
from tests.cli.conftest import Run
from tests.fakes.provider_api import ANTHROPIC_KEY, ProviderAPI, anthropic_cost


@pytest.fixture
def api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as server:
        day = date(2026, 9, 1)
        while day <= date(2026, 11, 30):
            server.add("anthropic", "costs", day, anthropic_cost("w", "Sonnet", "1000"))
            day += timedelta(days=1)
        yield server


def test_a_closed_month_revised_by_the_provider_says_by_how_much(
    run_aicost: Run, tmp_path: Path, api: ProviderAPI
) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rev.db'}",
        "ANTHROPIC_ADMIN_KEY": ANTHROPIC_KEY,
        "ANTHROPIC_BASE_URL": api.anthropic_base_url,
        "AICOST_TIMEZONE": "UTC",
    }

    def at(moment: str, *args: str) -> str:
        result = run_aicost(*args, AICOST_AS_OF=moment, **env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "(2026-09-01..2026-11-01)" in at("2026-10-31T12:00", "sync")
    assert "October 2026, full month" in at("2026-11-02T12:00", "status")
    assert "revised" not in at("2026-11-02T12:00", "status")

    store = SpendStore(connect(env["DATABASE_URL"]))
    # October was last read before it closed and settled (3 Nov): the next sync re-reads it.
    assert not previous_month_settled(store, "anthropic", date(2026, 11, 4))
    assert previous_month_settled(store, "anthropic", date(2026, 11, 2))  # not settled yet

    api.clear("anthropic", "costs", date(2026, 10, 15))
    api.add("anthropic", "costs", date(2026, 10, 15), anthropic_cost("w", "Sonnet", "2500"))
    # Last run ended 1 Nov; 31 days back is 1 Oct: October is re-read, its correction lands.
    assert "(2026-10-01..2026-11-05)" in at("2026-11-04T12:00", "sync")

    assert previous_month_settled(store, "anthropic", date(2026, 11, 4))  # read once: done
    store.engine.dispose()
    status = at("2026-11-04T12:00", "status")
    assert "Previous month           $325.00   October 2026, full month; revised +$15.00" in status
    assert "since it closed (providers' late corrections, last 04 Nov)" in status
    data = json.loads(at("2026-11-04T12:00", "status", "--json"))
    assert data["previous_month_usd"] == 325.0
    assert data["previous_month_revised_usd"] == 15.0
    # Re-fetching an unchanged day records nothing: the figure stays +$15.00.
    at("2026-11-05T12:00", "sync")
    assert (
        json.loads(at("2026-11-05T12:00", "status", "--json"))["previous_month_revised_usd"] == 15.0
    )


def test_each_later_run_goes_back_its_providers_revision_window() -> None:
    class Last:
        window_end = date(2026, 11, 20)

    def start(**kwargs: object) -> date:
        return plan_window(
            last_success=Last(),  # type: ignore[arg-type]
            today_utc=date(2026, 11, 20),
            today_local=date(2026, 11, 20),
            since=None,
            **kwargs,  # type: ignore[arg-type]
        )[0]

    assert start() == date(2026, 11, 17)  # no documented window: the last 3 days
    assert start(revision_days=31) == date(2026, 10, 20)  # Anthropic: about 30 days
    # A closed month not re-read since it settled is re-read whole, once.
    assert start(previous_month_settled=False) == date(2026, 10, 1)
