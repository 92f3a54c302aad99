"""An alert or a digest survives a crash mid-post without a second copy: `aicost alerts --post`
(or `digest --post`) is SIGKILLed after Slack took the message and before it was recorded, then
run again.

Measured before: the ledger row stayed undelivered with 0 attempts and the restart posted
"Projected to exceed the December budget" a second time. Now each post carries the alert's key
in its Slack message metadata, the moment a post starts is committed first, and the next run
looks for that key in the channel's history before posting. Real processes, the Slack stand-in
on loopback (it keeps the channel's history across the kill), SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from billing_adapters import CostLine, FetchResult
from billing_adapters.samples import sample_as_of
from bot.db.alerts import AlertLedger
from bot.db.engine import connect
from bot.db.store import SpendStore
from bot.services.checkpoints import ENV as PAUSE_AT
from tests.cli.conftest import aicost_command, clean_env
from tests.fakes.slack_api import FakeSlackAPI
from tests.fill_store import swap_in

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
CHANNEL = "C0ALERTS1"
TOKEN = "xoxb-test-crash-mid-post"
# October at $100 a day, 1-19 November at $215: 81 % of a $5,000 budget, and projected over it.
KEYS = ["budget:80:2026-11", "projection:2026-11"]


@pytest.fixture
def database(database_url: str) -> str:
    store = SpendStore(connect(database_url))
    days = [date(2026, 10, 1) + timedelta(days=n) for n in range(50)]
    costs = [
        CostLine("openai", d, "proj", "gpt", Decimal(100 if d.month == 10 else 215)) for d in days
    ]
    swap_in(store, FetchResult("openai", days=set(days), costs=costs), fetched_at=NOW)
    store.engine.dispose()
    return database_url


def alerts_env(database: str, slack: FakeSlackAPI, **extra: str) -> dict[str, str]:
    return clean_env(
        DATABASE_URL=database,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=slack.url,
        AICOST_ALERT_CHANNEL=CHANNEL,
        AICOST_MONTHLY_BUDGET_USD="5000",
        AICOST_TIMEZONE="UTC",
        AICOST_AS_OF=NOW.isoformat(),
        **extra,
    )


def posted_keys(slack: FakeSlackAPI) -> list[str]:
    """The alert key in the metadata of every message Slack took, in order."""
    return [
        r.data["metadata"]["event_payload"]["key"]
        for r in slack.requests_to("/chat.postMessage")
        if r.status == 200 and r.answer.get("ok")
    ]


def kill_after_first_post(tmp_path: Path, env: dict[str, str], command: str = "alerts") -> None:
    """Run `aicost <command> --post` until Slack has taken its first message, then SIGKILL it."""
    marker = tmp_path / f"held-{command}-posted"
    run = subprocess.Popen(
        aicost_command(command, "--post"),
        cwd=tmp_path,
        env={**env, PAUSE_AT: f"{command}:posted={marker}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120  # a hang guard; the wait is for the marker
    while not marker.exists():
        assert run.poll() is None, run.stderr.read() if run.stderr else ""
        assert time.monotonic() < deadline, "never reached alerts:posted"
        time.sleep(0.05)
    assert int(marker.read_text()) == run.pid
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    marker.unlink()


def run_alerts(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        aicost_command("alerts", "--post"),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_crash_after_slack_took_the_alert_posts_no_second_copy(
    database: str, tmp_path: Path
) -> None:
    with FakeSlackAPI() as slack:
        env = alerts_env(database, slack)
        kill_after_first_post(tmp_path, env)
        assert posted_keys(slack) == KEYS[:1]  # in the channel; the ledger never heard
        engine = connect(database)
        stored = AlertLedger(engine).get(KEYS[0])
        assert stored is not None and stored.delivered_at is None
        assert stored.post_started_at is not None

        again = run_alerts(tmp_path, env)
        assert again.returncode == 0, again.stderr
        assert posted_keys(slack) == KEYS  # the first found in history, not posted twice
        assert slack.requests_to("/conversations.history")
        for key in KEYS:
            alert = AlertLedger(engine).get(key)
            assert alert is not None and alert.delivered_at is not None, key
            assert alert.post_started_at is None
        # The first alert is recorded with the message Slack took before the crash.
        first = AlertLedger(engine).get(KEYS[0])
        took = slack.requests_to("/chat.postMessage")[0].answer["ts"]
        assert first is not None and first.slack_ts == took

        assert run_alerts(tmp_path, env).returncode == 0  # and a third run posts nothing
        assert posted_keys(slack) == KEYS
        engine.dispose()


def test_without_history_access_it_posts_again_and_says_why(database: str, tmp_path: Path) -> None:
    """The honest limit: without channels:history the check cannot be made, and a second copy
    is better than a lost alert. The log says which scope would make it exactly once."""
    with FakeSlackAPI() as slack:
        slack.history_scope = False
        env = alerts_env(database, slack)
        kill_after_first_post(tmp_path, env)
        again = run_alerts(tmp_path, env)
        assert again.returncode == 0, again.stderr
        assert posted_keys(slack) == [KEYS[0], *KEYS]
        assert "Add the channels:history and groups:history scopes" in again.stderr


def test_a_crash_after_slack_took_the_digest_posts_no_second_copy(
    database_url: str, tmp_path: Path
) -> None:
    """The demo's data, as of its own moment: the week of 9-15 November is whole. Killed after
    the digest message, before its record and its chart: the next run finds the message,
    records it and puts the chart in its thread; one message and one chart in all."""
    with FakeSlackAPI() as slack:
        env = clean_env(
            DATABASE_URL=database_url,
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_API_URL=slack.url,
            AICOST_DIGEST_CHANNEL=CHANNEL,
            AICOST_AS_OF=sample_as_of().isoformat(),
        )
        built = subprocess.run(
            aicost_command("demo", "--database", database_url, "--force"),
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert built.returncode == 0, built.stderr
        kill_after_first_post(tmp_path, env, "digest")
        assert posted_keys(slack) == ["digest:2026-11-09"]
        assert slack.uploaded_files() == []  # killed before the chart

        again = subprocess.run(
            aicost_command("digest", "--post"),
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode == 0, again.stderr
        assert posted_keys(slack) == ["digest:2026-11-09"]
        (chart,) = slack.uploaded_files()
        first_ts = slack.requests_to("/chat.postMessage")[0].answer["ts"]
        assert chart.thread_ts == first_ts  # in the thread of the message posted before the kill
