"""The alert buttons: snooze (a day, a week, the rest of the month) and acknowledge.

Each handler acks at once (Slack wants an answer within 3 s), records the choice in the alert
ledger with who made it (and in the audit log, in the same transaction), then tells the channel:
the alert message is rewritten for everyone (`chat.update`: its text stays, with a line saying
who snoozed or acknowledged it, when, and until when) and the same line goes in its thread, so
whoever opens the alert later sees it was handled. A press that changes nothing (the same person
acknowledging twice) is told only to that person.

Snoozing silences a kind of alert for the whole team, so only aicost admins (AICOST_ADMINS)
may do it; anyone else gets a polite note only they can see. Acknowledging changes nothing
aicost does (it records who took the alert on), so anyone in the channel may press it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ..core.alerts.snooze import SNOOZE_CHOICES
from ..db.alerts import Acknowledgement
from ..db.audit import request_key
from ..messages import SNOOZE_REFUSED, UNKNOWN_ALERT
from ..render.alert_blocks import ACK_ACTION, ack_line, snooze_line, with_outcome
from ..services.alerts import Snoozed
from ..settings import Settings
from .deferred import Defer, run_now

__all__ = ["SNOOZE_CHOICES", "make_ack_handler", "make_snooze_handler", "register_actions"]

Handler = Callable[..., None]


class AlertServices(Protocol):
    settings: Settings

    def is_admin(self, user_id: str) -> bool: ...

    def snooze_alert(
        self, key: str, choice: str, *, user_id: str, request: str | None = None
    ) -> Snoozed | None: ...

    def acknowledge_alert(self, key: str, *, user_id: str) -> Acknowledgement | None: ...


def _pressed(body: dict[str, Any]) -> tuple[str, str]:
    """The alert key (the button's value) and the user who pressed it."""
    action = (body.get("actions") or [{}])[0]
    return str(action.get("value", "")), str(body.get("user", {}).get("id", ""))


def _update(
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    line: str,
    logger: logging.Logger,
) -> None:
    """Rewrite the alert for everyone with `line` added and put `line` in its thread; if there
    is no message to rewrite, just tell the person who pressed."""
    message = body.get("message")
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (message or {}).get("ts")
    if not message or not message.get("blocks"):
        respond(text=line, response_type="ephemeral", replace_original=False)
        return
    text, blocks = message.get("text") or line, with_outcome(message["blocks"], line)
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as exc:  # e.g. message_not_found: the response URL still reaches it
        logger.warning(
            "chat.update of the alert failed (%s); replacing it through the response URL",
            exc.response.get("error"),
        )
        respond(text=text, blocks=blocks, replace_original=True)
    try:
        client.chat_postMessage(channel=channel, thread_ts=ts, text=line)
    except SlackApiError as exc:  # the alert itself says it already
        logger.warning("the alert's thread line failed: %s", exc.response.get("error"))


def make_snooze_handler(services: AlertServices, choice: str, defer: Defer = run_now) -> Handler:
    def handle_snooze(
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond,
        logger: logging.Logger,
    ) -> None:
        ack()
        defer(lambda: _snooze(services, choice, body, client, respond, logger))

    return handle_snooze


def _snooze(
    services: AlertServices,
    choice: str,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    logger: logging.Logger,
) -> None:
    key, user = _pressed(body)
    if not services.is_admin(user):
        logger.info("snooze of %s by %s refused: not in AICOST_ADMINS", key, user)
        respond(text=SNOOZE_REFUSED, response_type="ephemeral", replace_original=False)
        return
    request = request_key(str(body.get("trigger_id") or ""))
    snoozed = services.snooze_alert(key, choice, user_id=user, request=request)
    if snoozed is None:
        respond(text=UNKNOWN_ALERT, response_type="ephemeral", replace_original=False)
        return
    logger.info("alert kind %s snoozed until %s by %s", snoozed.kind, snoozed.until, user)
    line = snooze_line(
        snoozed.kind,
        snoozed.until,
        by=user,
        label=snoozed.label,
        tz=services.settings.tz,
        team=snoozed.team,
    )
    _update(body, client, respond, line, logger)


def make_ack_handler(services: AlertServices, defer: Defer = run_now) -> Handler:
    def handle_ack(
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond,
        logger: logging.Logger,
    ) -> None:
        ack()
        defer(lambda: _acknowledge(services, body, client, respond, logger))

    return handle_ack


def _acknowledge(
    services: AlertServices,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    logger: logging.Logger,
) -> None:
    key, user = _pressed(body)
    acked = services.acknowledge_alert(key, user_id=user)
    if acked is None:
        respond(text=UNKNOWN_ALERT, response_type="ephemeral", replace_original=False)
        return
    tz = services.settings.tz
    if not acked.new:
        when = f"{acked.at.astimezone(tz):%d %b %H:%M} {tz.key}"
        respond(
            text=f"You acknowledged this alert already, at {when}.",
            response_type="ephemeral",
            replace_original=False,
        )
        return
    logger.info("alert %s acknowledged by %s", key, user)
    _update(body, client, respond, ack_line(user, acked.at, tz, first=acked.first), logger)


def register_actions(app: App, *, services: Any, defer: Defer = run_now) -> None:
    """Wire the four alert buttons to their handlers; their work goes to `defer` after the ack."""
    for action_id, choice in SNOOZE_CHOICES.items():
        app.action(action_id)(make_snooze_handler(services, choice, defer))
    app.action(ACK_ACTION)(make_ack_handler(services, defer))
