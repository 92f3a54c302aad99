"""Each field of OpenAI's Costs and Completions Usage results, read as the API spec documents it.

Rows go over real HTTP from the loopback stand-in. Fields the API leaves null have documented
meanings a user relies on; a field of the wrong type is an error whose whole text is asserted,
because that text is what a user reads in Slack and in `aicost status` when a sync fails.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from billing_adapters import OpenAIBilling, ProviderResponseError, RetryPolicy
from tests.fakes.provider_api import OPENAI_KEY, Fault, ProviderAPI, openai_cost, openai_usage

COSTS = "/v1/organization/costs"
DAY = date(2026, 9, 1)
NEXT_DAY = DAY + timedelta(days=1)


def fetch(api: ProviderAPI, retry: RetryPolicy) -> Any:
    """One day, DAY, fetched through the real client."""
    billing = OpenAIBilling(api_key=OPENAI_KEY, base_url=api.openai_base_url, retry=retry)
    try:
        return billing.fetch(DAY, NEXT_DAY)
    finally:
        billing.close()


def test_cost_lines_name_the_provider_project_line_item_and_model(
    api: ProviderAPI, retry: RetryPolicy
) -> None:
    """A cost result becomes one line in dollars, with the provider's own names kept."""
    api.add("openai", "costs", DAY, openai_cost("proj_abc", "gpt-4o-2024-08-06, input", "3.25"))

    result = fetch(api, retry)

    assert result.provider == "openai"
    (line,) = result.costs
    assert tuple(line) == (
        "openai",
        DAY,
        "proj_abc",
        "gpt-4o-2024-08-06, input",
        Decimal("3.25"),
        "gpt-4o-2024-08-06",
        "USD",
    )


@pytest.mark.parametrize(
    ("line_item", "model"),
    [
        ("gpt-4o-mini, cached input", "gpt-4o-mini"),
        (" o3 , output", "o3"),  # spaces around the name are not part of it
        ("gpt-4.1, input, batch", "gpt-4.1"),  # the text before the first comma only
        ("Image models", None),  # no comma: the line item names no model
        ("", None),  # a null line item (not grouped by line item)
    ],
)
def test_the_model_is_the_line_item_text_before_the_first_comma(
    api: ProviderAPI, retry: RetryPolicy, line_item: str, model: str | None
) -> None:
    """Line items are free text; "<model>, <token kind>" is the only shape that names a model."""
    api.add("openai", "costs", DAY, openai_cost("p", line_item or None, "1"))

    (line,) = fetch(api, retry).costs

    assert (line.line_item, line.model) == (line_item, model)


@pytest.mark.parametrize("currency", [None, "missing", "USD"])
def test_a_cost_without_a_currency_or_in_upper_case_is_usd(
    api: ProviderAPI, retry: RetryPolicy, currency: str | None
) -> None:
    """The spec's currency is lower-case ISO 4217 ("usd"); absent, null or "USD" are dollars too."""
    row = openai_cost("p", "Web search", "0.75")
    if currency == "missing":
        del row["amount"]["currency"]
    else:
        row["amount"]["currency"] = currency
    api.add("openai", "costs", DAY, row)

    (line,) = fetch(api, retry).costs

    assert (line.amount, line.currency) == (Decimal("0.75"), "USD")  # dollars, as sent


def test_a_cost_in_euros_is_kept_in_euros(api: ProviderAPI, retry: RetryPolicy) -> None:
    row = openai_cost("p", "Web search", "0.75")
    row["amount"]["currency"] = "eur"
    api.add("openai", "costs", DAY, row)
    (line,) = fetch(api, retry).costs
    assert (line.amount, line.currency) == (Decimal("0.75"), "EUR")


def test_usage_rows_name_the_provider_and_every_count(api: ProviderAPI, retry: RetryPolicy) -> None:
    """Input, cached input, output and requests each come from their own documented field."""
    api.add("openai", "usage", DAY, openai_usage("gpt-4o", 1000, 250, 300, 9))

    (usage,) = fetch(api, retry).usage

    assert tuple(usage) == ("openai", DAY, "gpt-4o", 1000, 250, 300, 9)


