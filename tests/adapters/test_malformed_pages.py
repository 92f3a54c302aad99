"""Malformed provider pages: a clear error naming the provider, and stored data left untouched.

Each case makes the loopback provider answer one way a real API (or a proxy in front of it) can
go wrong: a page without `data`, a bucket whose `results` is not a list, a bucket without a
readable start, an amount of the wrong type or missing, one day billed in two currencies, a token
count that is not a number, a page cut off mid-way. The adapters must raise a ProviderError that
starts with the provider's name; a sync must record the failure and keep what was stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from billing_adapters import AnthropicBilling, OpenAIBilling, ProviderError, RetryPolicy
from bot.db.store import SpendStore
from bot.services.sync import run_sync
from tests.fakes.provider_api import (
    ANTHROPIC_KEY,
    OPENAI_KEY,
    Fault,
    ProviderAPI,
    anthropic_cost,
    anthropic_usage,
    openai_cost,
    openai_usage,
)

NO_WAIT = RetryPolicy(max_attempts=3, sleep=lambda seconds: None)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
BAD_DAY = date(2026, 11, 22)  # inside the re-fetch window of a sync six hours after NOW
COSTS = {"openai": "/v1/organization/costs", "anthropic": "/v1/organizations/cost_report"}
BUCKET_START = {"openai": "start_time", "anthropic": "starting_at"}
PROVIDERS = ("openai", "anthropic")

Breakage = Callable[[ProviderAPI, str], None]


def page(provider: str, buckets: list[Any]) -> dict[str, Any]:
    """One last page in the provider's envelope."""
    body: dict[str, Any] = {"data": buckets, "has_more": False, "next_page": None}
    return {"object": "page", **body} if provider == "openai" else body


def serve_page(api: ProviderAPI, provider: str, body: dict[str, Any]) -> None:
    """The provider's next cost page is `body`, whatever it holds."""
    api.fail(COSTS[provider], Fault(status=200, body=json.dumps(body)))


def bucket(provider: str, **changes: Any) -> dict[str, Any]:
    """A well-formed bucket for BAD_DAY, with some fields replaced."""
    return {**ProviderAPI._bucket(provider, BAD_DAY, []), **changes}


def cost_row(provider: str, amount: object = "12.5", **changes: Any) -> dict[str, Any]:
    """A cost result with `amount` as the amount's value (dollars for OpenAI, cents else)."""
    if provider == "openai":
        row = openai_cost("proj", "gpt-4o, input", amount)
        row["amount"].update(changes)
        return row
    return {**anthropic_cost("wrkspc", "Sonnet - Input", amount), **changes}  # type: ignore[arg-type]


def add_cost(**changes: Any) -> Breakage:
    return lambda api, provider: api.add(provider, "costs", BAD_DAY, cost_row(provider, **changes))


def add_row(row: object, kind: str = "costs") -> Breakage:
    return lambda api, provider: api.add(provider, kind, BAD_DAY, row)  # type: ignore[arg-type]


def add_cost_with(**fields: Any) -> Breakage:
    return lambda api, p: api.add(p, "costs", BAD_DAY, {**cost_row(p), **fields})


def without_amount(api: ProviderAPI, provider: str) -> None:
    row = cost_row(provider)
    del row["amount"]
    api.add(provider, "costs", BAD_DAY, row)


def in_euros(api: ProviderAPI, provider: str) -> None:
    """A line in euros beside a line in dollars on one day: a day is kept in one currency."""
    api.add(provider, "costs", BAD_DAY, cost_row(provider, currency="USD"))
    api.add(provider, "costs", BAD_DAY, cost_row(provider, currency="EUR"))


def tokens(count: object) -> Breakage:
    """A usage row whose input token count is `count`."""

    def add(api: ProviderAPI, provider: str) -> None:
        if provider == "openai":
            row = {**openai_usage("gpt-4o", 10, 0, 5, 1), "input_tokens": count}
        else:
            usage = anthropic_usage("claude-sonnet-4", 10, 0, 0, 0, 5)
            row = {**usage, "uncached_input_tokens": count}
        api.add(provider, "usage", BAD_DAY, row)

    return add


def truncated(api: ProviderAPI, provider: str) -> None:
    api.fail(COSTS[provider], *[Fault(truncate=True)] * NO_WAIT.max_attempts)


