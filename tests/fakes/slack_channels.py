"""Channels for the Slack stand-in: conversations.info and conversations.join as Slack answers
them, and the membership files_upload_v2 needs (`not_in_channel` otherwise).

Only channels a test registers are known here; the stand-in lets any other channel id through
as before, so tests that never register one see no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["FakeChannel", "SlackChannels"]


@dataclass
class FakeChannel:
    id: str
    name: str
    is_private: bool = False
    is_member: bool = True
    is_archived: bool = False

    def shape(self) -> dict[str, Any]:
        """The conversation object's fields a bot reads (Slack sends many more)."""
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_group": False,
            "is_im": False,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_member": self.is_member,
            "created": 1700000000,
        }


class SlackChannels:
    """The registered channels; every call here holds the stand-in's lock."""

    def __init__(self) -> None:
        self._channels: dict[str, FakeChannel] = {}

    def add(
        self,
        channel_id: str,
        name: str,
        *,
        private: bool = False,
        member: bool = True,
        archived: bool = False,
    ) -> FakeChannel:
        channel = FakeChannel(channel_id, name, private, member, archived)
        self._channels[channel_id] = channel
        return channel

    def get(self, channel_id: str) -> FakeChannel | None:
        return self._channels.get(channel_id)

    def clear(self) -> None:
        self._channels.clear()

    def info(self, fields: dict[str, Any], scopes: set[str]) -> dict[str, Any]:
        """conversations.info: channels:read for public channels, groups:read for private; a
        private channel the bot is not in does not exist for it (channel_not_found)."""
        channel = self._channels.get(str(fields.get("channel", "")))
        if channel is None or (channel.is_private and not channel.is_member):
            return {"ok": False, "error": "channel_not_found"}
        needed = "groups:read" if channel.is_private else "channels:read"
        if needed not in scopes:
            return _missing_scope(needed, scopes)
        return {"ok": True, "channel": channel.shape()}

    def join(self, fields: dict[str, Any], scopes: set[str]) -> dict[str, Any]:
        """conversations.join: public channels only, with channels:join."""
        if "channels:join" not in scopes:
            return _missing_scope("channels:join", scopes)
        channel = self._channels.get(str(fields.get("channel", "")))
        if channel is None or (channel.is_private and not channel.is_member):
            return {"ok": False, "error": "channel_not_found"}
        if channel.is_private:
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        if channel.is_archived:
            return {"ok": False, "error": "is_archived"}
        answer: dict[str, Any] = {"ok": True}
        if channel.is_member:
            answer["warning"] = "already_in_channel"
            answer["response_metadata"] = {"warnings": ["already_in_channel"]}
        channel.is_member = True
        answer["channel"] = channel.shape()
        return answer

    def upload_refused(self, channel_id: str | None) -> str | None:
        """Why a file cannot be shared in channel_id, as files.completeUploadExternal says."""
        channel = self._channels.get(str(channel_id))
        if channel is None:
            return None
        if channel.is_private and not channel.is_member:
            return "channel_not_found"
        return None if channel.is_member else "not_in_channel"


def _missing_scope(needed: str, scopes: set[str]) -> dict[str, Any]:
    return {
        "ok": False,
        "error": "missing_scope",
        "needed": needed,
        "provided": ",".join(sorted(scopes)),
    }
