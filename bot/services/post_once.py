"""Posting a digest or a report once per key, across retries, restarts and crashes.

The key's row is claimed (and the attempt counted) before anything is sent, the moment a post
starts is committed first, and the row is marked delivered as soon as `chat.postMessage`
returns. A run that finds a post started and never recorded looks for the message by its key
in the channel's history before posting again (see `bot/services/digest_posting.py` for the
at-least-once reasoning).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..core.clock import timer_now
from ..core.posting import Posted, Poster, PostError
from ..db.digests import DigestLog
from . import checkpoints

__all__ = ["ALREADY_POSTED", "FAILED", "NOT_POSTED", "POSTED", "WAITING", "Delivery", "post_once"]

NOT_POSTED, POSTED, ALREADY_POSTED, FAILED = "not posted", "posted", "already posted", "failed"
WAITING = "waiting for data"  # pending: goes out after the sync that completes its days
HISTORY_MARGIN_SECONDS = 300  # clock skew between this machine and Slack's message times
logger = logging.getLogger("aicost.digest")


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: str
    posted: Posted | None = None  # set when this run posted it (or found it posted)
    error: str = ""


def post_once(
    log: DigestLog,
    poster: Poster,
    channel: str,
    key: str,
    *,
    now: datetime,
    text: str,
    blocks: list[dict[str, Any]],
    waiting: str = "",
) -> Delivery:
    """Post under `key` unless it was delivered; `waiting` (a reason) keeps it pending instead."""
    if not log.claim(key, now):
        return Delivery(ALREADY_POSTED)
    if waiting:
        log.update(key, error=waiting)
        return Delivery(WAITING, error=waiting)
    posted = _already_posted(poster, channel, key, log.post_started(key))
    if posted is None:
        log.mark_posting(key, at=timer_now())
        try:
            posted = poster.post(channel, text=text, blocks=blocks, key=key)
        except PostError as exc:
            log.update(key, error=str(exc))
            return Delivery(FAILED, error=str(exc))
        checkpoints.reached("digest", "posted")  # tests kill here: posted, not yet recorded
    log.update(key, delivered_at=now, error="")
    return Delivery(POSTED, posted)


def _already_posted(
    poster: Poster, channel: str, key: str, started: datetime | None
) -> Posted | None:
    """The message a crashed run posted (found by its metadata key), if one did."""
    if started is None:
        return None
    try:
        return poster.find(channel, key, since=started.timestamp() - HISTORY_MARGIN_SECONDS)
    except PostError as exc:
        logger.warning(
            "could not check whether %s was already posted (%s); posting it again. Add the "
            "channels:history and groups:history scopes for exactly once.",
            key,
            exc,
        )
        return None
