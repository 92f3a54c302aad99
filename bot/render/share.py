"""The "Share in channel" button under a private answer, and the line on the shared copy.

Answers to `/aicost` are ephemeral: only the person who asked sees them. When the figure is
worth showing the team, re-typing the command in public is clumsy and posts a second request;
the button asks for the same answer again, posted to the channel for everyone, with who shared
it. The button carries the command's words (never a figure), so what is shared is worked out
fresh from the same data, and says its own "as of".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .limits import MAX_BLOCKS

__all__ = ["SHARE_ACTION", "SHAREABLE", "shared_by", "with_share_button"]

SHARE_ACTION = "aicost_share"
# Read-only answers; revenue and the audit log are for admins' eyes, not a channel's.
SHAREABLE = frozenset({"status", "forecast", "why", "breakeven"})
MAX_VALUE = 2000  # Slack's limit on a button's value


def with_share_button(
    blocks: Sequence[dict[str, Any]], words: Sequence[str]
) -> list[dict[str, Any]]:
    """The answer with a Share button at the end (left off when there is no room for it)."""
    value = " ".join(words)
    if len(blocks) >= MAX_BLOCKS or len(value) > MAX_VALUE or not words:
        return list(blocks)
    button = {
        "type": "button",
        "action_id": SHARE_ACTION,
        "text": {"type": "plain_text", "text": "Share in channel"},
        "value": value,
    }
    return [*blocks, {"type": "actions", "block_id": "aicost_share", "elements": [button]}]


def shared_by(blocks: Sequence[dict[str, Any]], user: str) -> list[dict[str, Any]]:
    """The shared copy: the answer's blocks (without any Share button) and who shared it."""
    kept = [b for b in blocks if b.get("block_id") != "aicost_share"][: MAX_BLOCKS - 1]
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Shared by <@{user}>"}]}
    return [*kept, note]
