"""Alerts posted to a loopback Slack stand-in: once each, through 429s, outages and re-runs.

The real poster (slack_sdk WebClient with its retry handlers) talks HTTP to FakeSlackAPI; the
real ledger runs on a SQLite file. Nothing in the code under test is patched.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from billing_adapters import CostLine, FetchResult
from bot.db.alerts import AlertLedger
from bot.db.engine import connect
from bot.db.store import SpendStore
from bot.render.alert_blocks import ACK_ACTION, SNOOZE_ACTIONS
from bot.services.alerts import AlertRun, run_alerts
from bot.settings import Settings, load_settings
from bot.slack.actions import SNOOZE_CHOICES, register_actions
from bot.slack.blocks import check_blocks
from bot.slack.poster import SlackPoster
from bot.slack.services import SlackServices
from tests.fakes.slack_api import FakeSlackAPI, RecordedRequest, block_texts
from tests.fill_store import swap_in
from tests.moment import TEST_NOW
from tests.slack.serve_harness import free_port

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
TOKEN = "xoxb-test-alerts-0001"
POST = "/chat.postMessage"
# October at $100 a day, 1-19 November at $215: $4,085 of a $5,000 budget (81 %), and the
# projection ($5.6k) is over it. Two alerts: budget:80 and projection.
EXPECTED = ["budget:80:2026-11", "projection:2026-11"]


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    store = SpendStore(connect(url))
    days = [date(2026, 10, 1) + timedelta(days=n) for n in range(50)]
    costs = [
        CostLine("openai", d, "proj", "gpt", Decimal(100 if d.month == 10 else 215)) for d in days
    ]
    swap_in(store, FetchResult("openai", days=set(days), costs=costs), fetched_at=NOW)
    store.engine.dispose()
    return url


@pytest.fixture(autouse=True)
def fresh_slack(slack_api: FakeSlackAPI) -> None:
    """The module shares one stand-in (tests/slack/conftest.py); each test starts it empty."""
    slack_api.clear()


def settings_for(url: str, api_url: str, budget: str = "5000") -> Settings:
    return load_settings(
        DATABASE_URL=url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=api_url,
        AICOST_ALERT_CHANNEL="C123",
        AICOST_MONTHLY_BUDGET_USD=budget,
        AICOST_TIMEZONE="UTC",
        AICOST_ADMINS="U0LEAD",  # who presses the buttons below; snoozing is for admins only
    )


def run(url: str, api_url: str, *, now: datetime = NOW, budget: str = "5000") -> AlertRun:
    """One scheduler-style run in a fresh engine, as a new process would make it."""
    settings = settings_for(url, api_url, budget)
    store = SpendStore(connect(url))
    try:
        poster = SlackPoster.from_settings(settings)
        return run_alerts(store, settings, now=now, poster=poster, post=True, pace=0)
    finally:
        store.engine.dispose()


def delivered(api: FakeSlackAPI) -> list[RecordedRequest]:
    return [r for r in api.requests_to(POST) if r.status == 200]


def readable(blocks: list[dict[str, Any]]) -> str:
    """The texts a person reads (block_texts does not read buttons, so they are left out)."""
    return block_texts([b for b in blocks if b["type"] != "actions"])


def titles(requests: list[RecordedRequest]) -> list[str]:
    return [r.data["blocks"][0]["text"]["text"] for r in requests]


def test_a_429_is_retried_after_retry_after_and_posts_exactly_once(
    database: str, slack_api: FakeSlackAPI
) -> None:
    slack_api.rate_limit_next(POST, 1, retry_after=1)
    started = time.monotonic()
    first = run(database, slack_api.url)
    assert time.monotonic() - started >= 1  # Retry-After honoured

    assert [c.key for c in first.conditions] == EXPECTED
    assert first.posted == EXPECTED and first.pending == [] and first.errors == []
    statuses = [r.status for r in slack_api.requests_to(POST)]
    assert statuses == [429, 200, 200]
    assert len(set(titles(delivered(slack_api)))) == 2
    assert "81 % of the November budget used (19 % left)" in titles(delivered(slack_api))[0]


def test_rerunning_posts_nothing_new(database: str, slack_api: FakeSlackAPI) -> None:
    run(database, slack_api.url)
    for hours in (0, 6, 30):
        again = run(database, slack_api.url, now=NOW + timedelta(hours=hours))
        assert again.posted == [] and again.recovered == [] and again.pending == []
        assert all(state.startswith("sent ") for state in again.states.values())
    assert len(delivered(slack_api)) == len(EXPECTED)


def test_slack_down_keeps_the_alert_pending_and_the_next_run_delivers_it(
    database: str, slack_api: FakeSlackAPI
) -> None:
    closed_port = f"http://127.0.0.1:{free_port()}/"
    down = run(database, closed_port)
    assert down.posted == [] and down.pending == EXPECTED
    assert len(down.errors) == 2 and "could not reach Slack" in down.errors[0]
    assert TOKEN not in " ".join(down.errors)
    stored = AlertLedger(connect(database)).get(EXPECTED[0])
    assert stored is not None and stored.attempts == 1 and stored.delivered_at is None

    back = run(database, slack_api.url, now=NOW + timedelta(hours=6))
    assert back.posted == EXPECTED and back.pending == []
    assert run(database, slack_api.url, now=NOW + timedelta(hours=12)).posted == []
    assert len(delivered(slack_api)) == len(EXPECTED)


def test_posted_blocks_fit_slack_and_carry_the_four_buttons(
    database: str, slack_api: FakeSlackAPI
) -> None:
    run(database, slack_api.url)
    for request, key in zip(delivered(slack_api), EXPECTED, strict=True):
        blocks = request.data["blocks"]
        assert check_blocks(blocks) == []
        assert request.data["channel"] == "C123" and request.data["text"]
        (actions,) = [b for b in blocks if b["type"] == "actions"]
        ids = [e["action_id"] for e in actions["elements"]]
        assert ids == ["aicost_snooze_1d", "aicost_snooze_7d", "aicost_snooze_month", "aicost_ack"]
        assert {e["value"] for e in actions["elements"]} == {key}
        text = readable(blocks)
        assert "Why this matters:" in text and "As of 20 Nov 12:00 UTC" in text
    assert set(SNOOZE_CHOICES) == set(SNOOZE_ACTIONS) and ACK_ACTION == "aicost_ack"


def test_a_cleared_condition_posts_one_recovery(database: str, slack_api: FakeSlackAPI) -> None:
    run(database, slack_api.url)
    # The budget is raised to $20,000: the projection ($5.6k) is well under it now.
    raised = run(database, slack_api.url, now=NOW + timedelta(hours=6), budget="20000")
    assert raised.conditions == [] and raised.cleared == ["projection:2026-11"]
    assert raised.recovered == ["projection:2026-11"]
    recovery = delivered(slack_api)[-1]
    assert "under the budget again" in recovery.data["text"]
    assert "budget $20,000.00" in readable(recovery.data["blocks"])
    assert check_blocks(recovery.data["blocks"]) == []
    again = run(database, slack_api.url, now=NOW + timedelta(hours=12), budget="20000")
    assert again.recovered == [] and again.posted == []
    assert len(delivered(slack_api)) == len(EXPECTED) + 1


def press(
    app: App,
    action_id: str,
    message: dict[str, Any],
    response_url: str,
    channel: str = "C123",
    ts: str = "1.0",
    *,
    user: str = "U0LEAD",
) -> None:
    """A block_actions request as Slack sends it when someone presses a button."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T0AICOST1"},
        "user": {"id": user},
        "api_app_id": "A0AICOST1",
        "token": "legacy",
        "trigger_id": f"{uuid.uuid4().int % 10**12}.1.{uuid.uuid4().hex}",
        "channel": {"id": channel},
        "container": {"type": "message", "message_ts": ts, "channel_id": channel},
        "message": message,
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "aicost_alert_actions",
                "value": message["blocks"][-1]["elements"][0]["value"],
                "action_ts": "1.1",
            }
        ],
    }
    request = BoltRequest(
        body=urlencode({"payload": json.dumps(payload)}),
        headers={"content-type": ["application/x-www-form-urlencoded"]},
    )
    assert app.dispatch(request).status == 200


