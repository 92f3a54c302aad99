"""Stale data is an alert: a provider that stops syncing is reported once, and its recovery once.

Real processes: `aicost sync` against the provider stand-in and `aicost alerts --post` against
the Slack stand-in, each run as of its own moment (AICOST_AS_OF), as the scheduler would run
them hours apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.fakes.provider_api import OPENAI_KEY, Fault, ProviderAPI, openai_cost
from tests.fakes.slack_api import FakeSlackAPI
from tests.moment import TEST_NOW

TOKEN = "xoxb-test-stale-0001"
COSTS = "/v1/organization/costs"
REFUSED = Fault(401, body='{"error": {"message": "Invalid admin key", "type": "invalid"}}')


@pytest.fixture
def api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as server:
        day = (TEST_NOW - timedelta(days=40)).date()
        while day <= (TEST_NOW + timedelta(days=3)).date():
            server.add("openai", "costs", day, openai_cost("p", "gpt-4o, input", "2.00"))
            day += timedelta(days=1)
        yield server


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as server:
        yield server


def posted(slack: FakeSlackAPI) -> list[str]:
    return [r.data["text"] for r in slack.requests_to("/chat.postMessage") if r.status == 200]


def test_a_provider_that_stops_syncing_is_one_alert_then_one_recovery(
    run_aicost: Run, tmp_path: Path, api: ProviderAPI, slack: FakeSlackAPI
) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'stale.db'}",
        "OPENAI_ADMIN_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": api.openai_base_url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": slack.url,
        "AICOST_ALERT_CHANNEL": "C0ALERTS",
        "AICOST_TIMEZONE": "UTC",
    }

    def at(moment: datetime, *args: str) -> tuple[int, str, str]:
        result = run_aicost(*args, AICOST_AS_OF=moment.isoformat(), **env)
        return result.returncode, result.stdout, result.stderr

    start = TEST_NOW - timedelta(days=3)
    assert at(start, "sync")[0] == 0
    assert at(start, "alerts", "--post")[0] == 0 and posted(slack) == []

    # The key is revoked: every sync from here fails. 20 h later it is not stale yet.
    for hours in (20, 30, 36):
        api.fail(COSTS, REFUSED)
        code, _, err = at(start + timedelta(hours=hours), "sync")
        assert code == 1 and "401" in err
        code, out, err = at(start + timedelta(hours=hours), "alerts", "--post")
        assert code == 0, err
        if hours == 20:
            assert posted(slack) == []
            status = at(start + timedelta(hours=hours), "status")[1]
            assert "Stale:" not in status
    [alert] = posted(slack)  # once at 30 h, not again at 36 h
    assert alert.startswith("No new openai billing data for 30 h")
    status = at(start + timedelta(hours=36), "status")[1]
    assert status.splitlines()[1].startswith("  ! Stale: no successful openai sync for 36 h")
    assert "last error: openai: HTTP 401: the key in OPENAI_ADMIN_KEY was rejected" in status

    # The key is fixed: the next sync works, and one recovery follows; then quiet.
    assert at(start + timedelta(hours=40), "sync")[0] == 0
    assert at(start + timedelta(hours=40), "alerts", "--post")[0] == 0
    assert at(start + timedelta(hours=46), "alerts", "--post")[0] == 0
    texts = posted(slack)
    assert len(texts) == 2 and texts[1].startswith("Syncing works again")
    assert OPENAI_KEY not in "".join(texts)
