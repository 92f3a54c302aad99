"""The scheduler completes last month's Stripe revenue once the month has ended.

Revenue synced mid-month is that month to date, and growth leaves it out (test_partial_revenue).
Nobody should have to remember `aicost revenue sync` on the 1st: after each spend sync,
`aicost serve` syncs Stripe from the start of last month when last month is missing or was synced
before it ended, and then leaves Stripe alone until the next month. Real store (SQLite and
PostgreSQL), the real Stripe adapter against the loopback stand-in, the scheduler's own job.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from bot.db.audit import AuditLog
from bot.db.revenue import RevenueStore
from bot.db.store import SpendStore
from bot.runtime.governance import sync_and_alert
from bot.settings import Settings, load_settings
from tests.fakes.stripe_api import STRIPE_KEY, Fault, StripeAPI, balance_transaction

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)
MID_NOVEMBER = datetime(2026, 11, 20, 15, tzinfo=UTC)
TICK = datetime(2026, 12, 1, 6, tzinfo=UTC)  # the first scheduled sync of December


@pytest.fixture
def stripe() -> Iterator[StripeAPI]:
    with StripeAPI() as server:
        # 10 Nov and 25 Nov: the second came after the mid-month sync.
        for day, cents in ((10, 7_000_000), (25, 3_300_000)):
            at = datetime(2026, 11, day, 12, tzinfo=UTC)
            server.add(balance_transaction(cents, int(at.timestamp())))
        yield server


def settings_for(store: SpendStore, stripe: StripeAPI, **extra: str) -> Settings:
    return load_settings(
        DATABASE_URL=store.engine.url.render_as_string(hide_password=False),
        AICOST_TIMEZONE="UTC",
        STRIPE_API_KEY=STRIPE_KEY,
        STRIPE_BASE_URL=stripe.url,
        **extra,
    )


def november(store: SpendStore) -> tuple[D, str, datetime]:
    (row,) = RevenueStore(store.engine).months(NOV, DEC)
    return row.amount_usd, row.source, row.updated_at


def test_a_month_synced_before_it_ended_is_completed_once(
    store: SpendStore, stripe: StripeAPI
) -> None:
    RevenueStore(store.engine).set_months([(NOV, D(70_000))], source="stripe", at=MID_NOVEMBER)
    settings = settings_for(store, stripe)

    sync_and_alert(store, settings, None, TICK)
    assert november(store) == (D(103_000), "stripe", TICK)  # both charges, the whole month
    (entry,) = AuditLog(store.engine).latest(5)
    assert (entry.actor, entry.action) == ("scheduler", "revenue.sync")
    asked = len(stripe.requests())
    assert asked > 0

    # November is whole now: the next ticks do not ask Stripe again.
    sync_and_alert(store, settings, None, TICK.replace(hour=12))
    sync_and_alert(store, settings, None, datetime(2026, 12, 20, tzinfo=UTC))
    assert len(stripe.requests()) == asked and len(AuditLog(store.engine).latest(5)) == 1


def test_revenue_set_by_hand_is_never_synced_over(store: SpendStore, stripe: StripeAPI) -> None:
    RevenueStore(store.engine).set_months([(NOV, D(99_000))], source="manual", at=MID_NOVEMBER)
    sync_and_alert(store, settings_for(store, stripe), None, TICK)
    assert november(store) == (D(99_000), "manual", MID_NOVEMBER)
    assert stripe.requests() == []


def test_no_key_no_stripe(store: SpendStore, stripe: StripeAPI) -> None:
    RevenueStore(store.engine).set_months([(NOV, D(70_000))], source="stripe", at=MID_NOVEMBER)
    settings = settings_for(store, stripe).model_copy(update={"stripe_api_key": None})
    sync_and_alert(store, settings, None, TICK)
    assert november(store)[0] == D(70_000) and stripe.requests() == []


def test_a_stripe_failure_keeps_the_partial_month_and_tries_next_time(
    store: SpendStore, stripe: StripeAPI, caplog: pytest.LogCaptureFixture
) -> None:
    RevenueStore(store.engine).set_months([(NOV, D(70_000))], source="stripe", at=MID_NOVEMBER)
    settings = settings_for(store, stripe)
    refused = '{"error": {"message": "Invalid API Key provided", "type": "invalid_request_error"}}'
    stripe.fail(Fault(status=401, body=refused))
    with caplog.at_level(logging.WARNING, logger="aicost.governance"):
        sync_and_alert(store, settings, None, TICK)  # raises nothing: the job goes on
    assert november(store) == (D(70_000), "stripe", MID_NOVEMBER)
    said = caplog.text
    assert "revenue sync failed" in said and "STRIPE_API_KEY" in said and STRIPE_KEY not in said

    sync_and_alert(store, settings, None, TICK.replace(hour=12))
    assert november(store)[0] == D(103_000)
