"""Each field of Anthropic's cost_report and usage_report rows, read as the Admin API documents it.

Rows go over real HTTP from the loopback stand-in. Fields the API leaves out or sends as null
(currency, model, cache_creation) have documented meanings a user relies on; a field of the
wrong type is an error whose whole text is asserted, because that text is what a user reads in
Slack and in `aicost status` when a sync fails.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from billing_adapters import AnthropicBilling, ProviderResponseError, RetryPolicy
from tests.fakes.provider_api import (
    ANTHROPIC_KEY,
    Fault,
    ProviderAPI,
    anthropic_cost,
    anthropic_usage,
)

COSTS = "/v1/organizations/cost_report"
DAY = date(2026, 10, 1)
NEXT_DAY = DAY + timedelta(days=1)


def fetch(api: ProviderAPI, retry: RetryPolicy) -> Any:
    """One day, DAY, fetched through the real client."""
    billing = AnthropicBilling(api_key=ANTHROPIC_KEY, base_url=api.anthropic_base_url, retry=retry)
    try:
        return billing.fetch(DAY, NEXT_DAY)
    finally:
        billing.close()


def test_cost_lines_name_the_provider_workspace_description_and_model(
    api: ProviderAPI, retry: RetryPolicy
) -> None:
    """A cost row becomes one line in dollars, with the provider's own names kept."""
    row = anthropic_cost("wrkspc_01", "Claude Sonnet 4 Usage - Input Tokens", "250")
    api.add("anthropic", "costs", DAY, {**row, "model": "claude-sonnet-4"})

    result = fetch(api, retry)

    assert result.provider == "anthropic"
    (line,) = result.costs
    # "250" cents is $2.50.
    assert tuple(line) == (
        "anthropic",
        DAY,
        "wrkspc_01",
        "Claude Sonnet 4 Usage - Input Tokens",
        Decimal("2.5"),
        "claude-sonnet-4",
        "USD",
    )


@pytest.mark.parametrize("currency", [None, "missing", "usd"])
def test_a_cost_without_a_currency_or_in_lower_case_is_usd(
    api: ProviderAPI, retry: RetryPolicy, currency: str | None
) -> None:
    """The API says currency is "Currently always USD": absent, null or "usd" all mean dollars."""
    row = anthropic_cost("w", "Web Search Usage", "1000")
    if currency == "missing":
        del row["currency"]
    else:
        row["currency"] = currency
    api.add("anthropic", "costs", DAY, row)

    (line,) = fetch(api, retry).costs

    assert (line.amount, line.currency) == (Decimal("10"), "USD")  # 1000 cents


def test_a_cost_in_euros_is_kept_in_euro_cents(api: ProviderAPI, retry: RetryPolicy) -> None:
    """Amounts are in the lowest units of the row's currency: 1000 euro cents are EUR 10."""
    api.add(
        "anthropic",
        "costs",
        DAY,
        {**anthropic_cost("w", "Web Search Usage", "1000"), "currency": "EUR"},
    )
    (line,) = fetch(api, retry).costs
    assert (line.amount, line.currency) == (Decimal("10"), "EUR")


def test_a_cost_row_without_model_has_no_model(api: ProviderAPI, retry: RetryPolicy) -> None:
    """Code execution and web search rows name no model: None, not an empty string."""
    api.add(
        "anthropic",
        "costs",
        DAY,
        {**anthropic_cost("w", "Code Execution Usage", "5"), "model": None},
    )

    (line,) = fetch(api, retry).costs

    assert (line.line_item, line.model) == ("Code Execution Usage", None)


def test_usage_rows_name_the_provider_and_count_no_requests(
    api: ProviderAPI, retry: RetryPolicy
) -> None:
    """The messages usage report has no request count, so requests are 0, never invented."""
    api.add("anthropic", "usage", DAY, anthropic_usage("claude-opus-4", 10, 20, 30, 40, 50))

    (usage,) = fetch(api, retry).usage

    # input = 10 uncached + 20 cache reads + 30 5-minute writes + 40 1-hour writes = 100
    assert tuple(usage) == ("anthropic", DAY, "claude-opus-4", 100, 20, 50, 0)


@pytest.mark.parametrize("creation", [None, "missing"])
def test_usage_without_cache_creation_counts_no_cache_writes(
    api: ProviderAPI, retry: RetryPolicy, creation: None | str
) -> None:
    """Older usage rows carry no cache_creation object: no tokens were written to the cache."""
    row = anthropic_usage("claude-3-5-haiku", 700, 300, 0, 0, 90)
    if creation == "missing":
        del row["cache_creation"]
    else:
        row["cache_creation"] = None
    api.add("anthropic", "usage", DAY, row)

    (usage,) = fetch(api, retry).usage

    # input = 700 uncached + 300 cache reads
    assert (usage.input_tokens, usage.cached_input_tokens, usage.output_tokens) == (1000, 300, 90)


