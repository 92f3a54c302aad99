"""What alert and digest jobs need of a chat: post, find an earlier post, upload a chart.

A protocol, so that the services that decide what to say never import Slack: `bot/slack/
poster.py` implements it with slack_sdk, and tests may hand in anything that speaks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import AicostError

__all__ = ["PostError", "Posted", "Poster"]


class PostError(AicostError):
    """The chat did not take the message; str() is one line, safe to store and show."""


@dataclass(frozen=True, slots=True)
class Posted:
    channel: str  # the channel id the chat reports
    ts: str  # the message timestamp: its id, for threading and updates


class Poster(Protocol):
    def post(
        self,
        channel: str,
        *,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        thread_ts: str | None = None,
        key: str | None = None,
    ) -> Posted:
        """Post a message carrying `key`, so that `find` can tell later that it went out."""
        ...

    def find(self, channel: str, key: str, *, since: float) -> Posted | None:
        """The message posted with `key` since `since` (Unix time), if any; PostError if the
        channel's history cannot be read."""
        ...

    def upload_png(
        self,
        channel: str,
        *,
        content: bytes,
        filename: str,
        title: str,
        alt_text: str,
        comment: str | None = None,
        thread_ts: str | None = None,
    ) -> None: ...
