"""Per-team alerts posted to the loopback Slack stand-in: each to its team's channel (falling
back to AICOST_ALERT_CHANNEL), exactly once across runs, naming the team and its figures.

The real poster talks HTTP to FakeSlackAPI, the real ledger runs on a SQLite file, and the data
is relative to the suite's moment: every day from six weeks back to today is synced.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from billing_adapters import CostLine, FetchResult
from bot.core.records import SyncRecord
from bot.db.alerts import AlertLedger
from bot.db.audit import CLI_ACTOR, AuditLog
from bot.db.engine import connect
from bot.db.store import SpendStore
from bot.db.teams import TeamStore
from bot.render.alert_blocks import snooze_line
from bot.services.alerts import AlertRun, run_alerts
from bot.settings import load_settings
from bot.slack.poster import SlackPoster
from bot.slack.services import SlackServices
from tests.fakes.slack_api import FakeSlackAPI
from tests.fill_store import swap_in
from tests.moment import TEST_NOW, TEST_TODAY

TOKEN = "xoxb-test-team-alerts-01"
DAYS = [TEST_TODAY - timedelta(days=n) for n in range(43)]
MONTH = f"{TEST_TODAY:%Y-%m}"
# $100 a day for ml's project, $10 for search's, $1 for a project nobody owns. With budgets of
# $100 and $10, each team has spent its whole budget by today (today's spend counts), whatever
# day of the month the suite runs on: one alert each, the 100 % step.
SPEND = {"proj_ml": Decimal(100), "proj_search": Decimal(10), "proj_nobody": Decimal(1)}
ML_CHANNEL, ORG_CHANNEL = "C0MLTEAM", "C0ORG"


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'team-alerts.db'}"
    store = SpendStore(connect(url))
    costs = [CostLine("openai", d, p, "gpt-4o", a) for d in DAYS for p, a in SPEND.items()]
    synced = SyncRecord("openai", TEST_NOW, TEST_NOW, DAYS[-1], TEST_TODAY, True, "")
    swap_in(store, FetchResult("openai", set(DAYS), costs), fetched_at=TEST_NOW, record=synced)
    teams = TeamStore(store.engine)
    teams.set_team(
        "ml", budget_usd=Decimal(100), alert_channel=ML_CHANNEL, actor=CLI_ACTOR, at=TEST_NOW
    )
    teams.set_team("search", budget_usd=Decimal(10), actor=CLI_ACTOR, at=TEST_NOW)
    teams.set_team("quiet", alert_channel="C0QUIET", actor=CLI_ACTOR, at=TEST_NOW)  # no budget
    teams.assign("openai", "proj_ml", "ml", actor=CLI_ACTOR, at=TEST_NOW)
    teams.assign("openai", "proj_search", "search", actor=CLI_ACTOR, at=TEST_NOW)
    store.engine.dispose()
    return url


@pytest.fixture(autouse=True)
def fresh_slack(slack_api: FakeSlackAPI) -> None:
    slack_api.clear()


def run(url: str, api_url: str, *, alert_channel: str | None = ORG_CHANNEL) -> AlertRun:
    """One scheduler-style run in a fresh engine, as a new process would make it."""
    channel = {} if alert_channel is None else {"AICOST_ALERT_CHANNEL": alert_channel}
    settings = load_settings(
        DATABASE_URL=url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=api_url,
        AICOST_TIMEZONE="UTC",
        **channel,
    )
    store = SpendStore(connect(url))
    try:
        poster = SlackPoster.from_settings(settings)
        return run_alerts(store, settings, now=TEST_NOW, poster=poster, post=True, pace=0)
    finally:
        store.engine.dispose()


def titles(api: FakeSlackAPI, channel: str) -> list[str]:
    return [m["blocks"][0]["text"]["text"] for m in api.messages(channel)]


def test_each_team_alert_goes_once_to_its_teams_channel(
    database: str, slack_api: FakeSlackAPI
) -> None:
    first = run(database, slack_api.url)
    ml_key, search_key = f"team-budget:ml:100:{MONTH}", f"team-budget:search:100:{MONTH}"
    assert sorted(first.posted) == [ml_key, search_key], first.as_dict()
    assert first.errors == [] and first.pending == []
    # ml's alert in ml's channel; search has no channel of its own: the alert channel.
    (ml,) = slack_api.messages(ML_CHANNEL)
    (search,) = slack_api.messages(ORG_CHANNEL)
    assert slack_api.messages("C0QUIET") == []
    assert ml["metadata"]["event_payload"]["key"] == ml_key  # type: ignore[index]
    assert "Team ml:" in ml["text"] and "% of the" in ml["text"]
    assert "Team: ml" in ml["text"] and "Budget: $100.00" in ml["text"]
    assert "Team search:" in search["text"] and "Budget: $10.00" in search["text"]
    # Run again (the scheduler does every few hours): nothing is posted twice.
    again = run(database, slack_api.url)
    assert again.posted == [] and again.pending == []
    assert len(slack_api.messages(ML_CHANNEL)) == 1 and len(slack_api.messages(ORG_CHANNEL)) == 1


def test_without_any_channel_a_team_alert_waits_for_one(
    database: str, slack_api: FakeSlackAPI
) -> None:
    waiting = run(database, slack_api.url, alert_channel=None)
    # ml has a channel of its own; search's alert has nowhere to go yet, so it stays pending.
    assert waiting.posted == [f"team-budget:ml:100:{MONTH}"]
    assert waiting.pending == [f"team-budget:search:100:{MONTH}"]
    later = run(database, slack_api.url)  # AICOST_ALERT_CHANNEL set now: it goes out, once
    assert later.posted == [f"team-budget:search:100:{MONTH}"] and later.pending == []
    assert len(slack_api.messages(ORG_CHANNEL)) == 1 and len(slack_api.messages(ML_CHANNEL)) == 1


def test_a_pending_team_alert_goes_to_the_channel_in_force_when_sent(
    database: str, slack_api: FakeSlackAPI
) -> None:
    run(database, slack_api.url, alert_channel=None)  # ml's sent; search's pending
    engine = connect(database)
    TeamStore(engine).set_team("search", alert_channel="C0SEARCH", actor=CLI_ACTOR, at=TEST_NOW)
    engine.dispose()
    run(database, slack_api.url)
    assert len(slack_api.messages("C0SEARCH")) == 1
    assert slack_api.messages(ORG_CHANNEL) == []


def test_a_deleted_teams_recorded_alert_falls_back_to_the_alert_channel(
    database: str, slack_api: FakeSlackAPI
) -> None:
    settings = load_settings(DATABASE_URL=database, AICOST_TIMEZONE="UTC")
    store = SpendStore(connect(database))
    recorded = run_alerts(store, settings, now=TEST_NOW, poster=None, post=True, pace=0)
    assert f"team-budget:ml:100:{MONTH}" in recorded.pending  # recorded, not sent
    TeamStore(store.engine).delete_team("ml", actor=CLI_ACTOR, at=TEST_NOW)
    store.engine.dispose()
    sent = run(database, slack_api.url)
    assert f"team-budget:ml:100:{MONTH}" in sent.posted
    assert slack_api.messages(ML_CHANNEL) == []
    heads = sorted(m["text"].split(":")[0] for m in slack_api.messages(ORG_CHANNEL))
    assert heads == ["Team ml", "Team search"]  # ml's team is gone: the alert channel


def test_snoozing_one_teams_alert_leaves_the_other_teams_going(
    database: str, slack_api: FakeSlackAPI
) -> None:
    """A lead snoozing ml's budget alert quiets ml's alone: search's goes out to its channel,
    and the button's line and the audit name the team."""
    settings = load_settings(DATABASE_URL=database, AICOST_TIMEZONE="UTC", AICOST_ADMINS="U0ML")
    store = SpendStore(connect(database))
    run_alerts(store, settings, now=TEST_NOW, poster=None, post=True, pace=0)  # both pending
    ml_key = f"team-budget:ml:100:{MONTH}"
    snoozed = SlackServices(settings=settings, store=store).snooze_alert(
        ml_key, "7d", user_id="U0ML"
    )
    assert snoozed is not None and (snoozed.kind, snoozed.team) == ("team-budget", "ml")
    assert set(AlertLedger(store.engine).snoozes(TEST_NOW)) == {"team-budget:ml"}
    line = snooze_line(
        snoozed.kind,
        snoozed.until,
        by="U0ML",
        label=snoozed.label,
        tz=ZoneInfo("UTC"),
        team=snoozed.team,
    )
    assert "alerts of team ml for 7 days by <@U0ML>" in line
    (entry,) = AuditLog(store.engine).latest(1)
    assert entry.target == "team-budget:ml" and "alerts of team ml for 7 days" in entry.detail
    store.engine.dispose()

    sent = run(database, slack_api.url)
    assert sent.posted == [f"team-budget:search:100:{MONTH}"]
    assert slack_api.messages(ML_CHANNEL) == []
    assert [m["text"].split(":")[0] for m in slack_api.messages(ORG_CHANNEL)] == ["Team search"]
