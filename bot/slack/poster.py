"""Posting to Slack from jobs (alerts, digests), outside any slash command.

One WebClient on SLACK_API_URL with the bot token, which retries a 429 after its Retry-After
(slack_sdk's RateLimitErrorRetryHandler) and a dropped connection once. A post that still
fails raises `PostError` with a one-line reason and no token, so the caller can keep the
message pending and try again on its next run.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from ..core.posting import Posted, PostError
from ..settings import Settings
from .blocks import sendable

__all__ = ["EVENT_TYPE", "PostError", "Posted", "SlackPoster"]

EVENT_TYPE = "aicost_message"  # Slack message metadata: {"key": <alert or digest key>}
HISTORY_PAGES = 5  # 1,000 messages back: any channel's traffic in the minutes of one crash


class SlackPoster:
    """The `bot.core.posting.Poster` the jobs post through, on Slack's Web API."""

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
        key: str | None = None,
    ) -> Posted:
        """Post a message; `key` goes into its Slack metadata, so `find` can tell later
        whether this message already reached the channel (after a crash mid-post). Blocks Slack
        would refuse are dropped for the text (see `blocks.sendable`)."""
        metadata = (
            None if key is None else {"event_type": EVENT_TYPE, "event_payload": {"key": key}}
        )
        blocks = sendable(blocks, what=f"of {key or 'a message'} to {channel}")
        try:
            response = self.client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, thread_ts=thread_ts, metadata=metadata
            )
        except (SlackApiError, SlackRequestError, OSError) as exc:
            raise self._fail(exc) from None
        return Posted(channel=str(response.get("channel", channel)), ts=str(response.get("ts", "")))

    def find(self, channel: str, key: str, *, since: float) -> Posted | None:
        """The message posted with `key` in its metadata since `since` (a Unix time), if any.

        Reads conversations.history (scopes channels:history, groups:history) with
        include_all_metadata, newest first, at most HISTORY_PAGES pages. Raises PostError when
        the history cannot be read (a missing scope says so), so the caller decides.
        """
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            try:
                response = self.client.conversations_history(
                    channel=channel,
                    oldest=f"{since:.6f}",
                    include_all_metadata=True,
                    limit=200,
                    cursor=cursor,
                )
            except (SlackApiError, SlackRequestError, OSError) as exc:
                raise self._fail(exc) from None
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == EVENT_TYPE and payload.get("key") == key:
                    return Posted(channel=channel, ts=str(message.get("ts", "")))
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or cursor is None:
                return None
        return None

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
