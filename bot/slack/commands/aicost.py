"""`/aicost ...`: route the subcommand; every route acks at once and does slow work after."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from ...core.user_input import command_words
from ...messages import usage_text
from ...render.share import SHAREABLE
from ..deferred import Defer, run_now
from .answers import (
    SlashRequest,
    answer_audit,
    answer_breakeven,
    answer_forecast,
    answer_log_hours,
    answer_revenue,
    answer_settings,
    answer_status,
    answer_why,
)

__all__ = ["make_aicost_handler", "make_share_handler"]

Route = Callable[[SlashRequest], None]

ROUTES: dict[str, Route] = {
    "status": answer_status,
    "forecast": answer_forecast,
    "why": answer_why,
    "breakeven": answer_breakeven,
    "revenue": answer_revenue,
    "log-hours": answer_log_hours,
    "audit": answer_audit,
    "settings": answer_settings,
}


def make_share_handler(
    services: object, defer: Defer = run_now
) -> Callable[[Ack, dict, Respond, logging.Logger], None]:
    """The "Share in channel" button: the same command worked out again and posted for all."""

    def handle_share(ack: Ack, body: dict, respond: Respond, logger: logging.Logger) -> None:
        ack()
        action = (body.get("actions") or [{}])[0]
        words = command_words(str(action.get("value") or ""))
        user = str((body.get("user") or {}).get("id", ""))
        subcommand = words[0].lower() if words else ""
        if subcommand not in SHAREABLE:
            respond(text="This answer cannot be shared.", response_type="ephemeral")
            return

        def tell(text: str | None = None, **_: object) -> None:
            """An input error is told to the person who pressed (there is no ack to carry it)."""
            if text:
                respond(text=text, response_type="ephemeral", replace_original=False)

        command = {"user_id": user, "trigger_id": body.get("trigger_id") or ""}
        request = SlashRequest(
            services, words[1:], command, tell, respond, logger, defer, sharer=user
        )
        logger.info("/aicost %s shared in channel by %s", subcommand, user)
        ROUTES[subcommand](request)

    return handle_share


def make_aicost_handler(services: object, defer: Defer = run_now) -> Callable[..., None]:
    routes = ROUTES

    def handle_aicost(
        ack: Ack,
        command: dict,
        respond: Respond,
        logger: logging.Logger,
        client: WebClient | None = None,
    ) -> None:
        words = command_words(command.get("text") or "")
        subcommand = words[0].lower() if words else "help"
        route = routes.get(subcommand)
        if route is None:
            # Help and unknown input are answered in the ack itself: nothing slow to do.
            # response_type makes bolt send a JSON message payload rather than bare text.
            unknown = None if subcommand == "help" else words[0]
            ack(text=usage_text(unknown), response_type="ephemeral")
            return
        route(
            SlashRequest(services, words[1:], command, ack, respond, logger, defer, client=client)
        )

    return handle_aicost