@pytest.mark.parametrize("model", [None, ""])
def test_usage_without_a_model_is_filed_under_unknown(
    api: ProviderAPI, retry: RetryPolicy, model: str | None
) -> None:
    """Usage is grouped by model; a row naming none still counts, under "unknown"."""
    api.add("openai", "usage", DAY, {**openai_usage("x", 5, 0, 7, 1), "model": model})

    (usage,) = fetch(api, retry).usage

    assert (usage.model, usage.input_tokens, usage.output_tokens, usage.requests) == (
        "unknown",
        5,
        7,
        1,
    )


def cost_with(**fields: Any) -> dict[str, Any]:
    return {**openai_cost("proj", "gpt-4o, input", "1.00"), **fields}


def amount_with(**fields: Any) -> dict[str, Any]:
    row = openai_cost("proj", "gpt-4o, input", "1.00")
    row["amount"] = {**row["amount"], **fields}
    return row


def usage_with(**fields: Any) -> dict[str, Any]:
    return {**openai_usage("gpt-4o", 10, 1, 2, 3), **fields}


MALFORMED_ROWS: dict[str, tuple[str, dict[str, Any], str]] = {
    "amount missing": (
        "costs",
        {k: v for k, v in cost_with().items() if k != "amount"},
        "openai: cost result on 2026-09-01 has no amount object",
    ),
    "amount a bare number": (
        "costs",
        cost_with(amount=1.5),
        "openai: cost result on 2026-09-01 has no amount object",
    ),
    "currency not a code": (
        "costs",
        amount_with(currency=7),
        "openai: currency on 2026-09-01 7 is not a currency code",
    ),
    "value not a number": (
        "costs",
        amount_with(value="1,5"),
        "openai: amount on 2026-09-01 '1,5' is not a number",
    ),
    "project_id a number": ("costs", cost_with(project_id=12), "openai: project_id 12 is not text"),
    "line_item a list": (
        "costs",
        cost_with(line_item=["gpt-4o"]),
        "openai: line_item ['gpt-4o'] is not text",
    ),
    "usage model a number": ("usage", usage_with(model=4), "openai: model 4 is not text"),
    "input_tokens text": (
        "usage",
        usage_with(input_tokens="ten"),
        "openai: input_tokens 'ten' is not a count",
    ),
    "input_cached_tokens text": (
        "usage",
        usage_with(input_cached_tokens="one"),
        "openai: input_cached_tokens 'one' is not a count",
    ),
    "output_tokens text": (
        "usage",
        usage_with(output_tokens="two"),
        "openai: output_tokens 'two' is not a count",
    ),
    "num_model_requests text": (
        "usage",
        usage_with(num_model_requests="three"),
        "openai: num_model_requests 'three' is not a count",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_ROWS))
def test_a_malformed_row_fails_with_a_message_naming_the_field(
    api: ProviderAPI, retry: RetryPolicy, case: str
) -> None:
    """The whole message: provider, field as the API names it, the bad value, and the day."""
    kind, row, message = MALFORMED_ROWS[case]
    api.add("openai", kind, DAY, row)

    with pytest.raises(ProviderResponseError) as raised:
        fetch(api, retry)

    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("start_time", "shown"),
    [
        (True, "True"),  # JSON true is not 1 second after the epoch
        ("1788220800", "'1788220800'"),  # the spec's start_time is an integer, not a string
        (None, "None"),
    ],
)
def test_a_bucket_start_that_is_not_a_unix_time_is_an_error(
    api: ProviderAPI, retry: RetryPolicy, start_time: object, shown: str
) -> None:
    """A bucket whose start_time is not an integer cannot be placed on a day."""
    bucket = {"object": "bucket", "start_time": start_time, "end_time": 1788307200, "results": []}
    page = {"object": "page", "data": [bucket], "has_more": False, "next_page": None}
    api.fail(COSTS, Fault(status=200, body=json.dumps(page)))

    with pytest.raises(ProviderResponseError) as raised:
        fetch(api, retry)

    assert str(raised.value) == f"openai: bucket start_time {shown} is not a Unix time"
