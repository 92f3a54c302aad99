"""Answers through a command's response_url, retried: a 5xx or a dropped connection on Slack's
side is not a lost answer.

Measured before: a 5xx from response_url was never retried and nothing was logged, including
"Revenue for 2026-10 set to $5.00" for a change that had been committed. Slack accepts up to
five messages on one response_url within 30 minutes, so an answer gets five tries, about a
minute and a half in all; a failure is logged without the URL (its path is a credential).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from .blocks import sendable

__all__ = ["RETRY_DELAYS", "deliver"]

RETRY_DELAYS = (1.0, 4.0, 16.0, 64.0)  # after the first try: five tries in all

log = logging.getLogger("aicost.slack")


def deliver(
    respond: Callable[..., Any],
    message: dict[str, Any],
    *,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Post `message` through `respond`; True once Slack took it. 5xx, 429 and network errors
    are tried again; any other 4xx (an expired response_url) is final. Blocks that break Slack's
    limits would lose the whole answer, so then the text alone is sent (and the cause logged)."""
    if sendable(message.get("blocks"), what=f"answering /aicost {what}") is None:
        message = {k: v for k, v in message.items() if k != "blocks"}
    why = ""
    for delay in (0.0, *RETRY_DELAYS):
        if delay:
            sleep(delay)
        try:
            response = respond(**message)
        except Exception as exc:  # noqa: BLE001 - the network, or Slack closing on us
            why = type(exc).__name__
            continue
        status = int(getattr(response, "status_code", 200))
        if status < 400:
            return True
        why = f"HTTP {status}"
        if status < 500 and status != 429:
            break
    log.error("the answer to /aicost %s was not delivered (%s)", what, why)
    return False
