"""The parts every aicost modal is built of: its frame, an input box, a text box, a channel
picker. Shared by the settings modals and the team modal, so each box looks and is limited
(Slack's lengths) the same way everywhere."""

from __future__ import annotations

from typing import Any

from .limits import clip

__all__ = [
    "MAX_MODAL_TITLE",
    "VALUE_ACTION",
    "channel_box",
    "input_block",
    "modal",
    "plain",
    "text_box",
]

MAX_MODAL_TITLE = 24  # a modal's title, submit and close texts
MAX_INPUT_VALUE = 3000  # a plain_text_input's initial value
VALUE_ACTION = "value"  # every box's element: the block id says what it holds


def plain(text: str, limit: int = MAX_MODAL_TITLE) -> dict[str, str]:
    return {"type": "plain_text", "text": clip(text, limit)}


def modal(callback_id: str, title: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def input_block(
    block_id: str, label: str, element: dict[str, Any], *, hint: str = "", optional: bool = True
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": plain(label, 2000),
        "element": {"action_id": VALUE_ACTION, **element},
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def text_box(value: str, placeholder: str, *, multiline: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "placeholder": plain(placeholder, 150)}
    if multiline:
        element["multiline"] = True
    if value:
        element["initial_value"] = clip(value, MAX_INPUT_VALUE)
    return element


def channel_box(channel: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        "placeholder": plain("Pick a channel", 150),
    }
    if channel:
        element["initial_conversation"] = channel
    return element
