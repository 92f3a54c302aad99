"""Building, charting and posting the weekly digest, once per week.

Delivery follows the alerts' rule: the week's `DigestRow` is recorded (and the attempt counted)
before anything is sent, and the digest is marked delivered the moment `chat.postMessage`
returns, before the chart is uploaded. Slack has no idempotency key, so one of two risks must
be taken for a crash in the middle of a post:

- at-least-once (what we do): a crash after Slack took the message but before the one-row
  commit that marks it delivered would post it again on the next run. That window is a single
  local commit wide.
- at-most-once would instead lose the week's digest whenever the process died during the post
  itself, which lasts as long as Slack's Retry-After waits: far more likely than the above.

A Slack failure (`PostError`) leaves the row pending, with the attempt and the reason, and
returns normally: `retry_pending_digest` (called after each sync) or the next run tries again.
The chart is a follow-up posted in the digest's thread, not as a second channel message: the
channel gets one entry a week, and the chart stays attached to its numbers even when an alert
lands in the same channel between the two calls. Its failure is recorded (in `last_error`, the
digest still delivered) but never re-posts the digest: a number arriving twice costs more trust
than a missing picture.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core.clock import timer_now
from ..core.digest import Digest
from ..core.posting import Posted, Poster, PostError
from ..db.digests import DigestLog
from ..db.store import SpendStore
from ..errors import AicostError
from ..render.digest_chart import chart_alt_text, chart_png, chart_title
from ..render.digest_render import digest_blocks, digest_fallback
from ..settings import Settings
from . import checkpoints
from .digest import build_digest, last_full_week

logger = logging.getLogger("aicost.digest")
HISTORY_MARGIN_SECONDS = 300  # clock skew between this machine and Slack's message times

__all__ = [
    "ALREADY_POSTED",
    "FAILED",
    "NOT_POSTED",
    "WAITING",
    "POSTED",
    "DigestConfigError",
    "DigestRun",
    "retry_pending_digest",
    "run_digest",
]

NOT_POSTED, POSTED, ALREADY_POSTED, FAILED = "not posted", "posted", "already posted", "failed"
WAITING = "waiting for data"  # pending: goes out after the sync that completes the week


class DigestConfigError(AicostError):
    """Posting was asked for without a setting it needs; the message names the setting."""


@dataclass(frozen=True, slots=True)
class DigestRun:
    digest: Digest
    chart: bytes | None  # the PNG, when one was written or posted
    outcome: str  # not posted, posted, already posted or failed
    error: str = ""  # why the digest was not delivered (outcome failed)
    chart_error: str = ""  # why the chart upload failed after the digest was delivered


def run_digest(
    store: SpendStore,
    settings: Settings,
    *,
    now: datetime,
    poster: Poster | None,
    post: bool,
    chart_path: Path | None,
    allow_missing: bool = False,
) -> DigestRun:
    """Build the digest for the last full week; write the chart; post both once per week.

    A week with days not yet synced is not posted: it is recorded as pending (WAITING) and
    `retry_pending_digest`, after each sync, posts it once the week is whole. With
    `allow_missing` it is posted as it is, saying which days are missing, and counts as sent.

    Raises DigestConfigError when posting without a bot token or a digest channel, and
    OSError (UnicodeEncodeError for a name no file system can hold) when the chart cannot be
    written; Slack failures are returned, not raised.
    """
    channel = settings.digest_channel
    if post and poster is None:
        raise DigestConfigError("SLACK_BOT_TOKEN is not set: it is needed to post the digest")
    if post and not channel:
        raise DigestConfigError("AICOST_DIGEST_CHANNEL is not set: which channel gets the digest?")
    digest = build_digest(store, settings, now=now)
    upload = post and not digest.empty  # a week without spend is one line, with no chart
    png = chart_png(digest) if chart_path is not None or upload else None
    if chart_path is not None and png is not None:
        chart_path.write_bytes(png)
    if not post or poster is None or not channel:
        return DigestRun(digest, png, NOT_POSTED)

    log = DigestLog(store.engine)
    if not log.claim(digest.week_start, now):
        return DigestRun(digest, png, ALREADY_POSTED)
    if digest.missing_days and not allow_missing:
        reason = f"{WAITING}: {len(digest.missing_days)} days of the week not synced yet"
        log.update(digest.week_start, error=reason)
        return DigestRun(digest, png, WAITING, error=reason)
    key = f"digest:{digest.week_start.isoformat()}"
    posted = _already_posted(poster, channel, key, log.post_started(digest.week_start))
    if posted is None:
        log.mark_posting(digest.week_start, at=timer_now())
        try:
            posted = poster.post(
                channel,
                text=digest_fallback(digest),
                blocks=digest_blocks(digest, chart_in_thread=upload),
                key=key,
            )
        except PostError as exc:
            log.update(digest.week_start, error=str(exc))
            return DigestRun(digest, png, FAILED, error=str(exc))
        checkpoints.reached("digest", "posted")  # tests kill here: posted, not yet recorded
    log.update(digest.week_start, delivered_at=now, error="")
    if not upload or png is None:
        return DigestRun(digest, png, POSTED)
    try:
        # Slack reports the channel's id; completeUploadExternal needs an id, not a #name.
        poster.upload_png(
            posted.channel,
            content=png,
            filename=f"aicost-weekly-{digest.week_start.isoformat()}.png",
            title=chart_title(digest),
            alt_text=chart_alt_text(digest),
            thread_ts=posted.ts or None,
        )
    except PostError as exc:
        reason = f"chart upload failed: {exc}"
        log.update(digest.week_start, error=reason)
        return DigestRun(digest, png, POSTED, chart_error=reason)
    return DigestRun(digest, png, POSTED)


def _already_posted(
    poster: Poster, channel: str, key: str, started: datetime | None
) -> Posted | None:
    """The digest message a crashed run posted (found by its metadata key), if one did."""
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


def retry_pending_digest(
    store: SpendStore, settings: Settings, *, now: datetime, poster: Poster | None
) -> DigestRun | None:
    """Post this week's digest again if its last attempt failed; None when nothing is pending.

    Meant to run after every scheduled sync, so a digest Slack refused on Monday morning
    arrives hours later, not a week later. Only the latest week is retried: by the next
    Monday an undelivered digest is stale and the new one replaces it.
    """
    if poster is None or not settings.digest_channel:
        return None
    week_start, _ = last_full_week(now, settings)
    if not DigestLog(store.engine).pending(week_start):
        return None
    return run_digest(store, settings, now=now, poster=poster, post=True, chart_path=None)
