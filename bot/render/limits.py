"""Slack's Block Kit limits, kept in one place and checked before anything is sent.

The renderers clip their texts to these sizes as they build blocks; the Slack edge then checks
every message with slack_sdk's own models before sending it (`bot/slack/blocks.py`). Source:
docs.slack.dev/reference/block-kit/blocks.
"""

from __future__ import annotations

__all__ = ["MAX_BLOCKS", "MAX_SECTION_TEXT", "MAX_VIEW_BLOCKS", "clip"]

MAX_BLOCKS = 50  # a message
MAX_VIEW_BLOCKS = 100  # a modal or the App Home tab
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 40_000


def clip(text: str, limit: int) -> str:
    """Shorten text to limit characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
