"""The Anthropic adapter: cost_report amounts are decimal strings in cents."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing_adapters import AnthropicBilling, ProviderAuthError, RetryPolicy
from tests.fakes.provider_api import (
    ANTHROPIC_KEY,
    Fault,
    ProviderAPI,
    anthropic_cost,
    anthropic_usage,
)

COSTS = "/v1/organizations/cost_report"
USAGE = "/v1/organizations/usage_report/messages"
START = date(2026, 10, 1)


def adapter(api: ProviderAPI, retry: RetryPolicy, key: str = ANTHROPIC_KEY) -> AnthropicBilling:
    return AnthropicBilling(api_key=key, base_url=api.anthropic_base_url, retry=retry)


def test_cents_become_exact_dollars_across_pages(api: ProviderAPI, retry: RetryPolicy) -> None:
    api.page_limit = 5
    for n in range(12):
        day = START + timedelta(days=n)
        api.add(
            "anthropic", "costs", day, anthropic_cost("wrkspc_A", "Sonnet - Input", "123.78912")
        )
        api.add("anthropic", "costs", day, anthropic_cost(None, "Sonnet - Output", "0.5"))

    result = adapter(api, retry).fetch(START, START + timedelta(days=12))

    assert len(api.requests_to(COSTS)) == 3  # 5 + 5 + 2 buckets
    first = [c for c in result.costs if c.day == START]
    # "123.78912" cents is $1.2378912; "0.5" cents is $0.005.
    assert [(c.project, c.line_item, c.amount) for c in first] == [
        ("", "Sonnet - Output", Decimal("0.005")),
        ("wrkspc_A", "Sonnet - Input", Decimal("1.2378912")),
    ]
    assert sum(c.amount for c in result.costs) == Decimal("14.9146944")


def test_sends_documented_query_and_headers(api: ProviderAPI, retry: RetryPolicy) -> None:
    adapter(api, retry).fetch(START, START + timedelta(days=40))

    costs = api.requests_to(COSTS)[0]
    assert costs.headers["x-api-key"] == ANTHROPIC_KEY
    assert costs.headers["anthropic-version"] == "2023-06-01"
    assert costs.query["group_by[]"] == ["workspace_id", "description"]
    assert costs.query["starting_at"] == ["2026-10-01T00:00:00Z"]
    assert costs.query["ending_at"] == ["2026-11-10T00:00:00Z"]
    assert costs.query["limit"] == ["31"]
    assert api.requests_to(USAGE)[0].query["group_by[]"] == ["model"]


def test_total_input_counts_cache_reads_and_both_cache_writes(
    api: ProviderAPI, retry: RetryPolicy
) -> None:
    api.add(
        "anthropic", "usage", START, anthropic_usage("claude-opus-4", 1500, 200, 500, 1000, 500)
    )

    result = adapter(api, retry).fetch(START, START + timedelta(days=1))

    (usage,) = result.usage
    assert (usage.model, usage.input_tokens, usage.cached_input_tokens, usage.output_tokens) == (
        "claude-opus-4",
        3200,
        200,
        500,
    )


def test_rows_sharing_a_key_are_summed_not_dropped(api: ProviderAPI, retry: RetryPolicy) -> None:
    # The same description can come back split by tiers we do not group by.
    api.add("anthropic", "costs", START, anthropic_cost("w", "Sonnet - Input", "100"))
    api.add("anthropic", "costs", START, anthropic_cost("w", "Sonnet - Input", "25.5"))
    # Usage of one model comes back split too (by context window, tier, workspace...).
    api.add("anthropic", "usage", START, anthropic_usage("claude-sonnet-4", 100, 10, 5, 1, 40))
    api.add("anthropic", "usage", START, anthropic_usage("claude-sonnet-4", 200, 20, 0, 2, 60))

    result = adapter(api, retry).fetch(START, START + timedelta(days=1))

    assert [c.amount for c in result.costs] == [Decimal("1.255")]
    (usage,) = result.usage
    counts = (usage.input_tokens, usage.cached_input_tokens, usage.output_tokens)
    assert counts == (116 + 222, 30, 100)  # input counts cached and written tokens too


def test_529_overloaded_is_retried(
    api: ProviderAPI, retry: RetryPolicy, sleeps: list[float]
) -> None:
    api.add("anthropic", "costs", START, anthropic_cost("w", "d", "100"))
    overloaded = '{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}'
    api.fail(COSTS, Fault(status=529, body=overloaded))

    result = adapter(api, retry).fetch(START, START + timedelta(days=1))

    assert sleeps == [1.0]
    assert [c.amount for c in result.costs] == [Decimal("1")]


def test_bad_key_names_the_setting(api: ProviderAPI, retry: RetryPolicy) -> None:
    with pytest.raises(ProviderAuthError, match="ANTHROPIC_ADMIN_KEY") as raised:
        adapter(api, retry, key="sk-ant-admin01-nope-nope-nope").fetch(START, START + timedelta(1))
    assert "nope" not in str(raised.value)
