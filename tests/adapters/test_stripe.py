"""The Stripe revenue adapter against a loopback server speaking the balance transactions list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing_adapters import (
    MonthlyRevenue,
    OpenAIBilling,
    ProviderAuthError,
    ProviderResponseError,
    RetryPolicy,
    StripeRevenue,
)
from tests.fakes.provider_api import ProviderAPI
from tests.fakes.stripe_api import STRIPE_KEY, Fault, StripeAPI, balance_transaction

NEW_YORK = ZoneInfo("America/New_York")
SEPTEMBER, OCTOBER, NOVEMBER = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def stripe() -> Iterator[StripeAPI]:
    with StripeAPI() as server:
        yield server


def at(moment: str) -> int:
    """Unix seconds for an ISO 8601 time with its offset."""
    return int(datetime.fromisoformat(moment).timestamp())


def adapter(stripe: StripeAPI, retry: RetryPolicy, key: str = STRIPE_KEY) -> StripeRevenue:
    return StripeRevenue(api_key=key, base_url=stripe.url, retry=retry)


def test_follows_starting_after_over_every_page(stripe: StripeAPI, retry: RetryPolicy) -> None:
    # 250 charges, ten minutes apart, at Stripe's maximum of 100 a page: three requests.
    start = at("2026-09-03T00:00:00+00:00")
    stripe.add(*(balance_transaction(1000 + n, start + n * 600) for n in range(250)))
    progress: list[str] = []

    rows = adapter(stripe, retry).fetch_monthly(SEPTEMBER, OCTOBER, progress=progress.append)

    requests = stripe.requests()
    newest_first = stripe.newest_first()
    assert [r.query["limit"] for r in requests] == [["100"]] * 3
    assert [r.query.get("starting_after") for r in requests] == [
        None,
        [newest_first[99]["id"]],
        [newest_first[199]["id"]],
    ]
    total_cents = sum(1000 + n for n in range(250))  # 281,125 cents
    assert rows == [MonthlyRevenue(SEPTEMBER, Decimal("2811.25"), 250)]
    assert Decimal(total_cents) / 100 == Decimal("2811.25")
    assert progress == [
        f"stripe balance transactions: page {n} (2026-09-01..2026-10-01)" for n in (1, 2, 3)
    ]


def test_sends_documented_query_and_bearer_key(stripe: StripeAPI, retry: RetryPolicy) -> None:
    adapter(stripe, retry).fetch_monthly(SEPTEMBER, OCTOBER, tz=NEW_YORK)

    (request,) = stripe.requests()
    assert request.headers["authorization"] == f"Bearer {STRIPE_KEY}"
    # Midnight in New York (EDT, UTC-4) on both ends, not midnight UTC.
    assert request.query["created[gte]"] == [str(at("2026-09-01T04:00:00+00:00"))]
    assert request.query["created[lt]"] == [str(at("2026-10-01T04:00:00+00:00"))]


def test_months_follow_the_time_zone_at_a_boundary(stripe: StripeAPI, retry: RetryPolicy) -> None:
    stripe.add(
        balance_transaction(1, at("2026-08-31T23:59:59-04:00")),  # before the window
        balance_transaction(10, at("2026-09-01T00:00:00-04:00")),
        balance_transaction(100, at("2026-09-30T23:59:59-04:00")),  # October already in UTC
        balance_transaction(1_000, at("2026-10-01T00:00:00-04:00")),
        # DST ends at 02:00 on 1 November 2026, so the month still ends at 04:00 UTC.
        balance_transaction(10_000, at("2026-10-31T23:59:59-04:00")),
        balance_transaction(100_000, at("2026-11-01T00:00:00-04:00")),  # after the window
    )

    rows = adapter(stripe, retry).fetch_monthly(SEPTEMBER, NOVEMBER, tz=NEW_YORK)

    assert rows == [
        MonthlyRevenue(SEPTEMBER, Decimal("1.10"), 2),
        MonthlyRevenue(OCTOBER, Decimal("110.00"), 2),
    ]


def test_refunds_and_disputes_reduce_revenue(stripe: StripeAPI, retry: RetryPolicy) -> None:
    day = at("2026-09-10T12:00:00+00:00")
    stripe.add(
        balance_transaction(10_000, day),
        balance_transaction(5_000, day + 1),
        balance_transaction(-2_000, day + 2, category="refund"),
        balance_transaction(-3_000, day + 3, category="dispute"),
        # Not revenue: the dispute fee, a payout and a Connect transfer.
        balance_transaction(-1_500, day + 3, category="fee"),
        balance_transaction(-8_000, day + 4, category="payout"),
        balance_transaction(-400, day + 5, category="transfer"),
    )

    rows = adapter(stripe, retry).fetch_monthly(SEPTEMBER, OCTOBER)

    # Gross before Stripe's fees: 100 + 50 - 20 - 30.
    assert rows == [MonthlyRevenue(SEPTEMBER, Decimal("100.00"), 4)]


def test_reversals_restore_what_they_reverse(stripe: StripeAPI, retry: RetryPolicy) -> None:
    day = at("2026-09-10T12:00:00+00:00")
    stripe.add(
        balance_transaction(10_000, day),
        balance_transaction(-10_000, day + 1, category="dispute"),
        balance_transaction(10_000, day + 2, category="dispute_reversal"),  # dispute won
        balance_transaction(-2_500, day + 3, category="refund"),
        balance_transaction(2_500, day + 4, category="refund_failure"),
        balance_transaction(4_000, day + 5),  # authorized 40.00, captured 35.00
        balance_transaction(-500, day + 6, category="partial_capture_reversal"),
        balance_transaction(1_200, day + 7),  # an ACH payment that later failed
        balance_transaction(-1_200, day + 8, category="charge_failure"),
    )

    rows = adapter(stripe, retry).fetch_monthly(SEPTEMBER, OCTOBER)

    assert rows == [MonthlyRevenue(SEPTEMBER, Decimal("135.00"), 9)]


def test_cents_add_up_exactly(stripe: StripeAPI, retry: RetryPolicy) -> None:
    day = at("2026-09-10T12:00:00+00:00")
    stripe.add(*(balance_transaction(3_333, day + n) for n in range(3)))

    (row,) = adapter(stripe, retry).fetch_monthly(SEPTEMBER, OCTOBER)

    assert row.amount_usd == Decimal("99.99") and str(row.amount_usd) == "99.99"


def test_months_without_revenue_are_included(stripe: StripeAPI, retry: RetryPolicy) -> None:
    stripe.add(
        balance_transaction(2_000, at("2026-08-05T12:00:00+00:00")),
        balance_transaction(-1_500, at("2026-09-05T12:00:00+00:00"), category="fee"),
        balance_transaction(7_000, at("2026-10-05T12:00:00+00:00")),
    )

    rows = adapter(stripe, retry).fetch_monthly(date(2026, 7, 1), date(2026, 12, 1))

    assert [(r.month, r.amount_usd, r.transactions) for r in rows] == [
        (date(2026, 7, 1), Decimal(0), 0),
        (date(2026, 8, 1), Decimal("20.00"), 1),
        (SEPTEMBER, Decimal(0), 0),
        (OCTOBER, Decimal("70.00"), 1),
        (NOVEMBER, Decimal(0), 0),
    ]


def test_a_cut_month_counts_only_its_days_in_the_window(
    stripe: StripeAPI, retry: RetryPolicy
) -> None:
    stripe.add(
        balance_transaction(100, at("2026-09-14T12:00:00+00:00")),  # before the window
        balance_transaction(200, at("2026-09-15T12:00:00+00:00")),
        balance_transaction(300, at("2026-10-09T12:00:00+00:00")),
        balance_transaction(400, at("2026-10-10T12:00:00+00:00")),  # after the window
    )

    rows = adapter(stripe, retry).fetch_monthly(date(2026, 9, 15), date(2026, 10, 10))

    assert rows == [
        MonthlyRevenue(SEPTEMBER, Decimal("2.00"), 1),
        MonthlyRevenue(OCTOBER, Decimal("3.00"), 1),
    ]


def test_other_currencies_are_refused_naming_stripe(stripe: StripeAPI, retry: RetryPolicy) -> None:
    day = at("2026-09-10T12:00:00+00:00")
    stripe.add(balance_transaction(1_000, day), balance_transaction(900, day + 1, currency="eur"))

    with pytest.raises(ProviderResponseError) as raised:
        adapter(stripe, retry).fetch_monthly(SEPTEMBER, OCTOBER)

    message = str(raised.value)
    assert message.startswith("stripe: ") and "'eur'" in message and "only USD" in message


def test_429_waits_for_retry_after(
    stripe: StripeAPI, retry: RetryPolicy, sleeps: list[float]
) -> None:
    stripe.add(balance_transaction(1_000, at("2026-09-10T12:00:00+00:00")))
    stripe.fail(Fault(status=429, headers={"Retry-After": "7"}, body='{"error": {}}'))

    rows = adapter(stripe, retry).fetch_monthly(SEPTEMBER, OCTOBER)

    assert sleeps == [7.0]
    assert len(stripe.requests()) == 2
    assert rows == [MonthlyRevenue(SEPTEMBER, Decimal("10.00"), 1)]


def test_500_and_truncated_page_are_retried_with_backoff(
    stripe: StripeAPI, retry: RetryPolicy, sleeps: list[float]
) -> None:
    stripe.add(balance_transaction(1_000, at("2026-09-10T12:00:00+00:00")))
    stripe.fail(Fault(status=500), Fault(truncate=True))

    rows = adapter(stripe, retry).fetch_monthly(SEPTEMBER, OCTOBER)

    assert sleeps == [1.0, 2.0]  # exponential ceilings: base 1 s, then 2 s
    assert len(stripe.requests()) == 3
    assert rows == [MonthlyRevenue(SEPTEMBER, Decimal("10.00"), 1)]


def test_bad_key_is_not_retried_and_not_echoed(
    stripe: StripeAPI, retry: RetryPolicy, sleeps: list[float]
) -> None:
    wrong = "rk_test_WRONG0123456789abcdefghijkl"

    with pytest.raises(ProviderAuthError) as raised:
        adapter(stripe, retry, key=wrong).fetch_monthly(SEPTEMBER, OCTOBER)

    message = str(raised.value)
    assert message.startswith("stripe: ") and "STRIPE_API_KEY" in message and "401" in message
    assert "restricted key" in message and "organization admin" not in message
    assert wrong not in message and "WRONG" not in message and wrong[-8:] not in message
    assert sleeps == [] and len(stripe.requests()) == 1


def test_admin_key_hint_is_unchanged_for_openai(api: ProviderAPI, retry: RetryPolicy) -> None:
    # The key hint became a BillingHTTP parameter for Stripe; the admin-key adapters keep theirs.
    billing = OpenAIBilling(api_key="sk-admin-wrong", base_url=api.openai_base_url, retry=retry)

    with pytest.raises(ProviderAuthError, match="must be an organization admin key"):
        billing.fetch(SEPTEMBER, date(2026, 9, 2))


def test_an_empty_window_is_a_caller_error(stripe: StripeAPI, retry: RetryPolicy) -> None:
    with pytest.raises(ValueError, match="must be after"):
        adapter(stripe, retry).fetch_monthly(OCTOBER, SEPTEMBER)
    assert stripe.requests() == []
