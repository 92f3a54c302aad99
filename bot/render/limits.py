"""Slack's Block Kit limits, kept in one place and checked before anything is sent.

Sources: docs.slack.dev/reference/block-kit/blocks and slack_sdk's block models.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_BLOCKS", "MAX_SECTION_TEXT", "check_blocks", "clip"]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 40_000


def clip(text: str, limit: int) -> str:
    """Shorten text to limit characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_blocks(blocks: list[dict[str, Any]]) -> list[str]:
    """Every way blocks break Slack's limits; an empty list means they are fine to send."""
    problems = []
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks (max {MAX_BLOCKS})")
    for index, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "section":
            text = block.get("text", {}).get("text", "")
            if len(text) > MAX_SECTION_TEXT:
                problems.append(f"block {index}: section text {len(text)} chars")
            fields = block.get("fields", [])
            if len(fields) > MAX_FIELDS:
                problems.append(f"block {index}: {len(fields)} fields")
            problems += [
                f"block {index}: field {n} {len(f['text'])} chars"
                for n, f in enumerate(fields)
                if len(f["text"]) > MAX_FIELD_TEXT
            ]
        elif kind == "header" and len(block["text"]["text"]) > MAX_HEADER_TEXT:
            problems.append(f"block {index}: header {len(block['text']['text'])} chars")
        elif kind == "context" and len(block.get("elements", [])) > MAX_CONTEXT_ELEMENTS:
            problems.append(f"block {index}: {len(block['elements'])} context elements")
    return problems
