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

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core.digest import Digest
from ..core.digest_period import WEEKLY, digest_key, period_for
from ..core.posting import Poster, PostError
from ..db.digests import DigestLog
from ..db.store import SpendStore
from ..errors import AicostError
from ..render.digest_chart import chart_alt_text, chart_png, chart_title
from ..render.digest_render import digest_blocks, digest_fallback
from ..settings import Settings
from .digest import build_digest
from .post_once import ALREADY_POSTED, FAILED, NOT_POSTED, POSTED, WAITING, post_once

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
    kind: str = WEEKLY,
    channel: str | None = None,
) -> DigestRun:
    """Build the `kind` digest for its last full period; write the chart; post both once per
    period to `channel` (default AICOST_DIGEST_CHANNEL).

    A period with days not yet synced is not posted: it is recorded as pending (WAITING) and
    `retry_pending_digest`, after each sync, posts it once the period is whole. With
    `allow_missing` it is posted as it is, saying which days are missing, and counts as sent.

    Raises DigestConfigError when posting without a bot token or a digest channel, and
    OSError (UnicodeEncodeError for a name no file system can hold) when the chart cannot be
    written; Slack failures are returned, not raised.
    """
    channel = channel or settings.digest_channel
    if post and poster is None:
        raise DigestConfigError("SLACK_BOT_TOKEN is not set: it is needed to post the digest")
    if post and not channel:
        raise DigestConfigError("AICOST_DIGEST_CHANNEL is not set: which channel gets the digest?")
    digest = build_digest(store, settings, now=now, kind=kind)
    upload = post and not digest.empty  # a period without spend is one line, with no chart
    png = chart_png(digest) if chart_path is not None or upload else None
    if chart_path is not None and png is not None:
        chart_path.write_bytes(png)
    if not post or poster is None or not channel:
        return DigestRun(digest, png, NOT_POSTED)

    log = DigestLog(store.engine)
    key = digest_key(kind, digest.week_start, channel, legacy_channel=settings.digest_channel)
    waiting = ""
    if digest.missing_days and not allow_missing:
        waiting = f"{WAITING}: {len(digest.missing_days)} days of the {digest.unit} not synced yet"
    delivery = post_once(
        log,
        poster,
        channel,
        key,
        now=now,
        text=digest_fallback(digest),
        blocks=digest_blocks(digest, chart_in_thread=upload),
        waiting=waiting,
    )
    if delivery.outcome != POSTED or delivery.posted is None:
        return DigestRun(digest, png, delivery.outcome, error=delivery.error)
    if not upload or png is None:
        return DigestRun(digest, png, POSTED)
    try:
        # Slack reports the channel's id; completeUploadExternal needs an id, not a #name.
        poster.upload_png(
            delivery.posted.channel,
            content=png,
            filename=f"aicost-{kind}-{digest.week_start.isoformat()}.png",
            title=chart_title(digest),
            alt_text=chart_alt_text(digest),
            thread_ts=delivery.posted.ts or None,
        )
    except PostError as exc:
        reason = f"chart upload failed: {exc}"
        log.update(key, error=reason)
        return DigestRun(digest, png, POSTED, chart_error=reason)
    return DigestRun(digest, png, POSTED)


def retry_pending_digest(
    store: SpendStore, settings: Settings, *, now: datetime, poster: Poster | None
) -> list[DigestRun]:
    """Post each channel's digest for its latest period again if its last attempt failed or
    waited for data; empty when nothing is pending.

    Meant to run after every scheduled sync, so a digest Slack refused in the morning arrives
    hours later, not a period later. Only the latest period is retried: by the next one an
    undelivered digest is stale and the new one replaces it.
    """
    if poster is None:
        return []
    log = DigestLog(store.engine)
    today = now.astimezone(settings.tz).date()
    runs = []
    for channel, kind in settings.digest_cadences.items():
        start = period_for(kind, today).start
        if log.pending(digest_key(kind, start, channel, legacy_channel=settings.digest_channel)):
            runs.append(
                run_digest(
                    store,
                    settings,
                    now=now,
                    poster=poster,
                    post=True,
                    chart_path=None,
                    kind=kind,
                    channel=channel,
                )
            )
    return runs