def test_snooze_and_acknowledge_are_told_to_the_channel(
    database: str, slack_api: FakeSlackAPI
) -> None:
    """A snooze and each person's acknowledgement rewrite the alert for everyone (chat.update)
    and leave a line in its thread; the same person pressing again changes nothing in public."""
    run(database, slack_api.url)
    posted = delivered(slack_api)[0]
    channel, ts = posted.data["channel"], posted.answer["ts"]
    settings = settings_for(database, slack_api.url)
    services = SlackServices(settings=settings, store=SpendStore(connect(database)))
    app = actions_app(slack_api, services)

    def alert() -> dict[str, Any]:
        return next(m for m in slack_api.messages(channel) if m["ts"] == ts)

    def thread() -> list[str]:
        return [r.data["text"] for r in delivered(slack_api) if r.data.get("thread_ts") == ts]

    def told(lines: int) -> None:
        """Wait for the handler (it runs after the ack): `lines` thread lines posted."""
        slack_api.wait_for("/chat.update", lines)
        slack_api.wait_for(POST, len(delivered(slack_api)) - len(thread()) + lines)

    press(app, "aicost_snooze_7d", alert(), slack_api.webhook_url("snooze"), channel, ts)
    told(1)
    text = readable(alert()["blocks"])
    assert "81 % of the November budget used" in text  # the alert itself is kept
    until = f"{TEST_NOW + timedelta(days=7):%d %b}"  # the handler reads the clock
    snoozed = f"Snoozed budget alerts for 7 days by <@U0LEAD> (until {until} "
    assert snoozed in text
    assert len(thread()) == 1 and snoozed in thread()[0]
    assert slack_api.requests_to("/webhook/snooze") == []  # told to everyone, not to one
    assert set(AlertLedger(services.store.engine).snoozes(TEST_NOW)) == {"budget"}

    press(app, "aicost_ack", alert(), slack_api.webhook_url("ack"), channel, ts)
    told(2)
    first = f"Acknowledged by <@U0LEAD> at {TEST_NOW:%d %b %H:%M} UTC"
    assert snoozed in readable(alert()["blocks"]) and first in readable(alert()["blocks"])
    assert first in thread()[1]
    # The same person again (a double click): only they are told, nothing new in public.
    updates = len(slack_api.requests_to("/chat.update"))
    press(app, "aicost_ack", alert(), slack_api.webhook_url("again"), channel, ts)
    (again,) = slack_api.wait_for("/webhook/again")
    assert again.data["response_type"] == "ephemeral"
    assert again.data["text"].startswith("You acknowledged this alert already")
    assert len(slack_api.requests_to("/chat.update")) == updates and len(thread()) == 2
    # Someone else takes it on too: recorded beside the first, not overwritten.
    press(app, "aicost_ack", alert(), slack_api.webhook_url("also"), channel, ts, user="U0SRE")
    told(3)
    assert "Also acknowledged by <@U0SRE>" in readable(alert()["blocks"])
    assert len(thread()) == 3
    stored = AlertLedger(services.store.engine).get("budget:80:2026-11")
    assert stored is not None and stored.acknowledged_by == "U0LEAD"
    services.store.engine.dispose()


def test_a_message_chat_update_cannot_find_is_replaced_through_the_response_url(
    database: str, slack_api: FakeSlackAPI
) -> None:
    run(database, slack_api.url)
    budget = delivered(slack_api)[0].data
    settings = settings_for(database, slack_api.url)
    services = SlackServices(settings=settings, store=SpendStore(connect(database)))
    app = actions_app(slack_api, services)
    press(app, "aicost_ack", budget, slack_api.webhook_url("ack"), "C123", "1.0")
    (answer,) = slack_api.wait_for("/webhook/ack")
    assert answer.data["replace_original"] is True
    assert "Acknowledged by <@U0LEAD>" in readable(answer.data["blocks"])
    services.store.engine.dispose()


def actions_app(slack_api: FakeSlackAPI, services: SlackServices) -> App:
    app = App(
        client=WebClient(token=TOKEN, base_url=slack_api.url),
        signing_secret="unused",
        request_verification_enabled=False,
        logger=logging.getLogger("test.alert.actions"),
    )
    register_actions(app, services=services)
    return app
