"""The OpenAI adapter against a loopback server speaking the Costs and Usage API shapes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing_adapters import (
    OpenAIBilling,
    ProviderAuthError,
    ProviderUnavailable,
    RetryPolicy,
)
from tests.fakes.provider_api import (
    OPENAI_KEY,
    Fault,
    ProviderAPI,
    openai_cost,
    openai_usage,
)

COSTS = "/v1/organization/costs"
USAGE = "/v1/organization/usage/completions"
START = date(2026, 9, 1)


def adapter(api: ProviderAPI, retry: RetryPolicy, key: str = OPENAI_KEY) -> OpenAIBilling:
    return OpenAIBilling(api_key=key, base_url=api.openai_base_url, retry=retry)


def test_reads_every_page_and_keeps_amounts_exact(api: ProviderAPI, retry: RetryPolicy) -> None:
    # 40 days served 7 buckets a page: the adapter must follow next_page six times.
    api.page_limit = 7
    expected = Decimal(0)
    for n in range(40):
        day = START + timedelta(days=n)
        if n % 10 == 3:
            continue  # a day with no spend still comes back as an empty bucket
        # A JSON number, a string (seen live), and a long fraction of a cent.
        api.add("openai", "costs", day, openai_cost("proj_a", "gpt-4o, input", 0.06))
        api.add("openai", "costs", day, openai_cost("proj_a", "gpt-4o, output", "12.50"))
        api.add("openai", "costs", day, openai_cost("proj_b", "Web search", 0.1234567891))
        expected += Decimal("0.06") + Decimal("12.50") + Decimal("0.1234567891")

    result = adapter(api, retry).fetch(START, START + timedelta(days=40))

    assert len(api.requests_to(COSTS)) == 6  # ceil(40 / 7)
    assert result.days == {START + timedelta(days=n) for n in range(40)}
    assert len(result.costs) == 36 * 3
    assert (
        sum(c.amount for c in result.costs) == expected == Decimal("456.6044444076")
    )  # 36 days × $12.6834567891
    web = [c for c in result.costs if c.line_item == "Web search"][0]
    assert (web.project, web.amount, web.model) == ("proj_b", Decimal("0.1234567891"), None)
    assert [c.model for c in result.costs if c.line_item == "gpt-4o, input"][0] == "gpt-4o"


def test_sends_documented_query_and_auth(api: ProviderAPI, retry: RetryPolicy) -> None:
    adapter(api, retry).fetch(START, START + timedelta(days=200))

    costs = api.requests_to(COSTS)[0]
    assert costs.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert costs.query["group_by"] == ["project_id", "line_item"]
    assert costs.query["bucket_width"] == ["1d"]
    assert costs.query["limit"] == ["7"]  # a week a page: what a sync holds in memory
    assert costs.query["start_time"] == ["1788220800"]  # 2026-09-01T00:00:00Z
    usage = api.requests_to(USAGE)[0]
    assert usage.query["group_by"] == ["model"]
    assert usage.query["limit"] == ["31"]
    assert len(api.requests_to(USAGE)) == 7  # ceil(200 / 31)


def test_token_usage_per_model(api: ProviderAPI, retry: RetryPolicy) -> None:
    api.add("openai", "usage", START, openai_usage("gpt-4o", 1000, 400, 500, 5))
    api.add("openai", "usage", START, openai_usage("gpt-4o-mini", 70, 0, 30, 2))

    result = adapter(api, retry).fetch(START, START + timedelta(days=2))

    assert [
        (u.model, u.input_tokens, u.cached_input_tokens, u.output_tokens, u.requests)
        for u in result.usage
    ] == [("gpt-4o", 1000, 400, 500, 5), ("gpt-4o-mini", 70, 0, 30, 2)]
    assert result.usage_days == {START, START + timedelta(days=1)}


def test_429_waits_for_retry_after(
    api: ProviderAPI, retry: RetryPolicy, sleeps: list[float]
) -> None:
    api.add("openai", "costs", START, openai_cost("p", "x", "1.00"))
    api.fail(COSTS, Fault(status=429, headers={"Retry-After": "7"}, body='{"error": {}}'))

    result = adapter(api, retry).fetch(START, START + timedelta(days=1))

    assert sleeps == [7.0]
    assert [c.amount for c in result.costs] == [Decimal("1.00")]


def test_500_and_truncated_page_are_retried_with_backoff(
    api: ProviderAPI, retry: RetryPolicy, sleeps: list[float]
) -> None:
    api.add("openai", "costs", START, openai_cost("p", "x", "2.00"))
    api.fail(COSTS, Fault(status=500), Fault(truncate=True))

    result = adapter(api, retry).fetch(START, START + timedelta(days=1))

    assert sleeps == [1.0, 2.0]  # exponential ceilings: base 1 s, then 2 s
    assert len(api.requests_to(COSTS)) == 3
    assert [c.amount for c in result.costs] == [Decimal("2.00")]


def test_gives_up_after_bounded_tries_naming_the_provider(
    api: ProviderAPI, retry: RetryPolicy
) -> None:
    api.fail(COSTS, *[Fault(status=503)] * 10)

    with pytest.raises(ProviderUnavailable) as raised:
        adapter(api, retry).fetch(START, START + timedelta(days=1))

    assert str(raised.value).startswith("openai: ")
    assert "HTTP 503" in str(raised.value) and "4 tries" in str(raised.value)
    assert len(api.requests_to(COSTS)) == 4


def test_persistently_truncated_page_is_an_error_not_data(
    api: ProviderAPI, retry: RetryPolicy
) -> None:
    api.add("openai", "costs", START, openai_cost("p", "x", "2.00"))
    api.fail(COSTS, *[Fault(truncate=True)] * 4)

    with pytest.raises(ProviderUnavailable, match="not valid JSON"):
        adapter(api, retry).fetch(START, START + timedelta(days=1))


def test_bad_key_is_not_retried_and_not_echoed(
    api: ProviderAPI, retry: RetryPolicy, sleeps: list[float]
) -> None:
    wrong = "sk-admin-WRONG-key-abcdefghijklmnop"

    with pytest.raises(ProviderAuthError) as raised:
        adapter(api, retry, key=wrong).fetch(START, START + timedelta(days=1))

    message = str(raised.value)
    assert "OPENAI_ADMIN_KEY" in message and "401" in message
    assert wrong[:8] not in message and "WRONG" not in message
    assert sleeps == [] and len(api.requests_to(COSTS)) == 1


def test_retry_after_longer_than_allowed_fails_fast(api: ProviderAPI, sleeps: list[float]) -> None:
    policy = RetryPolicy(max_retry_after=60, sleep=sleeps.append)
    api.fail(COSTS, Fault(status=429, headers={"Retry-After": "3600"}, body="{}"))

    with pytest.raises(ProviderUnavailable, match="asked to wait 3600s"):
        adapter(api, policy).fetch(START, START + timedelta(days=1))
    assert sleeps == []
