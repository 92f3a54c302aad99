"""What the OpenAI adapter asks for: the documented query in UTC Unix seconds, and progress.

The loopback stand-in records every request as it arrived on the wire, so these tests read the
query string the provider would read. The window is UTC days whatever zone the host runs in: a
bot on a laptop in California must ask for, and file, the same days as one in a UTC container.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing_adapters import OpenAIBilling, RetryPolicy
from tests.fakes.provider_api import OPENAI_KEY, ProviderAPI, openai_cost, openai_usage

COSTS = "/v1/organization/costs"
USAGE = "/v1/organization/usage/completions"
START = date(2026, 9, 1)


def adapter(api: ProviderAPI, retry: RetryPolicy) -> OpenAIBilling:
    return OpenAIBilling(api_key=OPENAI_KEY, base_url=api.openai_base_url, retry=retry)


@pytest.fixture
def host_seven_hours_behind_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is UTC-7 (POSIX "XYZ+7" is seven hours west of Greenwich)."""
    monkeypatch.setenv("TZ", "XYZ+7")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_both_endpoints_ask_for_daily_buckets_over_the_window(
    api: ProviderAPI, retry: RetryPolicy
) -> None:
    """A 5-day window: start and end as Unix seconds at 00:00 UTC, 5 daily buckets a page."""
    adapter(api, retry).fetch(START, START + timedelta(days=5))

    (costs,) = api.requests_to(COSTS)
    (usage,) = api.requests_to(USAGE)
    for seen in (costs, usage):
        # 2026-09-01T00:00:00Z = 20,697 days x 86,400 s = 1,788,220,800 s after the epoch
        assert seen.query["start_time"] == ["1788220800"]
        # 2026-09-06T00:00:00Z = 1,788,220,800 + 5 x 86,400 = 1,788,652,800 (exclusive)
        assert seen.query["end_time"] == ["1788652800"]
        assert seen.query["bucket_width"] == ["1d"]
        assert seen.query["limit"] == ["5"]  # fewer than a page holds: no empty tail asked
        assert seen.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert costs.query["group_by"] == ["project_id", "line_item"]
    assert usage.query["group_by"] == ["model"]
    assert "page" not in costs.query and "page" not in usage.query


@pytest.mark.usefixtures("host_seven_hours_behind_utc")
def test_the_window_and_bucket_days_are_utc_whatever_the_host_zone(
    api: ProviderAPI, retry: RetryPolicy
) -> None:
    """At UTC-7, local midnight is 07:00 UTC and a bucket at 00:00 UTC is the evening before."""
    api.add("openai", "costs", START, openai_cost("p", "gpt-4o, input", "4.00"))
    api.add("openai", "usage", START, openai_usage("gpt-4o", 100, 0, 10, 1))

    result = adapter(api, retry).fetch(START, START + timedelta(days=1))

    (costs,) = api.requests_to(COSTS)
    assert costs.query["start_time"] == ["1788220800"]  # 2026-09-01T00:00:00Z, not 07:00Z
    assert costs.query["end_time"] == ["1788307200"]  # + 86,400
    assert result.days == {START} and result.usage_days == {START}
    assert [(c.day, c.amount) for c in result.costs] == [(START, 4)]
    assert [(u.day, u.input_tokens) for u in result.usage] == [(START, 100)]


def test_progress_names_each_page_of_each_endpoint(api: ProviderAPI, retry: RetryPolicy) -> None:
    """A long backfill says where it is: one line a page, costs first, then token usage."""
    api.add("openai", "costs", START, openai_cost("p", "x", "1.50"))
    said: list[str] = []

    result = adapter(api, retry).fetch(START, START + timedelta(days=10), progress=said.append)

    window = "(2026-09-01..2026-09-11)"
    # 10 days: costs come 7 buckets a page (pages of 7 and 3), usage in one page of 10.
    assert said == [
        f"openai costs: page 1 {window}",
        f"openai costs: page 2 {window}",
        f"openai token usage: page 1 {window}",
    ]
    assert result.provider == "openai"
    assert [c.amount for c in result.costs] == [Decimal("1.50")]
