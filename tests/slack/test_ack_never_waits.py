"""An ack never waits for other commands' work: it is sent while every worker is busy.

A race tested as a race: the real bolt App from `build_app`, with a WorkPool of two, and a
status answer that holds its worker until the test lets it go. With both workers held, five more
commands are dispatched; each must be acked (HTTP 200, empty body) before any work is released,
which bolt's default (ack and work on one pool) cannot do. Then every command is answered
exactly once. Nothing here waits on a clock except the hang guards of the fake Slack.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_bolt import App, BoltRequest

from bot.core.status import StatusReport
from bot.db.engine import connect
from bot.db.store import SpendStore
from bot.settings import load_settings
from bot.slack.app import build_app
from bot.slack.deferred import WorkPool
from bot.slack.services import SlackServices
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.serve_harness import BOT_TOKEN, SIGNING_SECRET, signed_headers, slash_body

WORKERS = 2


class HeldServices(SlackServices):
    """The real services, with status answers held at a gate until the test opens it."""

    gate: threading.Event
    started: threading.Semaphore

    def status(self) -> StatusReport:
        self.started.release()
        assert self.gate.wait(timeout=60), "the test never opened the gate"
        return super().status()


@pytest.fixture
def held(tmp_path: Path, slack_api: FakeSlackAPI) -> Iterator[tuple[App, HeldServices]]:
    settings = load_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'acks.db'}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.url,
        AICOST_TIMEZONE="UTC",
    )
    services = HeldServices(settings=settings, store=SpendStore(connect(settings.database_url)))
    services.gate, services.started = threading.Event(), threading.Semaphore(0)
    pool = WorkPool(workers=WORKERS)
    app = build_app(settings, services=services, socket_mode=False, defer=pool)
    try:
        yield app, services
    finally:
        services.gate.set()
        pool.shutdown()
        services.store.engine.dispose()


def dispatch(app: App, slack_api: FakeSlackAPI, name: str) -> int:
    body = slash_body("status", slack_api.webhook_url(name))
    response = app.dispatch(BoltRequest(body=body, headers=signed_headers(body)))
    assert response.body == "", response.body  # a bare ack: the answer comes later
    return response.status


def test_acks_go_out_while_every_worker_is_busy(
    held: tuple[App, HeldServices], slack_api: FakeSlackAPI
) -> None:
    app, services = held
    run = uuid.uuid4().hex
    names = [f"held-{run}-{n}" for n in range(WORKERS + 5)]
    for name in names[:WORKERS]:
        assert dispatch(app, slack_api, name) == 200
    for _ in range(WORKERS):  # both workers are now inside a held status answer
        assert services.started.acquire(timeout=60)
    for name in names[WORKERS:]:  # acked while no worker is free
        assert dispatch(app, slack_api, name) == 200
    assert not services.gate.is_set()
    assert all(not slack_api.requests_to(f"/webhook/{name}") for name in names)

    services.gate.set()
    for name in names:
        (answer,) = slack_api.wait_for(f"/webhook/{name}", timeout=60)
        assert answer.data["response_type"] == "ephemeral"
        assert "Month to date" in answer.data["text"] or answer.data["blocks"], answer.data
    for name in names:  # and only once
        assert len(slack_api.requests_to(f"/webhook/{name}")) == 1
