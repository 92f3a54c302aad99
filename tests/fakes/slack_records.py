"""What the Slack stand-in records and how it reads what it is sent: a request as received,
a file as files_upload_v2 sent it, a request body parsed, and the texts a person reads in a
message's blocks (what most tests assert on). Kept apart from `slack_api.py`, the server."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

__all__ = ["RecordedRequest", "UploadedFile", "block_texts", "parse_body"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the stand-in received it; `data` is the parsed body (JSON or form)."""

    method: str
    path: str
    headers: dict[str, str]
    body: str
    data: Any
    status: int  # what the stand-in answered
    answer: Any = None  # and the body it answered with (dict for JSON)
    at: float = field(default_factory=time.monotonic)  # when it arrived (benchmarks time it)


@dataclass
class UploadedFile:
    """A file as files_upload_v2 sent it: announced, its bytes, then (maybe) completed."""

    file_id: str
    filename: str
    length: int
    alt_txt: str | None = None
    content: bytes | None = None  # set by the upload POST
    title: str | None = None  # the rest is set by files.completeUploadExternal
    channel_id: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    completed: bool = False


def block_texts(blocks: list[dict[str, Any]]) -> str:
    """Every text a person reads in section, header and context blocks, one per line."""
    texts = []
    for block in blocks:
        texts.append(block.get("text", {}).get("text", ""))
        texts += [f["text"] for f in block.get("fields", [])]
        if block.get("type") != "actions":  # buttons are controls, not text to read
            texts += [e.get("text", "") for e in block.get("elements", [])]
    return "\n".join(t for t in texts if t)


def parse_body(body: str, content_type: str) -> Any:
    """JSON or form bodies as Python values; anything else stays text."""
    if "json" in content_type:
        try:
            return json.loads(body or "null")
        except ValueError:
            return None
    if "x-www-form-urlencoded" in content_type:
        return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(body).items()}
    return body
