"""A loopback stand-in for the OpenAI and Anthropic billing APIs, speaking their documented shapes.

It pages daily buckets (and, asked `bucket_width=1h` on a usage endpoint, hourly ones) exactly as
the real endpoints do (`limit` buckets a page, `has_more`,
`next_page` sent back as `page`, empty buckets for days without spend), checks the auth headers,
rejects a `limit` above the documented maximum, and can be told to misbehave: a 429 with
Retry-After, a 500, a truncated page, a slow answer. The real adapters are pointed at it through
their base-URL settings; nothing in the code under test is patched.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer, QuietHandler

OPENAI_KEY = "sk-admin-test-openai-0123456789abcdefXYZ"
ANTHROPIC_KEY = "sk-ant-admin01-test-anthropic-0123456789abcdefXYZ"

HOURLY = "#1h"  # suffix of a path's fault queue for its bucket_width=1h requests

ENDPOINTS = {
    "/v1/organization/costs": ("openai", "costs", 180),
    "/v1/organization/usage/completions": ("openai", "usage", 31),
    "/v1/organizations/cost_report": ("anthropic", "costs", 31),
    "/v1/organizations/usage_report/messages": ("anthropic", "usage", 31),
}


@dataclass
class Fault:
    """One bad answer, used up by the next request to its path."""

    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: str = '{"error": {"message": "internal error", "type": "server_error"}}'
    truncate: bool = False  # answer 200 with the real page cut in half


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


def openai_cost(project: str | None, line_item: str | None, value: object) -> dict[str, Any]:
    return {
        "object": "organization.costs.result",
        "amount": {"value": value, "currency": "usd"},
        "line_item": line_item,
        "project_id": project,
        "api_key_id": None,
        "quantity": None,
        "quantity_unit": None,
    }


def openai_usage(model: str, input_tokens: int, cached: int, output: int, requests: int) -> dict:
    return {
        "object": "organization.usage.completions.result",
        "input_tokens": input_tokens,
        "input_cached_tokens": cached,
        "output_tokens": output,
        "num_model_requests": requests,
        "project_id": None,
        "user_id": None,
        "api_key_id": None,
        "model": model,
        "batch": None,
        "service_tier": None,
    }


def anthropic_cost(workspace: str | None, description: str, cents: str) -> dict[str, Any]:
    return {
        "amount": cents,
        "currency": "USD",
        "cost_type": "tokens",
        "description": description,
        "model": "claude-sonnet-4-20250514",
        "service_tier": "standard",
        "token_type": "uncached_input_tokens",
        "context_window": "0-200k",
        "inference_geo": "global",
        "workspace_id": workspace,
    }


def anthropic_usage(
    model: str, uncached: int, cache_read: int, write_5m: int, write_1h: int, output: int
) -> dict[str, Any]:
    return {
        "model": model,
        "uncached_input_tokens": uncached,
        "cache_read_input_tokens": cache_read,
        "cache_creation": {
            "ephemeral_5m_input_tokens": write_5m,
            "ephemeral_1h_input_tokens": write_1h,
        },
        "output_tokens": output,
        "server_tool_use": {"web_search_requests": 0},
        "workspace_id": None,
        "api_key_id": None,
        "account_id": None,
        "service_account_id": None,
        "service_tier": None,
        "context_window": None,
        "inference_geo": None,
    }


class ProviderAPI(LoopbackServer):
    """Both providers' billing endpoints on one loopback port. Use as a context manager."""

    def __init__(self) -> None:
        # rows[(provider, kind)][day] -> result rows for that day's bucket
        self.rows: dict[tuple[str, str], dict[date, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        # hourly[provider][hour start, UTC] -> result rows for that hour's bucket
        self.hourly: dict[str, dict[datetime, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        self.seen: list[Seen] = []
        self.delay = 0.0  # seconds before every answer (to kill a sync mid-way)
        self.page_limit: int | None = None  # serve fewer buckets a page than asked
        self._lock = threading.Lock()
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        return self.origin

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url

    # --- test controls ---------------------------------------------------------------------
    def add(self, provider: str, kind: str, day: date, *results: dict[str, Any]) -> None:
        with self._lock:
            self.rows[(provider, kind)][day].extend(results)

    def add_hour(self, provider: str, hour: datetime, *results: dict[str, Any]) -> None:
        with self._lock:
            self.hourly[provider][hour.astimezone(UTC)].extend(results)

    def clear(self, provider: str, kind: str, day: date) -> None:
        with self._lock:
            self.rows[(provider, kind)].pop(day, None)

    def fail(self, path: str, *faults: Fault) -> None:
        with self._lock:
            self.faults[path].extend(faults)

    def requests_to(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == path]

    # --- serving ---------------------------------------------------------------------------
    def _page(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        """A page of daily buckets, or of hourly ones (at most 168 a page, the documented
        maximum at `1h`) asked `bucket_width=1h` on a usage endpoint. A day or an hour without
        rows is an empty bucket, as the real endpoints answer."""
        provider, kind, max_limit = ENDPOINTS[path]
        width = query.get("bucket_width", ["1d"])[0]
        if width not in ("1d", "1h") or (width == "1h" and kind != "usage"):
            return 400, {"error": {"message": f"bucket_width {width} not served", "type": "x"}}
        hourly = width == "1h"
        max_limit = 168 if hourly else max_limit
        limit = int(query.get("limit", ["24" if hourly else "7"])[0])
        if not 1 <= limit <= max_limit:
            return 400, {"error": {"message": f"limit must be 1..{max_limit}", "type": "invalid"}}
        if provider == "openai":
            start = datetime.fromtimestamp(int(query["start_time"][0]), tz=UTC)
            end = datetime.fromtimestamp(int(query["end_time"][0]), tz=UTC)
        else:
            start = datetime.fromisoformat(query["starting_at"][0].replace("Z", "+00:00"))
            end = datetime.fromisoformat(query["ending_at"][0].replace("Z", "+00:00"))
        step = timedelta(hours=1) if hourly else timedelta(days=1)
        first = start if hourly else start.date()
        starts = [first + step * n for n in range(int((end - start) / step))]
        offset = int(query.get("page", ["cur_0"])[0].removeprefix("cur_"))
        size = min(limit, self.page_limit or limit)
        chunk = starts[offset : offset + size]
        with self._lock:
            table = self.hourly[provider] if hourly else self.rows[(provider, kind)]
            buckets = [
                self._bucket(provider, at, list(table.get(at, [])), hours=1 if hourly else 24)
                for at in chunk
            ]
        more = offset + size < len(starts)
        page: dict[str, Any] = {
            "data": buckets,
            "has_more": more,
            "next_page": f"cur_{offset + size}" if more else None,
        }
        if provider == "openai":
            page = {"object": "page", **page}
        return 200, page

    @staticmethod
    def _bucket(
        provider: str, day: date | datetime, results: list[dict[str, Any]], *, hours: int = 24
    ) -> dict[str, Any]:
        start = (
            day.astimezone(UTC)
            if isinstance(day, datetime)
            else datetime(day.year, day.month, day.day, tzinfo=UTC)
        )
        end = start + timedelta(hours=hours)
        if provider == "openai":
            return {
                "object": "bucket",
                "start_time": int(start.timestamp()),
                "end_time": int(end.timestamp()),
                "results": results,
            }
        return {
            "starting_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ending_at": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "results": results,
        }

    def _authorized(self, path: str, headers: dict[str, str]) -> bool:
        if ENDPOINTS[path][0] == "openai":
            return headers.get("authorization") == f"Bearer {OPENAI_KEY}"
        return (
            headers.get("x-api-key") == ANTHROPIC_KEY
            and headers.get("anthropic-version") == "2023-06-01"
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path, query, headers = self.request_parts()
                # Faults for hourly requests are queued under path + HOURLY, so a test can fail
                # the hours of a sync and not its days.
                key = path + HOURLY if query.get("bucket_width") == ["1h"] else path
                with api._lock:
                    api.seen.append(Seen(path, query, headers))
                    fault = api.faults[key].pop(0) if api.faults[key] else None
                if api.delay:
                    time.sleep(api.delay)
                if path not in ENDPOINTS:
                    self.reply(404, b'{"error": {"message": "not found"}}')
                    return
                if not api._authorized(path, headers):
                    sent = headers.get("authorization", headers.get("x-api-key", ""))
                    echo = sent.removeprefix("Bearer ")[:14]  # real APIs echo part of a bad key
                    message = f"Incorrect API key provided: {echo}****. Check your key."
                    body = {"error": {"message": message, "type": "invalid_request_error"}}
                    self.reply(401, body)
                    return
                if fault is not None and not fault.truncate:
                    self.reply(fault.status, fault.body.encode(), fault.headers)
                    return
                status, page = api._page(path, query)
                body = json.dumps(page).encode()
                if fault is not None and fault.truncate:
                    body = body[: len(body) // 2]
                self.reply(status, body)

        return Handler