@pytest.mark.parametrize("model", [None, ""])
def test_usage_without_a_model_is_filed_under_unknown(
    api: ProviderAPI, retry: RetryPolicy, model: str | None
) -> None:
    """Usage is grouped by model; a row naming none still counts, under "unknown"."""
    api.add("anthropic", "usage", DAY, {**anthropic_usage("x", 5, 0, 0, 0, 7), "model": model})

    (usage,) = fetch(api, retry).usage

    assert (usage.model, usage.input_tokens, usage.output_tokens) == ("unknown", 5, 7)


def cost_with(**fields: Any) -> dict[str, Any]:
    return {**anthropic_cost("w", "Sonnet - Input", "100"), **fields}


def usage_with(**fields: Any) -> dict[str, Any]:
    return {**anthropic_usage("claude-sonnet-4", 10, 1, 2, 3, 4), **fields}


def creation_with(**fields: Any) -> dict[str, Any]:
    row = anthropic_usage("claude-sonnet-4", 10, 1, 2, 3, 4)
    row["cache_creation"] = {**row["cache_creation"], **fields}
    return row


MALFORMED_ROWS: dict[str, tuple[str, dict[str, Any], str]] = {
    "currency not a code": (
        "costs",
        cost_with(currency="US$"),
        "anthropic: currency on 2026-10-01 'US$' is not a currency code",
    ),
    "amount not a number": (
        "costs",
        cost_with(amount="12,5"),
        "anthropic: amount on 2026-10-01 '12,5' is not a number",
    ),
    "workspace_id a list": (
        "costs",
        cost_with(workspace_id=["w"]),
        "anthropic: workspace_id ['w'] is not text",
    ),
    "description a number": (
        "costs",
        cost_with(description=7),
        "anthropic: description 7 is not text",
    ),
    "cost model an object": (
        "costs",
        cost_with(model={"id": "m"}),
        "anthropic: model {'id': 'm'} is not text",
    ),
    "usage model a number": ("usage", usage_with(model=4), "anthropic: model 4 is not text"),
    "cache_creation a list": (
        "usage",
        usage_with(cache_creation=[1, 2]),
        "anthropic: usage on 2026-10-01 has a malformed cache_creation",
    ),
    "uncached_input_tokens text": (
        "usage",
        usage_with(uncached_input_tokens="ten"),
        "anthropic: uncached_input_tokens 'ten' is not a count",
    ),
    "cache_read_input_tokens text": (
        "usage",
        usage_with(cache_read_input_tokens="one"),
        "anthropic: cache_read_input_tokens 'one' is not a count",
    ),
    "ephemeral_5m_input_tokens text": (
        "usage",
        creation_with(ephemeral_5m_input_tokens="two"),
        "anthropic: ephemeral_5m_input_tokens 'two' is not a count",
    ),
    "ephemeral_1h_input_tokens text": (
        "usage",
        creation_with(ephemeral_1h_input_tokens="three"),
        "anthropic: ephemeral_1h_input_tokens 'three' is not a count",
    ),
    "output_tokens text": (
        "usage",
        usage_with(output_tokens="four"),
        "anthropic: output_tokens 'four' is not a count",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_ROWS))
def test_a_malformed_row_fails_with_a_message_naming_the_field(
    api: ProviderAPI, retry: RetryPolicy, case: str
) -> None:
    """The whole message: provider, field as the API names it, the bad value, and the day."""
    kind, row, message = MALFORMED_ROWS[case]
    api.add("anthropic", kind, DAY, row)

    with pytest.raises(ProviderResponseError) as raised:
        fetch(api, retry)

    assert str(raised.value) == message


def test_an_unreadable_bucket_start_names_the_value(api: ProviderAPI, retry: RetryPolicy) -> None:
    """A bucket whose starting_at is not an RFC 3339 time cannot be placed on a day."""
    bucket = {"starting_at": "2026-10-01 at midnight", "ending_at": None, "results": []}
    page = {"data": [bucket], "has_more": False, "next_page": None}
    api.fail(COSTS, Fault(status=200, body=json.dumps(page)))

    with pytest.raises(ProviderResponseError) as raised:
        fetch(api, retry)

    assert str(raised.value) == (
        "anthropic: bucket starting_at '2026-10-01 at midnight' is not a date"
    )
