"""Block Kit checked by slack_sdk before a message leaves: Slack refuses a whole message
(`invalid_blocks`) for one block over a limit, and the user would get nothing.

The renderers build plain dicts and clip their texts to the limits in `bot/render/limits.py`;
here each block is parsed into slack_sdk's own model and validated there, so the limits are the
library's, kept current with Slack's. Two it does not check are checked here: the number of
blocks in a message and the length of a section field's text.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

from ..render.limits import MAX_BLOCKS, MAX_FIELD_TEXT

__all__ = ["check_blocks", "sendable"]

log = logging.getLogger("aicost.slack")


def check_blocks(blocks: list[dict[str, Any]], *, max_blocks: int = MAX_BLOCKS) -> list[str]:
    """Every way blocks break Slack's limits; an empty list means they are fine to send.

    `max_blocks` is a message's 50 unless said otherwise (a view, such as the App Home, may
    hold 100: `MAX_VIEW_BLOCKS`)."""
    problems = []
    if len(blocks) > max_blocks:
        problems.append(f"{len(blocks)} blocks (max {max_blocks})")
    for index, block in enumerate(blocks):
        try:
            model = Block.parse(block)
            if model is None:
                raise SlackObjectFormationError(f"not a block: {block.get('type')!r}")
            model.validate_json()
        except SlackObjectFormationError as exc:
            problems.append(f"block {index}: {block.get('type')}: {exc}")
            continue
        problems += [
            f"block {index}: field {n} {len(field['text'])} chars (max {MAX_FIELD_TEXT})"
            for n, field in enumerate(block.get("fields") or [])
            if len(field.get("text", "")) > MAX_FIELD_TEXT
        ]
    return problems


def sendable(blocks: list[dict[str, Any]] | None, *, what: str) -> list[dict[str, Any]] | None:
    """`blocks` if Slack will take them; None, with the cause logged, when it would refuse the
    whole message for them, so the caller sends its text alone rather than nothing. Both ways
    a message leaves (an answer on response_url, a job's chat.postMessage) go through here."""
    problems = check_blocks(blocks or [])
    if not problems:
        return blocks
    log.error("the blocks %s break Slack's limits: %s", what, problems[:3])
    return None
