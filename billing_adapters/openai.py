"""OpenAI organization Costs API (dollars) and Completions Usage API (tokens).

`GET /organization/costs` gives billed dollars in 1-day buckets, grouped here by project and
line item; `amount.value` is in dollars and has arrived both as a JSON number and as a string.
`GET /organization/usage/completions` gives token volume per model, and at `bucket_width=1h`
(ungrouped) the organisation's volume per hour, which the busiest hour is measured from. All need
an admin key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from typing import Any

from .base import HTTPSource
from .collect import PageFormat, to_currency, to_decimal, to_int, to_text
from .errors import ProviderResponseError
from .records import CostLine, FetchResult, HourlyUsage, TokenUsage

__all__ = ["DEFAULT_BASE_URL", "OpenAIBilling", "PAGES"]

PROVIDER = "openai"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
COSTS_PATH = "organization/costs"
USAGE_PATH = "organization/usage/completions"
# The API allows 180 daily buckets a page, but a large organisation's day is thousands of rows
# (100 projects x 28 line items), and a page is what a sync holds in memory: a week a page.
COSTS_PAGE_BUCKETS = 7
USAGE_MAX_BUCKETS = 31
HOURLY_MAX_BUCKETS = 168  # the documented maximum `limit` at bucket_width=1h


def _epoch(day: date) -> int:
    return int(datetime.combine(day, time(0), tzinfo=UTC).timestamp())


def _bucket_start(bucket: dict[str, Any]) -> datetime:
    start = bucket.get("start_time")
    if isinstance(start, bool) or not isinstance(start, int):
        raise ProviderResponseError(PROVIDER, f"bucket start_time {start!r} is not a Unix time")
    try:
        return datetime.fromtimestamp(start, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ProviderResponseError(
            PROVIDER, f"bucket start_time {start!r} is out of range"
        ) from None


def _cost_row(day: date, row: dict[str, Any]) -> CostLine:
    amount = row.get("amount")
    if not isinstance(amount, dict):
        raise ProviderResponseError(PROVIDER, f"cost result on {day} has no amount object")
    currency = to_currency(PROVIDER, amount.get("currency") or "usd", "currency", day=day)
    line_item = to_text(PROVIDER, row.get("line_item"), "line_item")
    return CostLine(
        provider=PROVIDER,
        day=day,
        project=to_text(PROVIDER, row.get("project_id"), "project_id"),
        line_item=line_item,
        amount=to_decimal(PROVIDER, amount.get("value"), "amount", day=day),
        # "gpt-4o-mini, input" names its model before the comma; other line items name none.
        model=line_item.partition(",")[0].strip() if "," in line_item else None,
        currency=currency,
    )


def _usage_row(day: date, row: dict[str, Any]) -> TokenUsage:
    return TokenUsage(
        provider=PROVIDER,
        day=day,
        model=to_text(PROVIDER, row.get("model"), "model") or "unknown",
        input_tokens=to_int(PROVIDER, row.get("input_tokens"), "input_tokens"),
        cached_input_tokens=to_int(PROVIDER, row.get("input_cached_tokens"), "input_cached_tokens"),
        output_tokens=to_int(PROVIDER, row.get("output_tokens"), "output_tokens"),
        requests=to_int(PROVIDER, row.get("num_model_requests"), "num_model_requests"),
    )


PAGES = PageFormat(PROVIDER, _bucket_start, _cost_row, _usage_row)


class OpenAIBilling(HTTPSource):
    """Reads an OpenAI organization's billed costs and token usage with an admin key."""

    name = PROVIDER
    key_setting = "OPENAI_ADMIN_KEY"
    default_base_url = DEFAULT_BASE_URL

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]:
        """Every day in [start, end), one FetchResult a page, each fetched as it is needed."""
        days = (end - start).days
        window = {"start_time": _epoch(start), "end_time": _epoch(end), "bucket_width": "1d"}

        def report(kind: str) -> Callable[[int], None]:
            return lambda n: progress and progress(f"{PROVIDER} {kind}: page {n} ({start}..{end})")

        cost_pages = self._http.iter_pages(
            COSTS_PATH,
            {
                **window,
                "group_by": ["project_id", "line_item"],
                "limit": min(days, COSTS_PAGE_BUCKETS),
            },
            on_page=report("costs"),
        )
        usage_pages = self._http.iter_pages(
            USAGE_PATH,
            {**window, "group_by": ["model"], "limit": min(days, USAGE_MAX_BUCKETS)},
            on_page=report("token usage"),
        )
        return PAGES.stream(cost_pages, usage_pages, start=start, end=end)

    def hours(self, start: datetime, end: datetime) -> Iterator[HourlyUsage]:
        """Every hour in [start, end) (UTC, on the hour), all models together."""
        span = int((end - start).total_seconds() // 3600)
        pages = self._http.iter_pages(
            USAGE_PATH,
            {
                "start_time": int(start.timestamp()),
                "end_time": int(end.timestamp()),
                "bucket_width": "1h",
                "limit": max(1, min(span, HOURLY_MAX_BUCKETS)),
            },
        )
        return PAGES.hours(pages, start=start, end=end)
