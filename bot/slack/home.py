"""The App Home tab: `app_home_opened` (and its Refresh button) → `views.publish`.

The event is acknowledged at once and the view is built and published after the ack (the work
goes to `defer`, as every slow answer does): gathering the status and the break-even answer
can take longer than Slack waits for an ack, and Slack retries an event it thinks was lost.
Works the same over HTTP and Socket Mode: bolt hands both the same event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ..core.home import HomeFacts
from ..render.home_view import HOME_REFRESH_ACTION, home_view
from ..render.limits import MAX_VIEW_BLOCKS
from .blocks import check_blocks
from .deferred import Defer, run_now

__all__ = ["publish_home", "register_home"]

Handler = Callable[..., None]
UNAVAILABLE = "aicost could not draw this page just now; the logs say why. Try Refresh."


class HomeServices(Protocol):
    def home(self, user_id: str = "") -> HomeFacts: ...


def publish_home(
    services: HomeServices, client: WebClient, user_id: str, logger: logging.Logger
) -> None:
    """Build the user's Home and publish it; a view Slack would refuse is replaced by a short
    apology (and the cause logged), so the tab never stays blank without a word."""
    try:
        view = home_view(services.home(user_id))
    except Exception:  # noqa: BLE001 - the tab must say something; the log keeps the cause
        logger.exception("the App Home could not be built")
        view = _apology()
    problems = check_blocks(view["blocks"], max_blocks=MAX_VIEW_BLOCKS)
    if problems:
        logger.error("the App Home breaks Slack's limits: %s", problems[:3])
        view = _apology()
    try:
        client.views_publish(user_id=user_id, view=view)
    except SlackApiError as exc:
        logger.warning("views.publish failed: %s", exc.response.get("error"))


def _apology() -> dict[str, Any]:
    text = {"type": "mrkdwn", "text": UNAVAILABLE}
    return {"type": "home", "blocks": [{"type": "section", "text": text}]}


def make_home_opened_handler(services: HomeServices, defer: Defer = run_now) -> Handler:
    def handle_home_opened(
        ack: Ack, event: dict[str, Any], client: WebClient, logger: logging.Logger
    ) -> None:
        ack()
        user = str(event.get("user") or "")
        if event.get("tab", "home") != "home" or not user:  # the Messages tab: nothing to draw
            return
        defer(lambda: publish_home(services, client, user, logger))

    return handle_home_opened


def make_refresh_handler(services: HomeServices, defer: Defer = run_now) -> Handler:
    def handle_refresh(
        ack: Ack, body: dict[str, Any], client: WebClient, logger: logging.Logger
    ) -> None:
        ack()
        user = str((body.get("user") or {}).get("id") or "")
        if user:
            defer(lambda: publish_home(services, client, user, logger))

    return handle_refresh


def register_home(app: App, *, services: Any, defer: Defer = run_now) -> None:
    """Wire the Home tab's event and its Refresh button; the drawing goes to `defer`."""
    app.event("app_home_opened")(make_home_opened_handler(services, defer))
    app.action(HOME_REFRESH_ACTION)(make_refresh_handler(services, defer))
