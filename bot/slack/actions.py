"""The alert buttons: snooze (a day, a week, the rest of the month) and acknowledge.

Each handler acks at once (Slack wants an answer within 3 s), records the choice in the alert
ledger with who made it (and in the audit log, in the same transaction), then rewrites the
alert in place: its text stays, with a line saying who snoozed or acknowledged it.

Snoozing silences a kind of alert for the whole team, so only aicost admins (AICOST_ADMINS)
may do it; anyone else gets a polite note only they can see. Acknowledging changes nothing
aicost does (it records who took the alert on), so anyone in the channel may press it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import Ack, App, Respond

from ..core.alerts.snooze import SNOOZE_CHOICES
from ..db.alerts import StoredAlert
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

    def acknowledge_alert(self, key: str, *, user_id: str) -> StoredAlert | None: ...


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


def make_snooze_handler(services: AlertServices, choice: str, defer: Defer = run_now) -> Handler:
    def handle_snooze(
        ack: Ack, body: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        defer(lambda: _snooze(services, choice, body, respond, logger))

    return handle_snooze


def _snooze(
    services: AlertServices,
    choice: str,
    body: dict[str, Any],
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
        snoozed.kind, snoozed.until, by=user, label=snoozed.label, tz=services.settings.tz
    )
    _update(body, respond, line)


def make_ack_handler(services: AlertServices, defer: Defer = run_now) -> Handler:
    def handle_ack(
        ack: Ack, body: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        defer(lambda: _acknowledge(services, body, respond, logger))

    return handle_ack


def _acknowledge(
    services: AlertServices, body: dict[str, Any], respond: Respond, logger: logging.Logger
) -> None:
    key, user = _pressed(body)
    if services.acknowledge_alert(key, user_id=user) is None:
        respond(text=UNKNOWN_ALERT, response_type="ephemeral", replace_original=False)
        return
    logger.info("alert %s acknowledged by %s", key, user)
    _update(body, respond, ack_line(user))


def register_actions(app: App, *, services: Any, defer: Defer = run_now) -> None:
    """Wire the four alert buttons to their handlers; their work goes to `defer` after the ack."""
    for action_id, choice in SNOOZE_CHOICES.items():
        app.action(action_id)(make_snooze_handler(services, choice, defer))
    app.action(ACK_ACTION)(make_ack_handler(services, defer))
