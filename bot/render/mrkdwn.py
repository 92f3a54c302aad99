"""Text for Slack's mrkdwn: its three control characters escaped, as Slack documents.

A flip reads "gpu_hour_usd < $2.23" and an audit note is whatever an admin typed; unescaped, `<`
and `&` start links and entities. Every renderer that puts such text into mrkdwn calls this.
"""

from __future__ import annotations

__all__ = ["escape"]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
