"""The audit log as terminal text (`aicost audit`) and as Block Kit (`/aicost audit`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from ..core.records import AuditEntry
from .limits import MAX_SECTION_TEXT, clip
from .mrkdwn import escape

__all__ = ["audit_blocks", "audit_fallback", "audit_text"]

NOTHING_YET = "No changes recorded yet."
MAX_SHOWN_DETAIL = 400  # per entry, so 15 entries stay short to read


def _who(actor: str) -> str:
    """`slack:U123` as a mention; anything else (`cli`) as it is."""
    kind, _, user = actor.partition(":")
    return f"<@{user}>" if kind == "slack" and user else f"`{escape(actor)}`"


UNCONFIRMED = " (made, but the answer never reached them in Slack)"


def _unconfirmed(entry: AuditEntry) -> str:
    """A change asked for in Slack whose confirmation could not be delivered: said so."""
    return UNCONFIRMED if entry.request_key and entry.answered_at is None else ""


def audit_text(entries: Sequence[AuditEntry], *, tz: ZoneInfo) -> str:
    """One line per entry, newest first: when, who, what."""
    if not entries:
        return NOTHING_YET
    return "\n".join(
        f"{e.at.astimezone(tz):%Y-%m-%d %H:%M}  {e.actor:<16}  {e.action:<14}  {e.detail}"
        f"{_unconfirmed(e)}"
        for e in entries
    )


def audit_blocks(entries: Sequence[AuditEntry], *, tz: ZoneInfo) -> list[dict[str, Any]]:
    """A heading and one short section per entry (15 entries are 16 blocks, well under 50)."""
    zone = getattr(tz, "key", str(tz))
    heading = f"*Latest changes to aicost*, newest first (times in {zone})"
    if not entries:
        heading += f"\n{NOTHING_YET}"
    blocks = [_section(heading)]
    for e in entries:
        detail = clip(escape(e.detail), MAX_SHOWN_DETAIL)
        when = f"{e.at.astimezone(tz):%d %b %H:%M}"
        blocks.append(_section(f"`{when}` {_who(e.actor)} *{e.action}*: {detail}{_unconfirmed(e)}"))
    return blocks


def audit_fallback(entries: Sequence[AuditEntry]) -> str:
    """The notification text."""
    if not entries:
        return NOTHING_YET
    return f"The latest {len(entries)} changes to aicost, newest first."


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}
