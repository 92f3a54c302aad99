"""`/aicost ...`: acknowledge at once, then work out the answer and send it via response_url."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import Ack, Respond

from ...render.status_blocks import status_blocks, status_fallback
from ...status import StatusReport
from .usage import usage_text

__all__ = ["make_aicost_handler"]

FAILED = (
    "Sorry, I couldn't work out the figures just now ({kind}). "
    "Nothing was changed; try again in a minute, and check the aicost logs if it persists."
)


def make_aicost_handler(
    *, load_status: Callable[[], StatusReport]
) -> Callable[[Ack, dict, Respond, logging.Logger], None]:
    def handle_aicost(ack: Ack, command: dict, respond: Respond, logger: logging.Logger) -> None:
        words = (command.get("text") or "").split()
        subcommand = words[0].lower() if words else "help"
        if subcommand != "status":
            # Help and unknown input are answered in the ack itself: nothing slow to do.
            # response_type makes bolt send a JSON message payload rather than bare text.
            ack(
                text=usage_text(None if subcommand == "help" else words[0]),
                response_type="ephemeral",
            )
            return
        # Slack gives us 3 seconds: ack first, then query the database.
        ack()
        try:
            report = load_status()
        except Exception as exc:  # noqa: BLE001 - the user must get an answer, not silence
            logger.exception("/aicost status failed")
            respond(text=FAILED.format(kind=type(exc).__name__), response_type="ephemeral")
            return
        respond(
            blocks=status_blocks(report),
            text=status_fallback(report),
            response_type="ephemeral",
        )

    return handle_aicost
