"""A sync also fetches hourly usage for the break-even window, after the billing days are in.

Hours are replaced, never added to; a provider refusing its hours leaves its days synced and
its stored hours as they were, and the sync's message says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from billing_adapters import OpenAIBilling, RetryPolicy
from bot.db.hourly_usage import HourlyUsageStore
from bot.db.store import SpendStore
from bot.services.sync import HOURLY_DAYS, run_sync
from tests.fakes.provider_api import (
    HOURLY,
    OPENAI_KEY,
    Fault,
    ProviderAPI,
    openai_cost,
    openai_usage,
)

# Every moment here is fixed, none is the suite's own: the calendar passes would repeat it.
pytestmark = pytest.mark.calendar_free

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
NO_WAIT = RetryPolicy(max_attempts=2, sleep=lambda seconds: None)
USAGE = "/v1/organization/usage/completions"
BUSY = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture
def api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as server:
        for n in range(60):
            day = date(2026, 10, 1) + timedelta(days=n)
            server.add("openai", "costs", day, openai_cost("proj", "gpt-4o, input", "10.00"))
            server.add("openai", "usage", day, openai_usage("gpt-4o", 24_000, 0, 2_400, 10))
        server.add_hour("openai", BUSY, openai_usage(None, 5_000, 0, 700, 3))  # type: ignore[arg-type]
        yield server


def sync(store: SpendStore, api: ProviderAPI, now: datetime = NOW) -> list:
    source = OpenAIBilling(api_key=OPENAI_KEY, base_url=api.openai_base_url, retry=NO_WAIT)
    return run_sync(store, [source], now=now, today_local=now.date())


def stored(store: SpendStore) -> dict[datetime, int]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = HourlyUsageStore(store.engine).read(start, start + timedelta(days=365))
    return {h.hour: h.output_tokens for h in rows}


def test_the_first_sync_stores_the_window_s_complete_hours(
    store: SpendStore, api: ProviderAPI
) -> None:
    (outcome,) = sync(store, api)
    hours = stored(store)
    first = datetime(2026, 11, 23, tzinfo=UTC) - timedelta(days=HOURLY_DAYS)
    last_complete = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00-11:00 is still running
    assert min(hours) == first and max(hours) == last_complete
    assert len(hours) == HOURLY_DAYS * 24 + 10
    assert hours[BUSY] == 700 and sum(hours.values()) == 700
    assert outcome.ok and f"{len(hours)} hours of usage" in outcome.message


def test_a_second_sync_replaces_hours_and_never_adds(store: SpendStore, api: ProviderAPI) -> None:
    sync(store, api)
    api.add_hour("openai", BUSY, openai_usage("x", 0, 0, 300, 1))  # revised upwards
    sync(store, api, NOW + timedelta(hours=2))
    hours = stored(store)
    assert hours[BUSY] == 1_000  # 700 + 300 as the provider now says, not 700 + 1,000
    assert max(hours) == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def test_refused_hours_leave_the_days_synced_and_the_hours_as_they_were(
    store: SpendStore, api: ProviderAPI
) -> None:
    sync(store, api)
    before = stored(store)
    api.fail(USAGE + HOURLY, Fault(status=403, body='{"error": {"message": "no usage scope"}}'))
    (outcome,) = sync(store, api, NOW + timedelta(days=1))
    assert outcome.ok  # the billing days went in
    assert "hourly usage not updated" in outcome.message and "403" in outcome.message
    assert stored(store) == before
    assert store.last_success("openai") is not None
    assert max(d.day for d in store.daily_spend(date(2026, 11, 1), date(2026, 12, 1))) == date(
        2026, 11, 24
    )
