"""Building the bolt App from settings, pointed at SLACK_API_URL."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from time import sleep
from urllib.error import URLError

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient

from ..errors import AicostError
from ..settings import Settings
from .actions import register_actions
from .commands import register_commands
from .deferred import Defer, WorkPool
from .home import register_home
from .settings_modals import register_settings
from .team_modal import register_team_modal

__all__ = ["SlackConfigError", "build_app"]


# Slack unreachable at start: retry with backoff up to a minute apart, for as long as it takes
# (a service should come up when the network does, not die at boot).
MAX_RETRY_SECONDS = 60.0


@contextmanager
def _sdk_quiet() -> Iterator[None]:
    """slack_sdk logs four lines (ERROR and INFO) per failed auth.test; the one line we print
    says it all, so its client logger is quiet while the app is built."""
    sdk = logging.getLogger("slack_sdk.web.base_client")
    level = sdk.level
    sdk.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        sdk.setLevel(level)


def _auth_error(message: str) -> str:
    """'invalid_auth' from bolt's "`token` is invalid (auth.test result: {...})"."""
    for code in (
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "account_inactive",
        "token_expired",
    ):
        if code in message:
            return code
    return "auth.test failed"


class SlackConfigError(AicostError):
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
    defer: Defer | None = None,
) -> App:
    """The bolt App with every listener registered.

    In HTTP mode every request must carry a valid Slack signature (bolt answers 401 otherwise);
    in Socket Mode requests arrive over the authenticated socket and carry none. Listeners run
    on the thread that read the request (`process_before_response`): each acks at once and
    hands its slow work to `defer`, a WorkPool unless one is given (see bot/slack/deferred.py).
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
    delay = 1.0
    while True:
        try:
            with _environment_hidden_from_bolt(), _sdk_quiet():
                app = App(
                    client=client,
                    signing_secret=signing_secret.get_secret_value() if signing_secret else "",
                    request_verification_enabled=not socket_mode,
                    process_before_response=True,
                    logger=logger or logging.getLogger("aicost.slack"),
                )
            break
        except BoltError as exc:  # auth.test answered, and said no
            reason = _auth_error(str(exc))
            raise SlackConfigError(
                f"Slack rejected SLACK_BOT_TOKEN ({reason}): copy the Bot User OAuth Token "
                "(xoxb-...) from your Slack app's OAuth & Permissions page"
            ) from None
        except (URLError, OSError) as exc:  # the network: Slack may be back in a moment
            why = getattr(exc, "reason", exc)
            print(
                f"aicost: Slack is unreachable at {settings.slack_api_url} ({why}); "
                f"retrying in {delay:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)
    work = defer if defer is not None else WorkPool()
    register_commands(app, services=services, defer=work)
    register_actions(app, services=services, defer=work)
    register_home(app, services=services, defer=work)
    register_settings(app, services=services, defer=work)
    register_team_modal(app, services=services, defer=work)
    return app
