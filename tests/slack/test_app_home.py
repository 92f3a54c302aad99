"""The App Home over HTTP, end to end: a signed `app_home_opened` to the real `aicost serve`
leads to one `views.publish` for that user, with the Home the demo's data calls for.

The demo database (as of its own moment) has one open alert: AI spend outgrowing revenue.
`aicost alerts --post` posts it to the stand-in's channel, a signed press of its Acknowledge
button records who took it on, and the Home must then say so beside the month to date, each
provider's share, the freshness of every figure and the break-even line with what flips it.
Nothing in the app is patched.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from slack_bolt import BoltRequest

from bot.db.engine import connect
from bot.db.store import SpendStore
from bot.render.home_view import HOME_REFRESH_ACTION, NOTHING_SYNCED
from bot.render.limits import MAX_VIEW_BLOCKS
from bot.settings import load_settings
from bot.slack.app import build_app
from bot.slack.blocks import check_blocks
from bot.slack.deferred import run_now
from bot.slack.services import SlackServices
from tests.fakes.slack_api import FakeSlackAPI, RecordedRequest, block_texts
from tests.slack.serve_harness import (
    ANSWER_TIMEOUT,
    BOT_TOKEN,
    SIGNING_SECRET,
    SLACK_ACK_LIMIT,
    ServeProcess,
    block_actions_body,
    demo_env,
    home_opened_body,
    redact,
    run_cli,
    signed_headers,
)

ALERTS = "C0ALERTS1"
LEAD, VIEWER = "U0LEAD001", "U0VIEWER1"
PUBLISH = "/views.publish"


@pytest.fixture(scope="module")
def app_env(workdir: Path, slack_api: FakeSlackAPI) -> dict[str, str]:
    env = demo_env(
        workdir,
        slack_api,
        AICOST_TIMEZONE="UTC",
        AICOST_ALERT_CHANNEL=ALERTS,
        AICOST_MONTHLY_BUDGET_USD="20000",
    )
    posted = run_cli("alerts", "--post", env=env, cwd=workdir)
    assert posted.returncode == 0, redact(posted.stderr)
    return env


def send(serve: ServeProcess, body: str, content_type: str) -> httpx.Response:
    headers = {**signed_headers(body), "Content-Type": content_type}
    return httpx.post(serve.events_url, content=body, headers=headers, timeout=10.0)


def open_home(serve: ServeProcess, slack_api: FakeSlackAPI, user: str) -> RecordedRequest:
    """Open the Home tab as `user`; the one views.publish that follows, waited for."""
    before = len(slack_api.requests_to(PUBLISH))
    started = time.monotonic()
    ack = send(serve, home_opened_body(user), "application/json")
    assert ack.status_code == 200, ack.text
    assert time.monotonic() - started < SLACK_ACK_LIMIT
    published = slack_api.wait_for(PUBLISH, before + 1, timeout=ANSWER_TIMEOUT)
    return published[before]


def press_ack(serve: ServeProcess, slack_api: FakeSlackAPI, user: str) -> None:
    """Press Acknowledge on the posted alert, as Slack would send the click."""
    (message,) = slack_api.messages(ALERTS)
    key = message["blocks"][-1]["elements"][0]["value"]
    body = block_actions_body(
        user,
        {"action_id": "aicost_ack", "value": key},
        channel={"id": ALERTS},
        container={"type": "message", "message_ts": message["ts"], "channel_id": ALERTS},
        message=message,
        response_url=slack_api.webhook_url("ack"),
    )
    assert send(serve, body, "application/x-www-form-urlencoded").status_code == 200
    slack_api.wait_for("/chat.update", timeout=ANSWER_TIMEOUT)


def texts(view: dict[str, Any]) -> str:
    """What a person reads on the Home (the Refresh button aside)."""
    return block_texts([b for b in view["blocks"] if b["type"] != "actions"])


def test_opening_the_home_publishes_the_month_alerts_and_breakeven_for_that_user(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    press_ack(server, slack_api, LEAD)
    published = open_home(server, slack_api, VIEWER)
    assert published.data["user_id"] == VIEWER
    assert published.answer["ok"] is True, published.answer
    view = published.data["view"]
    assert view["type"] == "home"
    assert check_blocks(view["blocks"], max_blocks=MAX_VIEW_BLOCKS) == []
    assert slack_api.home_view(VIEWER) == view
    shown = texts(view)
    assert "AI spend, November 2026" in shown
    assert "*Month to date*\n$" in shown
    assert "*Projected month end*\n$" in shown
    assert "*Budget*\n$" in shown  # the demo sets one
    for provider in ("openai", "anthropic"):
        assert f"• {provider}: $" in shown and " %), " in shown  # each provider's share
    assert "Data: openai synced " in shown  # the freshness of every figure
    assert "*Open alerts (1)*" in shown
    assert "AI spend outgrew revenue 2 months running" in shown
    assert "posted " in shown and f"acknowledged by <@{LEAD}>" in shown
    assert "*Break-even*\nSelf-hosting (" in shown
    assert "Self-hosting would" in shown or "No input within its plausible range" in shown
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [HOME_REFRESH_ACTION]  # no modal that isn't there


def test_refresh_publishes_again_and_the_messages_tab_publishes_nothing(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    before = len(slack_api.requests_to(PUBLISH))
    messages_tab = send(server, home_opened_body(VIEWER, tab="messages"), "application/json")
    assert messages_tab.status_code == 200
    body = block_actions_body(
        LEAD,
        {"action_id": HOME_REFRESH_ACTION},
        container={"type": "view", "view_id": "V0AICOST001"},
        view={"id": "V0AICOST001", "type": "home"},
    )
    assert send(server, body, "application/x-www-form-urlencoded").status_code == 200
    published = slack_api.wait_for(PUBLISH, before + 1, timeout=ANSWER_TIMEOUT)
    assert [p.data["user_id"] for p in published[before:]] == [LEAD]
    assert "*Month to date*\n$" in texts(published[before].data["view"])


def test_an_empty_database_gives_a_home_that_says_nothing_is_synced(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    """The real bolt app from `build_app` on a brand-new database, handed a signed event."""
    settings = load_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.url,
        AICOST_TIMEZONE="UTC",
        OPENAI_ADMIN_KEY="sk-admin-never-used",
    )
    services = SlackServices(settings=settings, store=SpendStore(connect(settings.database_url)))
    app = build_app(settings, services=services, socket_mode=False, defer=run_now)
    before = len(slack_api.requests_to(PUBLISH))
    body = home_opened_body("U0NEWCOMER")
    headers = {**signed_headers(body), "Content-Type": "application/json"}
    try:
        response = app.dispatch(BoltRequest(body=body, headers=headers))
    finally:
        services.store.engine.dispose()
    assert response.status == 200
    published = slack_api.wait_for(PUBLISH, before + 1)[before]
    assert published.data["user_id"] == "U0NEWCOMER"
    view = published.data["view"]
    assert check_blocks(view["blocks"], max_blocks=MAX_VIEW_BLOCKS) == []
    shown = texts(view)
    assert NOTHING_SYNCED in shown
    assert "Data: openai never synced" in shown
    assert "*Month to date*" not in shown
    assert "Break-even unavailable: no billed spend in the last 28 days." in shown
