"""Anthropic Admin API cost report (cents!) and messages usage report (tokens).

`GET /v1/organizations/cost_report` gives `amount` as a decimal string in cents ("123.45" is
$1.2345), grouped here by workspace and description. `GET /v1/organizations/usage_report/messages`
gives tokens per model; total input is uncached + cache reads + both cache-creation kinds. At
`bucket_width=1h`, ungrouped, it gives the organisation's tokens per hour (the busiest hour).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from .base import HTTPSource
from .collect import PageFormat, to_currency, to_decimal, to_int, to_text
from .errors import ProviderResponseError
from .records import CostLine, FetchResult, HourlyUsage, TokenUsage

__all__ = ["AnthropicBilling", "DEFAULT_BASE_URL", "PAGES"]

PROVIDER = "anthropic"
DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"
COSTS_PATH = "v1/organizations/cost_report"
USAGE_PATH = "v1/organizations/usage_report/messages"
MAX_BUCKETS = 31
HOURLY_MAX_BUCKETS = 168  # the documented maximum `limit` at bucket_width=1h
CENTS = Decimal(100)


def _rfc3339(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _rfc3339_hour(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:00:00Z")


def _bucket_start(bucket: dict[str, Any]) -> datetime:
    start = bucket.get("starting_at")
    try:
        moment = datetime.fromisoformat(str(start))  # reads the "Z" suffix since 3.11
    except ValueError:
        raise ProviderResponseError(
            PROVIDER, f"bucket starting_at {start!r} is not a date"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _cost_row(day: date, row: dict[str, Any]) -> CostLine:
    currency = to_currency(PROVIDER, row.get("currency") or "USD", "currency", day=day)
    cents = to_decimal(PROVIDER, row.get("amount"), "amount", day=day)
    return CostLine(
        provider=PROVIDER,
        day=day,
        project=to_text(PROVIDER, row.get("workspace_id"), "workspace_id"),
        line_item=to_text(PROVIDER, row.get("description"), "description"),
        amount=cents / CENTS,  # the currency's cents (its minor unit)
        model=to_text(PROVIDER, row.get("model"), "model") or None,
        currency=currency,
    )


def _usage_row(day: date, row: dict[str, Any]) -> TokenUsage:
    creation = row.get("cache_creation") or {}
    if not isinstance(creation, dict):
        raise ProviderResponseError(PROVIDER, f"usage on {day} has a malformed cache_creation")
    cached = to_int(PROVIDER, row.get("cache_read_input_tokens"), "cache_read_input_tokens")
    written = to_int(
        PROVIDER, creation.get("ephemeral_5m_input_tokens"), "ephemeral_5m_input_tokens"
    ) + to_int(PROVIDER, creation.get("ephemeral_1h_input_tokens"), "ephemeral_1h_input_tokens")
    uncached = to_int(PROVIDER, row.get("uncached_input_tokens"), "uncached_input_tokens")
    return TokenUsage(
        provider=PROVIDER,
        day=day,
        model=to_text(PROVIDER, row.get("model"), "model") or "unknown",
        input_tokens=uncached + cached + written,
        cached_input_tokens=cached,
        output_tokens=to_int(PROVIDER, row.get("output_tokens"), "output_tokens"),
        requests=0,  # the messages usage report does not count requests
    )


PAGES = PageFormat(PROVIDER, _bucket_start, _cost_row, _usage_row)


class AnthropicBilling(HTTPSource):
    """Reads an Anthropic organization's cost report and token usage with an admin key."""

    name = PROVIDER
    key_setting = "ANTHROPIC_ADMIN_KEY"
    default_base_url = DEFAULT_BASE_URL

    @staticmethod
    def auth_headers(api_key: str) -> dict[str, str]:
        return {"x-api-key": api_key, "anthropic-version": API_VERSION}

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]:
        """Every day in [start, end), one FetchResult a page, each fetched as it is needed."""
        window = {
            "starting_at": _rfc3339(start),
            "ending_at": _rfc3339(end),
            "bucket_width": "1d",
            "limit": min((end - start).days, MAX_BUCKETS),
        }

        def report(kind: str) -> Callable[[int], None]:
            return lambda n: progress and progress(f"{PROVIDER} {kind}: page {n} ({start}..{end})")

        cost_pages = self._http.iter_pages(
            COSTS_PATH,
            {**window, "group_by[]": ["workspace_id", "description"]},
            on_page=report("costs"),
        )
        usage_pages = self._http.iter_pages(
            USAGE_PATH, {**window, "group_by[]": ["model"]}, on_page=report("token usage")
        )
        return PAGES.stream(cost_pages, usage_pages, start=start, end=end)

    def hours(self, start: datetime, end: datetime) -> Iterator[HourlyUsage]:
        """Every hour in [start, end) (UTC, on the hour), all models together."""
        span = int((end - start).total_seconds() // 3600)
        pages = self._http.iter_pages(
            USAGE_PATH,
            {
                "starting_at": _rfc3339_hour(start),
                "ending_at": _rfc3339_hour(end),
                "bucket_width": "1h",
                "limit": max(1, min(span, HOURLY_MAX_BUCKETS)),
            },
        )
        return PAGES.hours(pages, start=start, end=end)
