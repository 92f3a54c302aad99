"""Posting to Slack from jobs (alerts, digests), outside any slash command.

One WebClient on SLACK_API_URL with the bot token, which retries a 429 after its Retry-After
(slack_sdk's RateLimitErrorRetryHandler) and a dropped connection once. A post that still
fails raises `PostError` with a one-line reason and no token, so the caller can keep the
message pending and try again on its next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from ..settings import Settings

__all__ = ["PostError", "Posted", "SlackPoster"]


class PostError(Exception):
    """Slack did not take the message; str() is one line, safe to store and show."""


@dataclass(frozen=True, slots=True)
class Posted:
    channel: str  # the channel id Slack reports
    ts: str  # the message timestamp: its id, for threading and updates


class SlackPoster:
    def __init__(self, *, token: str, base_url: str, rate_limit_retries: int = 3) -> None:
        self._token = token
        self.client = WebClient(
            token=token,
            base_url=base_url,
            retry_handlers=[
                ConnectionErrorRetryHandler(max_retry_count=1),
                RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries),
            ],
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> SlackPoster | None:
        """None when no bot token is configured: jobs then only print."""
        if settings.slack_bot_token is None:
            return None
        return cls(
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
        )

    def _fail(self, exc: Exception) -> PostError:
        if isinstance(exc, SlackApiError):
            reason = f"Slack answered {exc.response.status_code}: {exc.response.get('error')}"
        else:
            reason = f"could not reach Slack ({type(exc).__name__})"
        return PostError(reason.replace(self._token, "[token]"))

    def post(
        self,
        channel: str,
        *,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        thread_ts: str | None = None,
    ) -> Posted:
        try:
            response = self.client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, thread_ts=thread_ts
            )
        except (SlackApiError, SlackRequestError, OSError) as exc:
            raise self._fail(exc) from None
        return Posted(channel=str(response.get("channel", channel)), ts=str(response.get("ts", "")))

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
    ) -> None:
        """Upload a PNG with files_upload_v2: getUploadURLExternal, the bytes, then complete."""
        try:
            self.client.files_upload_v2(
                channel=channel,
                content=content,
                filename=filename,
                title=title,
                alt_txt=alt_text,
                initial_comment=comment,
                thread_ts=thread_ts,
            )
        except (SlackApiError, SlackRequestError, OSError) as exc:
            raise self._fail(exc) from None
