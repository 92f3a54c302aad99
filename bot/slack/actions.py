"""The alert buttons: snooze (a day, a week, the rest of the month) and acknowledge.

Each handler acks at once (Slack wants an answer within 3 s), records the choice in the alert
ledger with who made it, then rewrites the alert in place: its text stays, with a line saying
who snoozed or acknowledged it. Anyone in the channel may press them for now; `by` is recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import Ack, App, Respond

from ..alerts.service import acknowledge_alert, snooze_alert
from ..clock import utc_now
from ..db.store import SpendStore
from ..render.alert_blocks import ACK_ACTION, ack_line, snooze_line, with_outcome
from ..settings import Settings

__all__ = ["SNOOZE_CHOICES", "make_ack_handler", "make_snooze_handler", "register_actions"]

SNOOZE_CHOICES = {
    "aicost_snooze_1d": "1d",
    "aicost_snooze_7d": "7d",
    "aicost_snooze_month": "month",
}
UNKNOWN_ALERT = "That alert is no longer in the ledger; nothing was changed."

Handler = Callable[..., None]


class AlertServices(Protocol):
    store: SpendStore
    settings: Settings


def _pressed(body: dict[str, Any]) -> tuple[str, str]:
    """The alert key (the button's value) and the user who pressed it."""
    action = (body.get("actions") or [{}])[0]
    return str(action.get("value", "")), str(body.get("user", {}).get("id", ""))


def _update(body: dict[str, Any], respond: Respond, line: str) -> None:
    """Rewrite the alert with `line` added; if there is no message to rewrite, just say it."""
    message = body.get("message")
    if not message or not message.get("blocks"):
        respond(text=line, response_type="ephemeral", replace_original=False)
        return
    respond(
        text=message.get("text") or line,
        blocks=with_outcome(message["blocks"], line),
        replace_original=True,
    )


def make_snooze_handler(services: AlertServices, choice: str) -> Handler:
    def handle_snooze(
        ack: Ack, body: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        key, user = _pressed(body)
        snoozed = snooze_alert(
            services.store, services.settings, key=key, choice=choice, by=user, now=utc_now()
        )
        if snoozed is None:
            respond(text=UNKNOWN_ALERT, response_type="ephemeral", replace_original=False)
            return
        logger.info("alert kind %s snoozed until %s by %s", snoozed.kind, snoozed.until, user)
        line = snooze_line(
            snoozed.kind, snoozed.until, by=user, label=snoozed.label, tz=services.settings.tz
        )
        _update(body, respond, line)

    return handle_snooze


def make_ack_handler(services: AlertServices) -> Handler:
    def handle_ack(
        ack: Ack, body: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        key, user = _pressed(body)
        if acknowledge_alert(services.store, key=key, by=user, now=utc_now()) is None:
            respond(text=UNKNOWN_ALERT, response_type="ephemeral", replace_original=False)
            return
        logger.info("alert %s acknowledged by %s", key, user)
        _update(body, respond, ack_line(user))

    return handle_ack


def register_actions(app: App, *, services: Any) -> None:
    """Wire the four alert buttons to their handlers."""
    for action_id, choice in SNOOZE_CHOICES.items():
        app.action(action_id)(make_snooze_handler(services, choice))
    app.action(ACK_ACTION)(make_ack_handler(services))
