"""OpenRouter's prepaid credits: fetched with each sync over loopback, stored, and turned into
a runway (days of recent spend left) that status shows and a failing `/credits` never breaks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing_adapters import OpenRouterBilling, ProviderResponseError, RetryPolicy
from billing_adapters.openrouter import read_credits
from bot.core.balance import FetchedBalance, runway
from bot.core.records import DailySpend
from bot.db.balances import BalanceStore
from bot.db.store import SpendStore
from bot.render.status_text import status_text
from bot.services.status import load_status
from bot.services.sync import run_sync
from tests.fakes.openrouter_api import MANAGEMENT_KEY, OpenRouterAPI, activity_row
from tests.fakes.provider_api import Fault

pytestmark = pytest.mark.calendar_free

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
NO_WAIT = RetryPolicy(max_attempts=2, sleep=lambda seconds: None)


@pytest.fixture
def api() -> Iterator[OpenRouterAPI]:
    with OpenRouterAPI(TODAY) as server:
        for n in range(1, 31):
            server.add(activity_row(TODAY - timedelta(days=n), "openai/gpt-4o", "3.00"))
        server.credits = (100.5, 25.75)
        yield server


def sync(store: SpendStore, api: OpenRouterAPI) -> str:
    source = OpenRouterBilling(api_key=MANAGEMENT_KEY, base_url=api.base_url, retry=NO_WAIT)
    try:
        (outcome,) = run_sync(store, [source], now=NOW, today_local=TODAY)
    finally:
        source.close()
    assert outcome.ok, outcome.message
    return outcome.message


def test_a_sync_stores_the_credits_and_status_shows_the_runway(
    store: SpendStore, api: OpenRouterAPI
) -> None:
    assert sync(store, api).endswith(", $74.75 of credits left")
    (balance,) = BalanceStore(store.engine).latest()
    assert (balance.credits, balance.used, balance.fetched_at) == (
        Decimal("100.5"),
        Decimal("25.75"),
        NOW,
    )
    report = load_status(store, now=NOW, tz=ZoneInfo("UTC"), providers=["openrouter"])
    (credits,) = report.as_dict()["credits"]
    assert credits["remaining"] == 74.75 and credits["burn_per_day_usd"] == 3.0
    assert credits["days_left"] == 24.9 and credits["low"] is False  # 74.75 / 3
    assert (
        "  Credits: openrouter: $74.75 of $100.50 credits left (as of 23 Nov 10:00 UTC); "
        "at $3.00/day (mean of the last 7 days) about 25 days"
    ) in status_text(report).splitlines()
    api.credits = (100.5, 90.0)  # a later sync replaces the balance, it never adds one
    sync(store, api)
    report = load_status(store, now=NOW, tz=ZoneInfo("UTC"), providers=["openrouter"])
    (runway_now,) = report.runways
    assert runway_now.balance.remaining == Decimal("10.5") and runway_now.low
    assert any(
        line.startswith("  Credits running low: openrouter: $10.50 of $100.50")
        for line in status_text(report).splitlines()
    )


def test_credits_refused_leave_the_days_synced_and_say_so(
    store: SpendStore, api: OpenRouterAPI
) -> None:
    api.fail("/api/v1/credits", *[Fault(500)] * 2)
    message = sync(store, api)
    assert "; credits not updated: openrouter:" in message
    assert BalanceStore(store.engine).latest() == []
    assert len(store.daily_spend(TODAY - timedelta(days=30), TODAY)) == 30


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({}, "credits has no 'data' object"),
        ({"data": {"total_credits": 5}}, "total_usage is None, not a number"),
        ({"data": {"total_credits": "x", "total_usage": 1}}, "total_credits 'x' is not a number"),
        ({"data": {"total_credits": 5, "total_usage": -1}}, "is negative"),
    ],
)
def test_a_credits_answer_without_both_totals_is_an_error(body: dict, says: str) -> None:
    with pytest.raises(ProviderResponseError, match=says):
        read_credits(body)


def balance(remaining: str) -> FetchedBalance:
    return FetchedBalance("openrouter", Decimal(100), 100 - Decimal(remaining), "USD", NOW)


def spend(*amounts: tuple[int, str]) -> list[DailySpend]:
    return [DailySpend("openrouter", TODAY - timedelta(days=n), Decimal(a)) for n, a in amounts]


def synced(*days_back: int) -> set[tuple[str, date]]:
    return {("openrouter", TODAY - timedelta(days=n)) for n in days_back}


def test_the_burn_rate_counts_synced_zero_days_and_leaves_missing_days_out() -> None:
    # Synced 1-4 days back; 2 days back had no spend (a real $0); 5-7 back never synced.
    r = runway(balance("30"), spend((1, "10"), (3, "5"), (4, "5")), synced(1, 2, 3, 4), today=TODAY)
    assert (r.burn_per_day, r.burn_days, r.days_left) == (Decimal(5), 4, Decimal(6))
    assert r.low  # under a week


def test_too_few_days_or_no_spend_give_no_runway_rather_than_a_guess() -> None:
    few = runway(balance("30"), spend((1, "10"), (2, "10")), synced(1, 2), today=TODAY)
    assert few.burn_per_day is None and few.days_left is None and not few.low
    assert "too few synced days" in few.describe("UTC", "23 Nov 10:00")
    idle = runway(balance("30"), [], synced(1, 2, 3), today=TODAY)
    assert idle.burn_per_day == 0 and idle.days_left is None
    assert "no spend in the last 3 synced days" in idle.describe("UTC", "23 Nov 10:00")
    # Today's partial spend is not part of the rate.
    today_only = runway(balance("30"), spend((0, "99")), synced(0, 1, 2, 3), today=TODAY)
    assert today_only.burn_per_day == 0
