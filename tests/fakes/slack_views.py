"""Views for the Slack stand-in: views.publish (each user's App Home) and views.open (modals),
as Slack answers them.

Kept apart from the messages and uploads of `slack_api.py`: a Home view is per user, replaced
whole on each publish, and never appears in a channel's history; a modal is opened once per
trigger_id (Slack refuses a trigger used twice, or one more than 3 seconds old).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

__all__ = ["SlackHomes"]

MAX_VIEW_BLOCKS = 100  # Slack refuses a Home view with more (invalid_blocks)
MAX_MODAL_TEXT = 24  # a modal's title, submit and close texts
MAX_PRIVATE_METADATA = 3000


class SlackHomes:
    """Each user's published Home view; the caller holds the stand-in's lock."""

    def __init__(self, auth: Mapping[str, Any]) -> None:
        self.auth = auth  # the stand-in's auth.test answer: team and bot ids
        self.views: dict[str, dict[str, Any]] = {}  # user id -> the Home view published
        self.modals: list[dict[str, Any]] = []  # views.open: every modal opened, oldest first
        self.used_triggers: set[str] = set()
        self.expired_triggers: set[str] = set()  # a test marks a trigger as too old

    def publish(self, fields: dict[str, Any]) -> dict[str, Any]:
        """views.publish: the user's Home tab becomes `view`; answered with the view as Slack
        stores it (an id, a hash, the app's ids), or Slack's error for a view it refuses."""
        view = fields.get("view")
        if isinstance(view, str):  # form-encoded callers send the view as a JSON string
            try:
                view = json.loads(view)
            except ValueError:
                view = None
        user = fields.get("user_id")
        if not user or not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        if len(view.get("blocks") or []) > MAX_VIEW_BLOCKS:
            return {"ok": False, "error": "invalid_blocks"}
        self.views[user] = view
        view_id = f"V0AICOST{len(self.views):03d}"
        stored = {
            "id": view_id,
            "team_id": self.auth["team_id"],
            "type": "home",
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{time.time():.6f}.aicost",
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": "A0AICOST1",
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.auth["team_id"],
            "bot_id": self.auth["bot_id"],
        }
        return {"ok": True, "view": stored}

    def open(self, fields: dict[str, Any]) -> dict[str, Any]:
        """views.open: a modal for the trigger's user, checked as Slack checks it (a trigger is
        good once; texts and metadata within Slack's limits; every input block named)."""
        view = fields.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                view = None
        trigger = fields.get("trigger_id")
        if not trigger or not isinstance(view, dict) or view.get("type") != "modal":
            return {"ok": False, "error": "invalid_arguments"}
        if trigger in self.expired_triggers or trigger in self.used_triggers:
            return {"ok": False, "error": "expired_trigger_id"}
        if _modal_problem(view):
            return {"ok": False, "error": "invalid_arguments", "detail": _modal_problem(view)}
        self.used_triggers.add(trigger)
        view_id = f"V0MODAL{len(self.modals) + 1:03d}"
        stored = {
            **view,
            "id": view_id,
            "team_id": self.auth["team_id"],
            "state": {"values": {}},
            "hash": f"{time.time():.6f}.aicost",
            "root_view_id": view_id,
            "app_id": "A0AICOST1",
            "bot_id": self.auth["bot_id"],
        }
        self.modals.append({"trigger_id": trigger, "view": stored})
        return {"ok": True, "view": stored}


def _modal_problem(view: Mapping[str, Any]) -> str:
    """What Slack would refuse in a modal, or ''."""
    for key in ("title", "submit", "close"):
        text = view.get(key)
        if key == "title" and not isinstance(text, dict):
            return "a modal needs a plain_text title"
        if isinstance(text, dict) and (
            text.get("type") != "plain_text" or len(text.get("text", "")) > MAX_MODAL_TEXT
        ):
            return f"{key} must be plain_text of at most {MAX_MODAL_TEXT} characters"
    blocks = view.get("blocks") or []
    if len(blocks) > MAX_VIEW_BLOCKS:
        return f"more than {MAX_VIEW_BLOCKS} blocks"
    if len(view.get("private_metadata", "")) > MAX_PRIVATE_METADATA:
        return f"private_metadata over {MAX_PRIVATE_METADATA} characters"
    inputs = [b for b in blocks if b.get("type") == "input"]
    if inputs and not isinstance(view.get("submit"), dict):
        return "a modal with inputs needs a submit button"
    for block in inputs:
        element = block.get("element") or {}
        if not block.get("block_id") or not element.get("action_id"):
            return "every input block needs a block_id and its element an action_id"
    return ""
