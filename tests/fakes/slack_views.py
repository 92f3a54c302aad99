"""The App Home for the Slack stand-in: views.publish as Slack answers it, and each user's view.

Kept apart from the messages and uploads of `slack_api.py`: a Home view is per user, replaced
whole on each publish, and never appears in a channel's history.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

__all__ = ["SlackHomes"]

MAX_VIEW_BLOCKS = 100  # Slack refuses a Home view with more (invalid_blocks)


class SlackHomes:
    """Each user's published Home view; the caller holds the stand-in's lock."""

    def __init__(self, auth: Mapping[str, Any]) -> None:
        self.auth = auth  # the stand-in's auth.test answer: team and bot ids
        self.views: dict[str, dict[str, Any]] = {}  # user id -> the Home view published

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
