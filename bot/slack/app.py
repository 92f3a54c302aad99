"""Building the bolt App from settings, pointed at SLACK_API_URL."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from slack_bolt import App
from slack_sdk import WebClient

from ..settings import Settings
from .actions import register_actions
from .commands import register_commands

__all__ = ["SlackConfigError", "build_app"]


class SlackConfigError(Exception):
    """A setting needed to run the Slack app is missing; the message names it."""


# bolt reads these from the environment when it is not handed them. With the OAuth pair set (both
# sit on the Slack app's Basic Information page, easy to paste into .env) it would turn into a
# multi-workspace OAuth install and ignore the bot token, so every command would fail; with
# SLACK_BOT_TOKEN set beside the client we give it, it warns at every start. aicost is one
# workspace and one bot token, taken from our own settings.
BOLT_ENVIRONMENT = ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


@contextmanager
def _environment_hidden_from_bolt() -> Iterator[None]:
    hidden = {name: os.environ.pop(name) for name in BOLT_ENVIRONMENT if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(hidden)


def build_app(
    settings: Settings,
    *,
    services: object,
    socket_mode: bool,
    logger: logging.Logger | None = None,
) -> App:
    """The bolt App with every listener registered.

    In HTTP mode every request must carry a valid Slack signature (bolt answers 401 otherwise);
    in Socket Mode requests arrive over the authenticated socket and carry none.
    """
    if settings.slack_bot_token is None:
        raise SlackConfigError("SLACK_BOT_TOKEN is not set (the xoxb- token of your Slack app)")
    if not socket_mode and settings.slack_signing_secret is None:
        raise SlackConfigError(
            "SLACK_SIGNING_SECRET is not set; HTTP mode needs it to verify requests "
            "(or set SLACK_APP_TOKEN to use Socket Mode)"
        )
    token = settings.slack_bot_token.get_secret_value()
    client = WebClient(token=token, base_url=settings.slack_api_url)
    signing_secret = settings.slack_signing_secret
    with _environment_hidden_from_bolt():
        app = App(
            client=client,
            signing_secret=signing_secret.get_secret_value() if signing_secret else "",
            request_verification_enabled=not socket_mode,
            logger=logger or logging.getLogger("aicost.slack"),
        )
    register_commands(app, services=services)
    register_actions(app, services=services)
    return app
