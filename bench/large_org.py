"""A large synthetic OpenAI organisation, served on loopback in the real Costs/Usage page format.

Rows are computed from their position (day, project, line item), never held in memory, so the
benchmark process stays small however many rows it serves, and the exact expected total is
known without storing anything. Pages are built from string templates: the server must keep
ahead of the sync it feeds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

__all__ = ["ADMIN_KEY", "LargeOrg", "OrgServer"]

ADMIN_KEY = "sk-admin-bench-0123456789abcdef"
MODELS = (
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "o3",
    "o3-mini",
    "o4-mini",
    "gpt-5",
    "gpt-5-mini",
    "text-embedding-3-small",
    "text-embedding-3-large",
    "whisper-1",
    "tts-1",
)
LINE_ITEMS = tuple(f"{m}, {kind}" for m in MODELS for kind in ("input", "output"))  # 28
MAX_LIMIT = {"costs": 180, "usage": 31}


@dataclass(frozen=True, slots=True)
class LargeOrg:
    """`days` days ending `last_day`, `projects` projects, every line item every day."""

    last_day: date
    days: int
    projects: int

    @classmethod
    def of_size(cls, rows: int, *, last_day: date) -> LargeOrg:
        """About `rows` cost rows: a year of up to 100 projects, fewer days for small runs."""
        per_day = len(LINE_ITEMS)
        projects = max(1, min(100, round(rows / (365 * per_day))))
        days = max(1, min(365, -(-rows // (projects * per_day))))
        return cls(last_day=last_day, days=days, projects=projects)

    @property
    def first_day(self) -> date:
        return self.last_day - timedelta(days=self.days - 1)

    @property
    def cost_rows(self) -> int:
        return self.days * self.projects * len(LINE_ITEMS)

    def micros(self, day_index: int, project: int, item: int) -> int:
        """One row's amount in millionths of a dollar (up to $2), deterministic."""
        return ((day_index + 1) * 2_654_435_761 + project * 40_503 + item * 9_973) % 2_000_000

    def expected_total_nanos(self) -> int:
        return 1000 * sum(
            self.micros(d, p, i)
            for d in range(self.days)
            for p in range(self.projects)
            for i in range(len(LINE_ITEMS))
        )

    def parsed_rows(self) -> Iterator[tuple[str, date, str, str, str, int]]:
        """The rows a parser makes of these pages: what the bare-executemany floor writes."""
        for d in range(self.days):
            day = self.first_day + timedelta(days=d)
            for p in range(self.projects):
                for i, item in enumerate(LINE_ITEMS):
                    model = item.split(",", 1)[0]
                    yield ("openai", day, f"proj_{p:04d}", item, model, self.micros(d, p, i) * 1000)

    # --- pages ---------------------------------------------------------------------------------
    def _cost_results(self, day: date) -> str:
        d = (day - self.first_day).days
        if not 0 <= d < self.days:
            return ""
        rows = []
        for p in range(self.projects):
            for i, item in enumerate(LINE_ITEMS):
                m = self.micros(d, p, i)
                value = f"{m // 1_000_000}.{m % 1_000_000:06d}"
                if (p + i) % 2:
                    value = f'"{value}"'  # OpenAI has sent amounts both as numbers and strings
                rows.append(
                    '{"object":"organization.costs.result","amount":{"value":'
                    f'{value},"currency":"usd"}},"line_item":"{item}","project_id":"proj_{p:04d}",'
                    '"api_key_id":null,"quantity":null,"quantity_unit":null}'
                )
        return ",".join(rows)

    def _usage_results(self, day: date) -> str:
        d = (day - self.first_day).days
        if not 0 <= d < self.days:
            return ""
        rows = []
        for i, model in enumerate(MODELS):
            base = 1000 + (d * 7919 + i * 104_729) % 1_000_000
            rows.append(
                '{"object":"organization.usage.completions.result",'
                f'"input_tokens":{base * self.projects * 50},'
                f'"input_cached_tokens":{base * self.projects * 10},'
                f'"output_tokens":{base * self.projects * 5},'
                f'"num_model_requests":{base * self.projects // 10},'
                '"project_id":null,"user_id":null,"api_key_id":null,'
                f'"model":"{model}","batch":null,"service_tier":null}}'
            )
        return ",".join(rows)

    def page(self, kind: str, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """One page of daily buckets, paged like OpenAI: `limit`, `has_more`, `next_page`."""
        if query.get("bucket_width") == ["1h"] and kind == "usage":
            return self.hour_page(query)
        limit = int(query.get("limit", ["7"])[0])
        if not 1 <= limit <= MAX_LIMIT[kind]:
            return 400, b'{"error": {"message": "limit out of range"}}'
        start = datetime.fromtimestamp(int(query["start_time"][0]), tz=UTC).date()
        end = datetime.fromtimestamp(int(query["end_time"][0]), tz=UTC).date()
        offset = int(query.get("page", ["cur_0"])[0].removeprefix("cur_"))
        total = (end - start).days
        chunk = range(offset, min(offset + limit, total))
        results = self._cost_results if kind == "costs" else self._usage_results
        buckets = []
        for n in chunk:
            day = start + timedelta(days=n)
            at = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
            buckets.append(
                f'{{"object":"bucket","start_time":{at},"end_time":{at + 86400},'
                f'"results":[{results(day)}]}}'
            )
        more = chunk.stop < total
        cursor = f'"cur_{chunk.stop}"' if more else "null"
        body = (
            f'{{"object":"page","data":[{",".join(buckets)}],'
            f'"has_more":{"true" if more else "false"},"next_page":{cursor}}}'
        )
        return 200, body.encode()

    def hour_page(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """Hourly usage buckets (a sync's busiest-hour fetch): each day's usage in its 24 hours
        (the same rows an hour: the bench measures reading them, not their shape)."""
        limit = int(query.get("limit", ["24"])[0])
        if not 1 <= limit <= 168:
            return 400, b'{"error": {"message": "limit out of range"}}'
        start = int(query["start_time"][0])
        total = (int(query["end_time"][0]) - start) // 3600
        offset = int(query.get("page", ["cur_0"])[0].removeprefix("cur_"))
        chunk = range(offset, min(offset + limit, total))
        buckets = []
        for n in chunk:
            at = start + n * 3600
            day = datetime.fromtimestamp(at, tz=UTC).date()
            buckets.append(
                f'{{"object":"bucket","start_time":{at},"end_time":{at + 3600},'
                f'"results":[{self._usage_results(day)}]}}'
            )
        more = chunk.stop < total
        cursor = f'"cur_{chunk.stop}"' if more else "null"
        body = (
            f'{{"object":"page","data":[{",".join(buckets)}],'
            f'"has_more":{"true" if more else "false"},"next_page":{cursor}}}'
        )
        return 200, body.encode()


PATHS = {"/v1/organization/costs": "costs", "/v1/organization/usage/completions": "usage"}


class OrgServer:
    """Serves a LargeOrg's pages on 127.0.0.1 in a daemon thread; a context manager."""

    def __init__(self, org: LargeOrg) -> None:
        self.org = org
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                server.requests += 1
                if self.headers.get("Authorization") != f"Bearer {ADMIN_KEY}":
                    status, body = 401, b'{"error": {"message": "bad key"}}'
                elif parts.path not in PATHS:
                    status, body = 404, b'{"error": {"message": "not found"}}'
                else:
                    status, body = org.page(PATHS[parts.path], parse_qs(parts.query))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> OrgServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()
