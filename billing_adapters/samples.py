"""Bundled sample pages, in each provider's real response format, served like an API.

`aicost demo` reads these instead of calling a provider; everything after reading a page (the
parsers, unit conversion, storage) is the production code. `tools/make_sample_pages.py` makes them.
Besides the AI providers' billing pages there are AWS Bedrock Cost Explorer pages, a FOCUS
export of a Google Cloud bill (read by `aicost import focus`'s reader, not here), and Stripe
balance-transaction pages, the revenue the demo compares the AI bill with.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from . import anthropic, bedrock, openai
from .base import StreamedSource
from .records import FetchResult, HourlyUsage
from .stripe import MonthlyRevenue, collect_stripe_revenue

__all__ = [
    "SAMPLES",
    "SAMPLE_FOCUS",
    "SampleBedrock",
    "SampleBilling",
    "sample_as_of",
    "sample_revenue",
]

SAMPLES = Path(__file__).with_name("samples")
# A FOCUS 1.0 export (CSV), for `aicost import focus`: Vertex AI among non-AI Google Cloud rows.
SAMPLE_FOCUS = SAMPLES / "focus_google_cloud.csv"
_FORMATS = {"openai": openai.PAGES, "anthropic": anthropic.PAGES}


def sample_as_of() -> datetime:
    """The moment the sample data was 'fetched': the demo shows its status as of then."""
    manifest = json.loads((SAMPLES / "manifest.json").read_text())
    return datetime.fromisoformat(manifest["as_of"])


def sample_revenue(tz: tzinfo) -> list[MonthlyRevenue]:
    """Monthly revenue from the Stripe sample pages, through the production parser.

    The window is the sample's own (its first day to the day after `as_of`, as local dates in
    `tz`, like the spend pages), so the last month is month to date, as a live sync would see it.
    """
    manifest = json.loads((SAMPLES / "manifest.json").read_text())
    return collect_stripe_revenue(
        _pages("stripe", "balance_transactions"),
        start=date.fromisoformat(manifest["start"]),
        end=date.fromisoformat(manifest["end"]),
        tz=tz,
    )


def _pages(provider: str, kind: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(SAMPLES.glob(f"{provider}_{kind}_*.json"))]


class SampleBilling(StreamedSource):
    """A billing source whose pages come from the bundled files instead of HTTP."""

    def __init__(self, provider: str) -> None:
        if provider not in _FORMATS:
            raise ValueError(f"no sample pages for {provider!r}")
        self.name = provider

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]:
        cost_pages = _pages(self.name, "costs")
        usage_pages = _pages(self.name, "usage")
        if progress:
            progress(f"{self.name}: {len(cost_pages)} cost pages, {len(usage_pages)} usage pages")
        return _FORMATS[self.name].stream(cost_pages, usage_pages, start=start, end=end)

    def hours(self, start: datetime, end: datetime) -> Iterator[HourlyUsage]:
        """The sample's hourly usage pages (its last four weeks), as `bucket_width=1h` reads."""
        return _FORMATS[self.name].hours(_pages(self.name, "hourly"), start=start, end=end)


class SampleBedrock(StreamedSource):
    """AWS Bedrock from the bundled GetCostAndUsage pages, read by the live sync's page reader.

    No boto3: only the pages' reading is shared, not the client. It has no `hours`, as
    Bedrock has none: the break-even's busiest hour is measured on the other providers.
    """

    name = bedrock.PROVIDER

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]:
        pages = _pages(self.name, "cost_and_usage")
        if progress:
            progress(f"{self.name}: {len(pages)} Cost Explorer pages")
        yield bedrock.read_cost_pages(pages, start, end)
