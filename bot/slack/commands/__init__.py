"""Slash command wiring: one `register_commands(app)` that maps commands to handlers."""

from __future__ import annotations

from slack_bolt import App

from ...render.share import SHARE_ACTION
from ..deferred import Defer, run_now
from .aicost import make_aicost_handler, make_share_handler

__all__ = ["register_commands"]


def register_commands(app: App, *, services: object, defer: Defer = run_now) -> None:
    """`/aicost`; its slow answers go to `defer` (serve's WorkPool) after the ack."""
    app.command("/aicost")(make_aicost_handler(services, defer))
    app.action(SHARE_ACTION)(make_share_handler(services, defer))