CASES: dict[str, tuple[Breakage, str]] = {
    "page without data": (lambda api, p: serve_page(api, p, {"has_more": False}), "'data'"),
    "data not a list": (lambda api, p: serve_page(api, p, {"data": {"a": 1}}), "'data'"),
    "results not a list": (
        lambda api, p: serve_page(api, p, page(p, [bucket(p, results={"n": 1})])),
        "'results'",
    ),
    "bucket not an object": (lambda api, p: serve_page(api, p, page(p, ["day"])), "'results'"),
    "bucket start unreadable": (
        lambda api, p: serve_page(api, p, page(p, [bucket(p, **{BUCKET_START[p]: "soon"})])),
        "'soon'",
    ),
    "bucket start missing": (
        lambda api, p: serve_page(api, p, page(p, [bucket(p, **{BUCKET_START[p]: None})])),
        "None",
    ),
    "amount not a number": (add_cost(amount="abc"), "'abc' is not a number"),
    "amount null": (add_cost(amount=None), "None, not a number"),
    "amount true": (add_cost(amount=True), "True, not a number"),
    "amount an object": (add_cost(amount={"cents": 5}), "not a number"),
    "amount missing": (without_amount, f"on {BAD_DAY}"),
    "amount infinite": (add_cost(amount="Infinity"), "not a finite number"),
    "currency EUR beside USD": (in_euros, "is billed in both"),
    "token count not a number": (tokens("lots"), "'lots' is not a count"),
    "token count negative": (tokens(-5), "-5 is out of range"),
    "token count beyond BIGINT": (tokens(2**63), f"{2**63} is out of range"),
    "token count fractional": (tokens(1.5), "not a whole number"),
    "page truncated": (truncated, "not valid JSON"),
    "cost row not an object": (add_row(5), "is not an object"),
    "usage row not an object": (add_row("row", "usage"), "is not an object"),
    "text field of the wrong type": (  # OpenAI reads line_item, Anthropic workspace_id
        add_cost_with(line_item=5, workspace_id=["w"]),
        "is not text",
    ),
    "amount a JSON list": (add_cost(amount=[0, [1], 0]), "not a number"),  # not a Decimal tuple
    "amount absurdly large": (add_cost(amount="1e30"), "out of range"),
}


def source(api: ProviderAPI, provider: str) -> OpenAIBilling | AnthropicBilling:
    if provider == "openai":
        return OpenAIBilling(api_key=OPENAI_KEY, base_url=api.openai_base_url, retry=NO_WAIT)
    return AnthropicBilling(api_key=ANTHROPIC_KEY, base_url=api.anthropic_base_url, retry=NO_WAIT)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_page_is_an_error_naming_the_provider(
    api: ProviderAPI, provider: str, case: str
) -> None:
    breakage, says = CASES[case]
    api.add(provider, "costs", BAD_DAY - timedelta(days=1), cost_row(provider))
    breakage(api, provider)
    billing = source(api, provider)
    try:
        with pytest.raises(ProviderError) as raised:
            billing.fetch(BAD_DAY - timedelta(days=2), BAD_DAY + timedelta(days=2))
    finally:
        billing.close()
    message = str(raised.value)
    assert message.startswith(f"{provider}: "), message
    assert says in message and len(message.splitlines()) == 1, message


def stored(store: SpendStore) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """Everything a sync writes that a user sees: daily spend and token usage."""
    window = (date(2026, 1, 1), date(2027, 1, 1))
    usage = [
        (u.provider, u.day, u.model, u.input_tokens, u.output_tokens)
        for u in store.token_usage(*window)
    ]
    return store.daily_spend(*window), usage


def good_rows(day: date) -> dict[tuple[str, str], dict[str, Any]]:
    """One well-formed result row per provider and report for `day`."""
    dollars = f"{(day - date(2026, 10, 1)).days}.25"
    return {
        ("openai", "costs"): openai_cost("proj", "gpt-4o, input", dollars),
        ("openai", "usage"): openai_usage("gpt-4o", 1000, 0, 100, 3),
        ("anthropic", "costs"): anthropic_cost("w", "Sonnet - Input", "250"),
        ("anthropic", "usage"): anthropic_usage("claude-sonnet-4", 900, 0, 0, 0, 90),
    }


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_malformed_page_leaves_stored_data_untouched(
    store: SpendStore, api: ProviderAPI, provider: str
) -> None:
    """Every case in turn on one database: each sync fails for `provider` alone, stores nothing."""
    for n in range(54):
        day = date(2026, 10, 1) + timedelta(days=n)
        for (name, kind), row in good_rows(day).items():
            api.add(name, kind, day, row)

    def sync(now: datetime) -> dict[str, bool]:
        sources = [source(api, p) for p in PROVIDERS]
        try:
            outcomes = run_sync(store, sources, now=now, today_local=now.date())
        finally:
            for s in sources:
                s.close()
        return {o.provider: o.ok for o in outcomes}

    assert sync(NOW) == {"openai": True, "anthropic": True}
    before = stored(store)
    assert before[0] and before[1]
    other = "anthropic" if provider == "openai" else "openai"
    for hours, case in enumerate(sorted(CASES), start=1):
        breakage, says = CASES[case]
        breakage(api, provider)
        outcome = sync(NOW + timedelta(hours=hours))
        assert outcome == {provider: False, other: True}, case
        assert stored(store) == before, case  # the other provider re-fetched the same days
        failed = store.last_runs()[provider]
        assert not failed.ok and failed.message.startswith(f"{provider}: "), case
        assert says in failed.message, (case, failed.message)
        for kind in ("costs", "usage"):  # mend the day for the next case
            api.clear(provider, kind, BAD_DAY)
            api.add(provider, kind, BAD_DAY, good_rows(BAD_DAY)[(provider, kind)])
    last_success = store.last_success(provider)
    assert last_success is not None and last_success.finished_at == NOW
