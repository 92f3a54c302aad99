"""Slash command wiring: one `register_commands(app)` that maps commands to handlers."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from ...status import StatusReport
from .aicost import make_aicost_handler

__all__ = ["register_commands"]


def register_commands(app: App, *, load_status: Callable[[], StatusReport]) -> None:
    app.command("/aicost")(make_aicost_handler(load_status=load_status))
