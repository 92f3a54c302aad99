"""`openai.PAGES` and `anthropic.PAGES`: pages already in hand, read by the same parsers.

Bundled sample pages (the demo) and pages saved from a provider go through these functions, not
through HTTP; they must give the same records, filed under the provider, for days in the window.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing_adapters import anthropic, openai
from billing_adapters.collect import merge_batches
from tests.fakes.provider_api import (
    ProviderAPI,
    anthropic_cost,
    anthropic_usage,
    openai_cost,
    openai_usage,
)

SEP_30 = date(2026, 9, 30)
OCT_1 = date(2026, 10, 1)
OCT_2 = date(2026, 10, 2)


def page(provider: str, *buckets: dict[str, object]) -> dict[str, object]:
    """One last page in the provider's envelope."""
    body: dict[str, object] = {"data": list(buckets), "has_more": False, "next_page": None}
    return {"object": "page", **body} if provider == "openai" else body


def test_openai_pages_read_cost_and_usage_pages_for_the_window() -> None:
    """Buckets before the window are left out; the rest become records in dollars."""
    costs = page(
        "openai",
        ProviderAPI._bucket("openai", SEP_30, [openai_cost("p", "gpt-4o, input", "9.99")]),
        ProviderAPI._bucket("openai", OCT_1, [openai_cost("p", "gpt-4o, input", "0.30")]),
    )
    usage = page(
        "openai", ProviderAPI._bucket("openai", OCT_1, [openai_usage("gpt-4o", 40, 4, 20, 2)])
    )

    result = merge_batches("openai", openai.PAGES.stream([costs], [usage], start=OCT_1, end=OCT_2))

    assert result.provider == "openai"
    assert result.days == {OCT_1} and result.usage_days == {OCT_1}
    assert [tuple(c) for c in result.costs] == [
        ("openai", OCT_1, "p", "gpt-4o, input", Decimal("0.30"), "gpt-4o", "USD")
    ]
    assert [tuple(u) for u in result.usage] == [("openai", OCT_1, "gpt-4o", 40, 4, 20, 2)]


def test_anthropic_pages_read_cost_and_usage_pages_for_the_window() -> None:
    """Buckets before the window are left out; cents become dollars."""
    costs = page(
        "anthropic",
        ProviderAPI._bucket("anthropic", SEP_30, [anthropic_cost("w", "Sonnet - Input", "999")]),
        ProviderAPI._bucket("anthropic", OCT_1, [anthropic_cost("w", "Sonnet - Input", "30")]),
    )
    usage = page(
        "anthropic",
        ProviderAPI._bucket(
            "anthropic", OCT_1, [anthropic_usage("claude-sonnet-4", 1, 2, 3, 4, 5)]
        ),
    )

    result = merge_batches(
        "anthropic", anthropic.PAGES.stream([costs], [usage], start=OCT_1, end=OCT_2)
    )

    assert result.provider == "anthropic"
    assert result.days == {OCT_1} and result.usage_days == {OCT_1}
    # "30" cents is $0.30; the stand-in's cost rows name claude-sonnet-4-20250514.
    assert [tuple(c) for c in result.costs] == [
        (
            "anthropic",
            OCT_1,
            "w",
            "Sonnet - Input",
            Decimal("0.3"),
            "claude-sonnet-4-20250514",
            "USD",
        )
    ]
    # input = 1 uncached + 2 cache reads + 3 + 4 cache writes = 10
    assert [tuple(u) for u in result.usage] == [
        ("anthropic", OCT_1, "claude-sonnet-4", 10, 2, 5, 0)
    ]
