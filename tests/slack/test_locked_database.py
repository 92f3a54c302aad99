"""SQLite's write lock held by another process (what a long sync swap does): questions are
still acked and answered, and a change is refused in one clear line with nothing changed.

Measured before: with the lock held for 15 s, 32 of 54 commands (read-only status included) got
HTTP 404 "unhandled request", and `revenue set` answered "Sorry, I couldn't work that out just
now (OperationalError)". The real bolt App, a real SQLite file locked by a second connection
(BEGIN IMMEDIATE), the Slack stand-in on loopback.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from slack_bolt import App, BoltRequest

from bot.db.engine import connect
from bot.db.revenue import RevenueStore
from bot.db.store import SpendStore
from bot.messages import LOCKED
from bot.settings import load_settings
from bot.slack.app import build_app
from bot.slack.deferred import run_now
from bot.slack.services import SlackServices
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.serve_harness import BOT_TOKEN, SIGNING_SECRET, signed_headers, slash_body

ADMIN = "U0LEAD"


@pytest.fixture
def locked(tmp_path: Path, slack_api: FakeSlackAPI) -> Iterator[tuple[App, SlackServices]]:
    path = tmp_path / "locked.db"
    settings = load_settings(
        DATABASE_URL=f"sqlite:///{path}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.url,
        AICOST_TIMEZONE="UTC",
        AICOST_ADMINS=ADMIN,
    )
    services = SlackServices(settings=settings, store=SpendStore(connect(settings.database_url)))
    # run_now: each dispatch returns once its answer is posted, so the test reads it after.
    app = build_app(settings, services=services, socket_mode=False, defer=run_now)
    writer = sqlite3.connect(path, timeout=1)
    writer.execute("BEGIN IMMEDIATE")  # the write lock, held until the test ends
    try:
        yield app, services
    finally:
        writer.rollback()
        writer.close()
        services.store.engine.dispose()


def ask(app: App, slack_api: FakeSlackAPI, text: str) -> tuple[int, str]:
    name = f"locked-{uuid.uuid4().hex}"
    body = slash_body(text, slack_api.webhook_url(name), user_id=ADMIN)
    response = app.dispatch(BoltRequest(body=body, headers=signed_headers(body)))
    (answer,) = slack_api.wait_for(f"/webhook/{name}", timeout=60)
    return response.status, answer.data["text"]


def test_a_read_is_answered_while_a_writer_holds_the_lock(
    locked: tuple[App, SlackServices], slack_api: FakeSlackAPI
) -> None:
    app, _ = locked
    status, text = ask(app, slack_api, "status")
    assert status == 200 and "month to date" in text  # WAL: readers never wait on a writer


def test_a_change_is_refused_in_one_line_and_nothing_changes(
    locked: tuple[App, SlackServices], slack_api: FakeSlackAPI
) -> None:
    """After SQLite's busy timeout (10 s) the change gives up whole, and says so."""
    app, services = locked
    status, text = ask(app, slack_api, "revenue set 2026-10 5")
    assert status == 200 and text == LOCKED
    assert RevenueStore(services.store.engine).months(date(2026, 1, 1), date(2027, 1, 1)) == []
