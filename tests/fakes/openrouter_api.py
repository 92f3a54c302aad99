"""A loopback stand-in for OpenRouter's `/activity` and `/credits`, in the documented shapes.

It answers the last 30 completed UTC days before its `today` in one response (no paging, no
older days), splits rows per workspace when asked `group_by=workspace`, answers an inference
key with the documented 403, and can be told to misbehave like the other stand-ins.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer, QuietHandler
from tests.fakes.provider_api import Fault, Seen

MANAGEMENT_KEY = "sk-or-v1-mgmt-test-0123456789abcdefXYZ"
INFERENCE_KEY = "sk-or-v1-inference-test-0123456789abcdef"


def activity_row(
    day: date,
    model: str,
    usage: object,
    *,
    prompt: int = 0,
    completion: int = 0,
    requests: int = 1,
    byok: object = 0,
    workspace: str = "",
    endpoint: str = "550e8400-e29b-41d4-a716-446655440000",
) -> dict[str, Any]:
    return {
        "byok_usage_inference": byok,
        "completion_tokens": completion,
        "date": day.isoformat(),
        "endpoint_id": endpoint,
        "model": model.rsplit("-", 1)[0] if model.count("-") > 2 else model,
        "model_permaslug": model,
        "prompt_tokens": prompt,
        "provider_name": "OpenAI",
        "reasoning_tokens": 0,
        "requests": requests,
        "usage": usage,
        "_workspace": workspace,
    }


class OpenRouterAPI(LoopbackServer):
    """OpenRouter's management endpoints on one loopback port, as of `today` (UTC)."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.rows: list[dict[str, Any]] = []
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        self.seen: list[Seen] = []
        self.credits = (100.5, 25.75)
        self._lock = threading.Lock()
        super().__init__(self._handler())

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/v1"

    def add(self, *rows: dict[str, Any]) -> None:
        with self._lock:
            self.rows.extend(rows)

    def fail(self, path: str, *faults: Fault) -> None:
        with self._lock:
            self.faults[path].extend(faults)

    def _activity(self, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        first = self.today - timedelta(days=30)
        only = query.get("date", [None])[0]
        by_workspace = query.get("group_by") == ["workspace"]
        out = []
        with self._lock:
            for row in self.rows:
                day = date.fromisoformat(row["date"])
                if not first <= day < self.today or (only and row["date"] != only):
                    continue
                shown = {k: v for k, v in row.items() if k != "_workspace"}
                if by_workspace:
                    shown["workspace_id"] = row["_workspace"] or None
                out.append(shown)
        return 200, {"data": out}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path, query, headers = self.request_parts()
                with api._lock:
                    api.seen.append(Seen(path, query, headers))
                    fault = api.faults[path].pop(0) if api.faults[path] else None
                key = headers.get("authorization", "").removeprefix("Bearer ")
                if key not in (MANAGEMENT_KEY, INFERENCE_KEY):
                    self.reply(401, {"error": {"code": 401, "message": "No auth credentials"}})
                    return
                if key != MANAGEMENT_KEY and path in ("/api/v1/activity", "/api/v1/credits"):
                    message = "Only management keys can perform this operation"
                    self.reply(403, {"error": {"code": 403, "message": message}})
                    return
                if fault is not None and not fault.truncate:
                    self.reply(fault.status, fault.body.encode(), fault.headers)
                    return
                if path == "/api/v1/activity":
                    status, body = api._activity(query)
                elif path == "/api/v1/credits":
                    total, used = api.credits
                    status, body = 200, {"data": {"total_credits": total, "total_usage": used}}
                else:
                    status, body = 404, {"error": {"code": 404, "message": "Not Found"}}
                raw = json.dumps(body).encode()
                if fault is not None and fault.truncate:
                    raw = raw[: len(raw) // 2]
                self.reply(status, raw)

        return Handler
