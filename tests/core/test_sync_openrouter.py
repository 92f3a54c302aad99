"""OpenRouter synced beside OpenAI into a real database: exact, idempotent, and independent.

Days older than OpenRouter's 30 answered days stay missing (never $0) while OpenAI's are there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing_adapters import OpenAIBilling, OpenRouterBilling, RetryPolicy
from bot.db.store import SpendStore
from bot.services.status import load_status
from bot.services.sync import run_sync
from tests.fakes.openrouter_api import MANAGEMENT_KEY, OpenRouterAPI, activity_row
from tests.fakes.provider_api import OPENAI_KEY, Fault, ProviderAPI, openai_cost

# Every moment here is fixed, none is the suite's own: the calendar passes would repeat it.
pytestmark = pytest.mark.calendar_free

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
NO_WAIT = RetryPolicy(max_attempts=2, sleep=lambda seconds: None)


@pytest.fixture
def apis() -> Iterator[tuple[ProviderAPI, OpenRouterAPI]]:
    with ProviderAPI() as openai_api, OpenRouterAPI(NOW.date()) as openrouter_api:
        for n in range(60):
            day = date(2026, 10, 1) + timedelta(days=n)
            openai_api.add("openai", "costs", day, openai_cost("p", "gpt-4o, input", "10.00"))
            openrouter_api.add(activity_row(day, "anthropic/claude-sonnet-4", "0.333", prompt=9))
            openrouter_api.add(activity_row(day, "anthropic/claude-sonnet-4", 0.334, endpoint="b"))
        yield openai_api, openrouter_api


def sync(store: SpendStore, apis: tuple[ProviderAPI, OpenRouterAPI]) -> list:
    openai_api, openrouter_api = apis
    sources = [
        OpenAIBilling(api_key=OPENAI_KEY, base_url=openai_api.openai_base_url, retry=NO_WAIT),
        OpenRouterBilling(api_key=MANAGEMENT_KEY, base_url=openrouter_api.base_url, retry=NO_WAIT),
    ]
    return run_sync(store, sources, now=NOW, today_local=NOW.date())


def totals(store: SpendStore) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for row in store.daily_spend(date(2026, 1, 1), date(2027, 1, 1)):
        out[row.provider] = out.get(row.provider, Decimal(0)) + row.amount_usd
    return out


def test_both_sources_stored_exactly_and_a_resync_adds_nothing(
    store: SpendStore, apis: tuple[ProviderAPI, OpenRouterAPI]
) -> None:
    first = sync(store, apis)
    assert [o.ok for o in first] == [True, True]
    # OpenRouter answers 24 Oct - 22 Nov: 30 days at $0.667.
    expected = {"openai": Decimal("540.00"), "openrouter": Decimal("20.010")}
    assert totals(store) == expected
    sync(store, apis)
    assert totals(store) == expected
    status = load_status(store, now=NOW, tz=ZoneInfo("UTC"), providers=["openai", "openrouter"])
    assert status.by_provider["openrouter"] == Decimal("14.674")  # 1-22 Nov
    # 1 Oct - 23 Oct were never answered by OpenRouter: missing, not $0.
    stored_days = {
        r.day
        for r in store.daily_spend(date(2026, 10, 1), date(2026, 11, 1))
        if r.provider == "openrouter"
    }
    assert min(stored_days) == date(2026, 10, 24)


def test_openrouter_failing_leaves_openai_synced(
    store: SpendStore, apis: tuple[ProviderAPI, OpenRouterAPI]
) -> None:
    apis[1].fail("/api/v1/activity", *[Fault(500)] * 2)
    openai_outcome, openrouter_outcome = sync(store, apis)
    assert openai_outcome.ok and not openrouter_outcome.ok
    assert "HTTP 500" in openrouter_outcome.message
    assert totals(store) == {"openai": Decimal("540.00")}
