"""What the Anthropic adapter asks for: the Admin API's documented query, and progress reports.

The loopback stand-in records every request as it arrived on the wire, so these tests read the
query string the provider would read, not the adapter's intentions.
"""

from __future__ import annotations

from datetime import date, timedelta

from billing_adapters import AnthropicBilling, RetryPolicy
from tests.fakes.provider_api import ANTHROPIC_KEY, ProviderAPI, anthropic_cost

COSTS = "/v1/organizations/cost_report"
USAGE = "/v1/organizations/usage_report/messages"
START = date(2026, 10, 1)


def adapter(api: ProviderAPI, retry: RetryPolicy) -> AnthropicBilling:
    return AnthropicBilling(api_key=ANTHROPIC_KEY, base_url=api.anthropic_base_url, retry=retry)


def test_both_reports_ask_for_daily_buckets_over_the_window(
    api: ProviderAPI, retry: RetryPolicy
) -> None:
    """A 12-day window is one page of 12 daily buckets from each report, from 00:00Z to 00:00Z."""
    adapter(api, retry).fetch(START, START + timedelta(days=12))

    (costs,) = api.requests_to(COSTS)
    (usage,) = api.requests_to(USAGE)
    for seen in (costs, usage):
        assert seen.query["starting_at"] == ["2026-10-01T00:00:00Z"]
        assert seen.query["ending_at"] == ["2026-10-13T00:00:00Z"]  # 1 Oct + 12 days, exclusive
        assert seen.query["bucket_width"] == ["1d"]
        assert seen.query["limit"] == ["12"]  # fewer than the 31 allowed: no empty tail asked
        assert seen.headers["x-api-key"] == ANTHROPIC_KEY
        assert seen.headers["anthropic-version"] == "2023-06-01"
    assert costs.query["group_by[]"] == ["workspace_id", "description"]
    assert usage.query["group_by[]"] == ["model"]
    assert "page" not in costs.query and "page" not in usage.query


def test_progress_names_each_page_of_each_report(api: ProviderAPI, retry: RetryPolicy) -> None:
    """A long backfill says where it is: one line a page, costs first, then token usage."""
    api.page_limit = 5
    api.add("anthropic", "costs", START, anthropic_cost("w", "Sonnet - Input", "100"))
    said: list[str] = []

    result = adapter(api, retry).fetch(START, START + timedelta(days=12), progress=said.append)

    window = "(2026-10-01..2026-10-13)"
    # 12 days at 5 buckets a page: pages of 5, 5 and 2 buckets for each report.
    assert said == [
        f"anthropic costs: page 1 {window}",
        f"anthropic costs: page 2 {window}",
        f"anthropic costs: page 3 {window}",
        f"anthropic token usage: page 1 {window}",
        f"anthropic token usage: page 2 {window}",
        f"anthropic token usage: page 3 {window}",
    ]
    assert result.provider == "anthropic"
    assert [c.amount for c in result.costs] == [1]  # 100 cents
