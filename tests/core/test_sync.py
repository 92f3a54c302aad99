"""Syncing real adapters (over loopback HTTP) into real databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from billing_adapters import AnthropicBilling, OpenAIBilling, RetryPolicy
from bot.db.store import SpendStore
from bot.services.sync import plan_window, run_sync
from tests.fakes.provider_api import (
    ANTHROPIC_KEY,
    OPENAI_KEY,
    Fault,
    ProviderAPI,
    anthropic_cost,
    openai_cost,
    openai_usage,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
NO_WAIT = RetryPolicy(max_attempts=3, sleep=lambda seconds: None)


@pytest.fixture
def api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as server:
        for n in range(60):
            day = date(2026, 10, 1) + timedelta(days=n)
            api_day_cost = f"{n}.25"
            server.add("openai", "costs", day, openai_cost("proj", "gpt-4o, input", api_day_cost))
            server.add("openai", "usage", day, openai_usage("gpt-4o", 1000 * n, 0, 100 * n, n))
            server.add("anthropic", "costs", day, anthropic_cost("w", "Sonnet - Input", "250"))
        yield server


def sources(api: ProviderAPI, anthropic_key: str = ANTHROPIC_KEY) -> list:
    return [
        OpenAIBilling(api_key=OPENAI_KEY, base_url=api.openai_base_url, retry=NO_WAIT),
        AnthropicBilling(api_key=anthropic_key, base_url=api.anthropic_base_url, retry=NO_WAIT),
    ]


def spend(store: SpendStore) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for row in store.daily_spend(date(2026, 1, 1), date(2027, 1, 1)):
        out[row.provider] = out.get(row.provider, Decimal(0)) + row.amount_usd
    return out


def sync(store: SpendStore, api: ProviderAPI, now: datetime = NOW, **kwargs: object) -> list:
    return run_sync(store, sources(api, **kwargs), now=now, today_local=now.date())


def test_first_sync_backfills_from_the_start_of_last_month(
    store: SpendStore, api: ProviderAPI
) -> None:
    outcomes = sync(store, api)

    assert [(o.provider, o.ok, o.window_start, o.window_end) for o in outcomes] == [
        ("openai", True, date(2026, 10, 1), date(2026, 11, 24)),
        ("anthropic", True, date(2026, 10, 1), date(2026, 11, 24)),
    ]
    # OpenAI: days 0..53 of the fixture (Oct 1 .. Nov 23), $n.25 each: sum(n) + 54 * 0.25.
    # Anthropic: 54 days at 250 cents.
    assert spend(store) == {
        "openai": Decimal(sum(range(54))) + Decimal("13.5"),
        "anthropic": Decimal("135.00"),
    }


def test_syncing_twice_gives_the_same_totals(store: SpendStore, api: ProviderAPI) -> None:
    sync(store, api)
    first = spend(store)
    rows = len(store.daily_spend(date(2026, 1, 1), date(2027, 1, 1)))
    sync(store, api, now=NOW + timedelta(hours=6))
    assert spend(store) == first
    assert len(store.daily_spend(date(2026, 1, 1), date(2027, 1, 1))) == rows


def test_later_runs_refetch_recent_days_and_pick_up_revisions(
    store: SpendStore, api: ProviderAPI
) -> None:
    sync(store, api)
    revised = date(2026, 11, 22)
    api.clear("openai", "costs", revised)
    api.add("openai", "costs", revised, openai_cost("proj", "gpt-4o, input", "100.00"))

    outcomes = sync(store, api, now=NOW + timedelta(days=1))

    assert outcomes[0].window_start == date(2026, 11, 21)  # last window end (Nov 24) - 3 days
    daily = {r.day: r.amount_usd for r in store.daily_spend(revised, revised + timedelta(1))}
    assert daily == {revised: Decimal("100.00")}


def test_a_failing_provider_does_not_stop_or_damage_the_others(
    store: SpendStore, api: ProviderAPI
) -> None:
    sync(store, api)
    before = spend(store)
    api.add("openai", "costs", date(2026, 11, 23), openai_cost("proj", "late", "1.00"))

    outcomes = sync(store, api, anthropic_key="sk-ant-admin01-revoked-key-000000")

    assert [o.ok for o in outcomes] == [True, False]
    assert "ANTHROPIC_ADMIN_KEY" in outcomes[1].message
    assert "revoked" not in outcomes[1].message
    assert spend(store)["anthropic"] == before["anthropic"]
    assert spend(store)["openai"] == before["openai"] + Decimal("1.00")
    assert store.last_runs()["anthropic"].ok is False
    assert store.last_success("anthropic") is not None  # the earlier success still counts


def test_a_failure_after_the_cost_pages_writes_nothing(store: SpendStore, api: ProviderAPI) -> None:
    sync(store, api)
    before = spend(store)
    api.clear("openai", "costs", date(2026, 11, 23))
    api.fail("/v1/organization/usage/completions", *[Fault(status=500)] * 3)

    outcomes = sync(store, api, now=NOW + timedelta(hours=1))

    assert outcomes[0].ok is False and "HTTP 500" in outcomes[0].message
    assert spend(store) == before  # the cleared day was fetched, but never half-written


def test_plan_window_rules() -> None:
    today = date(2026, 11, 23)
    assert plan_window(last_success=None, today_utc=today, today_local=today, since=None) == (
        date(2026, 10, 1),
        date(2026, 11, 24),
    )
    since = date(2026, 1, 15)
    assert (
        plan_window(last_success=None, today_utc=today, today_local=today, since=since)[0] == since
    )
    future = date(2027, 1, 1)
    assert (
        plan_window(last_success=None, today_utc=today, today_local=today, since=future)[0] == today
    )
