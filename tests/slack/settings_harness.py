"""Helpers for the settings forms' end-to-end tests: press a Home button, submit over signed
HTTP within Slack's ack limit, and read back what was stored and audited."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy import select

from bot.db.models import AuditRow, ConfigValueRow
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.serve_harness import (
    ANSWER_TIMEOUT,
    SLACK_ACK_LIMIT,
    ServeProcess,
    block_actions_body,
    signed_headers,
)

__all__ = ["audit_actions", "post", "press", "stored", "wait_until"]


def post(serve: ServeProcess, body: str) -> httpx.Response:
    """Send a signed interaction; it must be answered (200) within Slack's 3 seconds."""
    started = time.monotonic()
    response = httpx.post(serve.events_url, content=body, headers=signed_headers(body), timeout=10)
    assert time.monotonic() - started < SLACK_ACK_LIMIT
    assert response.status_code == 200, response.text
    return response


def press(serve: ServeProcess, slack_api: FakeSlackAPI, user: str, which: str) -> dict[str, Any]:
    """Press a Home settings button; the modal views.open opened for it."""
    before = len(slack_api.opened_modals())
    body = block_actions_body(
        user,
        {"action_id": f"aicost_open_settings_{which}"},
        container={"type": "view", "view_id": "V0AICOST001"},
        view={"id": "V0AICOST001", "type": "home"},
    )
    post(serve, body)
    opened = slack_api.opened_modals()
    assert len(opened) == before + 1, slack_api.requests_to("/views.open")
    return opened[-1]["view"]


def stored(engine: sa.Engine) -> dict[str, str]:
    """{name: value} of the settings stored over the environment."""
    with engine.connect() as connection:
        return dict(connection.execute(select(ConfigValueRow.name, ConfigValueRow.value)).all())


def audit_actions(engine: sa.Engine) -> list[tuple[str, str, str]]:
    """(actor, action, target) of every audit entry, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditRow.actor, AuditRow.action, AuditRow.target).order_by(AuditRow.id)
        )
        return [tuple(r) for r in rows]


def wait_until(check: Any, what: str) -> None:
    """Poll `check` (the write follows the ack) until true, or fail naming `what`."""
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"not within {ANSWER_TIMEOUT} s: {what}")
