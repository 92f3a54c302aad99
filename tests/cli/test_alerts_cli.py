"""`aicost alerts [--post] [--json]` end to end: a real database, a loopback Slack stand-in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from billing_adapters import CostLine, FetchResult
from bot.db.engine import connect
from bot.db.store import SpendStore
from tests.cli.conftest import Run
from tests.fakes.slack_api import FakeSlackAPI
from tests.fill_store import swap_in
from tests.moment import TEST_NOW, TEST_TODAY

TOKEN = "xoxb-test-cli-alerts-0001"
POST = "/chat.postMessage"


def seeded(tmp_path: Path, spend_today: str) -> str:
    """A database with `spend_today` billed today (UTC): month to date, nothing else."""
    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    store = SpendStore(connect(url))
    today = TEST_TODAY
    cost = CostLine("openai", today, "proj", "gpt", Decimal(spend_today))
    swap_in(store, FetchResult("openai", days={today}, costs=[cost]), fetched_at=TEST_NOW)
    store.engine.dispose()
    return url


@pytest.fixture
def slack_api() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as api:
        yield api


@pytest.fixture
def env(tmp_path: Path, slack_api: FakeSlackAPI) -> dict[str, str]:
    """$850 of a $1,000 budget: the 80 % step is crossed."""
    return {
        "DATABASE_URL": seeded(tmp_path, "850"),
        "AICOST_MONTHLY_BUDGET_USD": "1000",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": slack_api.url,
        "AICOST_ALERT_CHANNEL": "C123",
    }


def key() -> str:
    return f"budget:80:{TEST_NOW:%Y-%m}"


def test_alerts_prints_the_conditions_and_posts_nothing(
    run_aicost: Run, env: dict[str, str], slack_api: FakeSlackAPI
) -> None:
    month = f"{TEST_NOW:%B}"
    for _ in range(2):  # without --post nothing is recorded: still new the second time
        result = run_aicost("alerts", **env)
        assert result.returncode == 0, result.stderr
        assert f"[warning] {key()}: new" in result.stdout
        assert f"85 % of the {month} budget used (15 % left)" in result.stdout
        assert "Why this matters: Only $150.00 is left" in result.stdout
    assert slack_api.requests_to(POST) == []


def test_post_twice_delivers_each_alert_once(
    run_aicost: Run, env: dict[str, str], slack_api: FakeSlackAPI
) -> None:
    first = run_aicost("alerts", "--post", **env)
    assert first.returncode == 0, first.stderr
    assert "posted 1 alert(s) and 0 recovery message(s) to C123; 0 pending" in first.stdout
    second = run_aicost("alerts", "--post", **env)
    assert second.returncode == 0, second.stderr
    assert "posted 0 alert(s)" in second.stdout

    (message,) = slack_api.requests_to(POST)
    assert message.data["channel"] == "C123"
    assert "85 % of the" in message.data["text"]
    actions = [b for b in message.data["blocks"] if b["type"] == "actions"]
    assert {e["value"] for e in actions[0]["elements"]} == {key()}
    shown = run_aicost("alerts", **env)
    assert f"{key()}: sent " in shown.stdout


def test_json_lists_each_alert_with_its_state(run_aicost: Run, env: dict[str, str]) -> None:
    result = run_aicost("alerts", "--json", **env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (alert,) = data["alerts"]
    assert alert["key"] == key() and alert["state"] == "new" and alert["severity"] == "warning"
    assert alert["numbers"]["Left"] == "$150.00" and alert["why"]
    assert data["posted"] == [] and data["errors"] == []


@pytest.mark.calendar_free
def test_slack_unreachable_is_one_line_and_the_alert_stays_pending(
    run_aicost: Run, env: dict[str, str], slack_api: FakeSlackAPI
) -> None:
    down = run_aicost("alerts", "--post", **{**env, "SLACK_API_URL": "http://127.0.0.1:9/"})
    assert down.returncode == 1
    (line,) = down.stderr.strip().splitlines()
    assert "will retry on the next run" in line and "could not reach Slack" in line
    assert TOKEN not in down.stderr + down.stdout
    back = run_aicost("alerts", "--post", **env)
    assert back.returncode == 0 and "posted 1 alert(s)" in back.stdout
    assert len(slack_api.requests_to(POST)) == 1


@pytest.mark.calendar_free
@pytest.mark.parametrize("missing", ["SLACK_BOT_TOKEN", "AICOST_ALERT_CHANNEL"])
def test_post_needs_the_token_and_the_channel(
    run_aicost: Run, env: dict[str, str], missing: str
) -> None:
    settings = {k: v for k, v in env.items() if k != missing}
    result = run_aicost("alerts", "--post", **settings)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert missing in line and "Traceback" not in result.stderr


def test_nothing_to_alert(run_aicost: Run, tmp_path: Path) -> None:
    url = seeded(tmp_path, "10")
    result = run_aicost("alerts", DATABASE_URL=url, AICOST_MONTHLY_BUDGET_USD="1000")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "No alert conditions hold right now."
