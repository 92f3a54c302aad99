"""What bolt would read from the environment on its own must not change how aicost answers.

The OAuth pair (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET) sits on the Slack app's Basic Information
page, next to the signing secret a user does need, and easily ends up in .env. bolt, seeing it,
turns itself into a multi-workspace OAuth install that ignores the bot token: every command then
fails authorization. And SLACK_BOT_TOKEN beside the client aicost builds made bolt warn at every
start. A real bolt App gets a signed `/aicost help` with all three set.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from slack_bolt.request import BoltRequest

from bot.settings import load_settings
from bot.slack.app import build_app
from bot.slack.services import SlackServices
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.serve_harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    captured_logger,
    signed_headers,
    slash_body,
)

OAUTH_PAIR = {"SLACK_CLIENT_ID": "1234567890.0987654321", "SLACK_CLIENT_SECRET": "c0ffee" * 5}


def test_oauth_variables_and_the_token_in_the_environment_change_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in {**OAUTH_PAIR, "SLACK_BOT_TOKEN": BOT_TOKEN}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    logger, log = captured_logger("aicost.test")
    with FakeSlackAPI() as slack_api:
        settings = load_settings(
            DATABASE_URL=f"sqlite:///{tmp_path / 'aicost.db'}",
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack_api.url,
        )
        services = SlackServices.from_settings(settings)
        try:
            app = build_app(settings, services=services, socket_mode=False, logger=logger)
            assert app.oauth_flow is None
            assert app.client.token == BOT_TOKEN
            body = slash_body("help", slack_api.webhook_url("help"))
            response = app.dispatch(BoltRequest(body=body, headers=signed_headers(body)))
        finally:
            services.store.engine.dispose()
    assert response.status == 200, response.body
    assert "/aicost status" in response.body
    assert [r.getMessage() for r in log.records if r.levelno >= logging.WARNING] == []
    assert {name: os.environ[name] for name in OAUTH_PAIR} == OAUTH_PAIR  # given back
