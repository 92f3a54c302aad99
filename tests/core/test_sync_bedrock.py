"""AWS Bedrock synced into a real database through Cost Explorer's stand-in: exact and
idempotent, and a later sync re-reads only its 7-day revision window (each request costs)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from billing_adapters.bedrock import BedrockBilling
from bot.db.store import SpendStore
from bot.services.sync import run_sync
from tests.adapters.test_bedrock import CLAUDE, aws_credentials  # noqa: F401 - the fixture
from tests.fakes.cost_explorer import CostExplorer

# Every moment here is fixed, none is the suite's own: the calendar passes would repeat it.
pytestmark = pytest.mark.calendar_free

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def ce() -> Iterator[CostExplorer]:
    with CostExplorer() as server:
        for n in range(60):
            server.add(date(2026, 10, 1) + timedelta(days=n), CLAUDE, "USE1-MP:out", "2.005")
        yield server


def total(store: SpendStore) -> Decimal:
    rows = store.daily_spend(date(2026, 1, 1), date(2027, 1, 1))
    return sum((r.amount_usd for r in rows if r.provider == "aws-bedrock"), Decimal(0))


def test_bedrock_syncs_exactly_and_resyncs_its_revision_window(
    store: SpendStore, ce: CostExplorer
) -> None:
    source = BedrockBilling(endpoint_url=ce.origin, max_attempts=2)
    (first,) = run_sync(store, [source], now=NOW, today_local=NOW.date())
    assert first.ok and (first.window_start, first.window_end) == (
        date(2026, 10, 1),
        date(2026, 11, 24),
    )
    assert total(store) == Decimal("2.005") * 54
    later = NOW + timedelta(hours=6)
    (second,) = run_sync(store, [source], now=later, today_local=later.date())
    assert second.window_start == date(2026, 11, 16)  # 7 days back from today
    assert total(store) == Decimal("2.005") * 54
    assert ce.operations() == ["GetDimensionValues", "GetCostAndUsage"] * 2
