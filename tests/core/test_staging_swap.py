"""The swap of a staged sync, table by table: what a re-fetch replaces, keeps and records.

A figure is read from cost lines (digest movers), daily totals (every other figure), token usage
(break-even) and fetched days ("may still be incomplete"); a re-fetch must replace exactly the
days the provider answered, per kind, for its own provider only, and record each day whose
total moved (the revisions a closed month must own up to). Expectations are worked out by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from billing_adapters import CostLine, FetchResult, TokenUsage
from bot.core.money import from_nanos
from bot.core.records import SyncRecord
from bot.db.models import CostLineRow, DailyTotal, TokenUsageRow
from bot.db.staging import StagedSync
from bot.db.store import SpendStore, sync_run
from tests.fill_store import swap_in

D1, D2, D3, D4, D5 = (date(2026, 11, 10) + timedelta(days=n) for n in range(5))
FIRST = datetime(2026, 11, 15, 6, 0, tzinfo=UTC)
# A re-fetch stamped in another zone (a scheduler in New York): stored as the same instant.
SECOND = datetime(2026, 11, 16, 10, 30, tzinfo=timezone(timedelta(hours=-5)))
SECOND_UTC = datetime(2026, 11, 16, 15, 30, tzinfo=UTC)
THIRD = datetime(2026, 11, 17, 6, 0, tzinfo=UTC)
WINDOW = (date(2026, 11, 1), date(2026, 12, 1))


def costs(provider: str, *lines: tuple[date, str, str]) -> list[CostLine]:
    """Cost lines of one project, each (day, line item, dollars); the model is the item's."""
    return [CostLine(provider, d, "proj", item, Decimal(usd), item) for d, item, usd in lines]


def usage(provider: str, day: date, model: str, tokens: int) -> TokenUsage:
    """A usage row with `tokens` input tokens and distinct other counts derived by hand."""
    return TokenUsage(provider, day, model, tokens, tokens // 10, tokens // 2, tokens // 100)


def cost_lines(store: SpendStore) -> set[tuple[str, date, str, str | None, Decimal]]:
    """Every stored cost line as (provider, day, line item, model, dollars)."""
    with Session(store.engine) as session:
        rows = session.scalars(select(CostLineRow))
        return {(r.provider, r.day, r.line_item, r.model, from_nanos(r.amount_nanos)) for r in rows}


def daily_totals(store: SpendStore) -> dict[tuple[str, date], Decimal]:
    """Every stored daily total, by (provider, day)."""
    with Session(store.engine) as session:
        rows = session.scalars(select(DailyTotal))
        return {(r.provider, r.day): from_nanos(r.amount_nanos) for r in rows}


def token_usage(store: SpendStore) -> set[tuple[Any, ...]]:
    """Every stored token-usage row as (provider, day, model, input, cached, output, requests)."""
    with Session(store.engine) as session:
        return {
            (r.provider, r.day, r.model, r.input_tokens, r.cached_input_tokens)
            + (r.output_tokens, r.requests)
            for r in session.scalars(select(TokenUsageRow))
        }


def revisions(store: SpendStore) -> set[tuple[str, date, Decimal, Decimal, datetime]]:
    """Every recorded revision; one swap inserts its rows in no promised order, hence a set."""
    return {
        (r.provider, r.day, r.old_usd, r.new_usd, r.revised_at) for r in store.revisions(*WINDOW)
    }


@pytest.fixture
def first_fetch(store: SpendStore) -> SpendStore:
    """OpenAI answered D1..D4 (D3 with no spend), Anthropic D1 and D2: all first fetches."""
    swap_in(
        store,
        FetchResult(
            "openai",
            days={D1, D2, D3, D4},
            costs=costs("openai", (D1, "a", "1.00"), (D1, "b", "2.00"), (D2, "a", "5.00"))
            + costs("openai", (D4, "a", "7.00")),
            usage=[usage("openai", D1, "gpt-4o", 1000), usage("openai", D4, "gpt-4o", 4000)],
            usage_days={D1, D2, D3, D4},
        ),
        fetched_at=FIRST,
    )
    swap_in(
        store,
        FetchResult(
            "anthropic",
            days={D1, D2},
            costs=costs("anthropic", (D1, "s", "40.00"), (D2, "s", "0.50")),
            usage=[usage("anthropic", D1, "sonnet", 500)],
            usage_days={D1, D2},
        ),
        fetched_at=FIRST,
    )
    return store


def refetch(store: SpendStore) -> None:
    """OpenAI answers again: costs for D1, D2, D3 and the new D5; usage for D4 alone."""
    swap_in(
        store,
        FetchResult(
            "openai",
            days={D1, D2, D3, D5},
            # D1: 1.25 + 0.50 + 0.25 = 2.00 (was 1.00 + 2.00 = 3.00); D2 unchanged at 5.00;
            # D3: 0.75 (was answered empty, $0); D5: 9.00, fetched for the first time.
            costs=costs("openai", (D1, "a", "1.25"), (D1, "b", "0.50"), (D1, "c", "0.25"))
            + costs("openai", (D2, "a", "5.00"), (D3, "a", "0.75"), (D5, "a", "9.00")),
            usage=[usage("openai", D4, "gpt-4o-mini", 8000)],
            usage_days={D4},
        ),
        fetched_at=SECOND,
    )


def test_a_first_fetch_is_no_revision(first_fetch: SpendStore) -> None:
    """Days fetched for the first time have nothing to revise, whatever they hold."""
    assert revisions(first_fetch) == set()


def test_a_refetch_records_each_day_whose_total_moved_and_only_those(
    first_fetch: SpendStore,
) -> None:
    """A revision names its provider's day, its old and new total and when it was seen.

    D1 moved 3.00 -> 2.00; D3, fetched before with no spend, moved 0 -> 0.75. D2 came back the
    same, D5 is a first fetch, D4 was answered for usage only, and Anthropic's D1 and D2 (other
    totals on the same days) were not fetched: none of those is a revision.
    """
    refetch(first_fetch)
    assert revisions(first_fetch) == {
        ("openai", D1, Decimal("3.00"), Decimal("2.00"), SECOND_UTC),
        ("openai", D3, Decimal(0), Decimal("0.75"), SECOND_UTC),
    }


def test_a_day_answered_empty_is_revised_to_zero(first_fetch: SpendStore) -> None:
    """A day that had spend and now comes back as an empty bucket went to $0, and says so."""
    swap_in(first_fetch, FetchResult("openai", days={D2}), fetched_at=THIRD)
    assert revisions(first_fetch) == {("openai", D2, Decimal("5.00"), Decimal(0), THIRD)}


def test_a_refetch_replaces_exactly_the_answered_days_per_kind_and_provider(
    first_fetch: SpendStore,
) -> None:
    """Costs replace the days answered for costs, usage the days answered for usage.

    D4 was answered for usage only, so its cost line and daily total stay while its usage is
    replaced; D1's usage (not answered this time) stays while its cost lines are replaced.
    Anthropic's rows on the same days are never touched.
    """
    refetch(first_fetch)
    assert cost_lines(first_fetch) == {
        ("openai", D1, "a", "a", Decimal("1.25")),
        ("openai", D1, "b", "b", Decimal("0.50")),
        ("openai", D1, "c", "c", Decimal("0.25")),
        ("openai", D2, "a", "a", Decimal("5.00")),
        ("openai", D3, "a", "a", Decimal("0.75")),
        ("openai", D4, "a", "a", Decimal("7.00")),
        ("openai", D5, "a", "a", Decimal("9.00")),
        ("anthropic", D1, "s", "s", Decimal("40.00")),
        ("anthropic", D2, "s", "s", Decimal("0.50")),
    }
    assert daily_totals(first_fetch) == {
        ("openai", D1): Decimal("2.00"),  # 1.25 + 0.50 + 0.25
        ("openai", D2): Decimal("5.00"),
        ("openai", D3): Decimal("0.75"),
        ("openai", D4): Decimal("7.00"),
        ("openai", D5): Decimal("9.00"),
        ("anthropic", D1): Decimal("40.00"),
        ("anthropic", D2): Decimal("0.50"),
    }
    # usage(p, day, model, n) holds n, n // 10, n // 2 and n // 100 tokens and requests.
    assert token_usage(first_fetch) == {
        ("openai", D1, "gpt-4o", 1000, 100, 500, 10),
        ("openai", D4, "gpt-4o-mini", 8000, 800, 4000, 80),
        ("anthropic", D1, "sonnet", 500, 50, 250, 5),
    }
    # Fetched days are the cost days: D1..D3 and D5 now, D4 (usage only) still from the first.
    assert first_fetch.fetched_at(*WINDOW) == {
        ("openai", D1): SECOND_UTC,
        ("openai", D2): SECOND_UTC,
        ("openai", D3): SECOND_UTC,
        ("openai", D4): FIRST,
        ("openai", D5): SECOND_UTC,
        ("anthropic", D1): FIRST,
        ("anthropic", D2): FIRST,
    }


def test_a_failing_swap_changes_nothing_and_writes_no_sync_record(
    first_fetch: SpendStore,
) -> None:
    """A swap that fails after every row is written (here: just before its commit) leaves the
    old days, the old revisions and the old sync records exactly as they were."""
    before = (cost_lines(first_fetch), daily_totals(first_fetch), token_usage(first_fetch))
    staged = first_fetch.stage("openai")
    staged.add(FetchResult("openai", days={D1}, costs=costs("openai", (D1, "a", "100.00"))))
    record = SyncRecord("openai", THIRD, THIRD, D1, D5, True, "")

    def crash() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        staged.swap(fetched_at=THIRD, sync_run=sync_run(record), before_commit=crash)
    assert (cost_lines(first_fetch), daily_totals(first_fetch), token_usage(first_fetch)) == before
    assert revisions(first_fetch) == set()
    assert first_fetch.last_runs() == {}


def test_staging_refuses_rows_before_start_and_after_the_swap(store: SpendStore) -> None:
    """A staged sync is used once: adding before `start` or after `swap` is a clear error, and
    `discard` is safe at any point (never started, or twice)."""
    message = "openai: staging is not started or already finished"
    unstarted = StagedSync(store.engine, "openai")
    unstarted.discard()
    with pytest.raises(RuntimeError) as before_start:
        unstarted.add(FetchResult("openai", days={D1}))
    assert str(before_start.value) == message
    staged = store.stage("openai")
    staged.add(FetchResult("openai", days={D1}, costs=costs("openai", (D1, "a", "1.00"))))
    staged.swap(fetched_at=FIRST)
    staged.discard()
    with pytest.raises(RuntimeError) as after_swap:
        staged.add(FetchResult("openai", days={D1}))
    assert str(after_swap.value) == message
    assert daily_totals(store) == {("openai", D1): Decimal("1.00")}


def _staging_tables(store: SpendStore) -> list[str]:
    """Staging tables visible on a connection the pool hands out now."""
    with store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_temp_master WHERE type = 'table'"
        else:
            query = "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema()"
        return sorted(connection.execute(text(query)).scalars())


def test_each_sync_gives_back_a_clean_connection_the_next_one_reuses(store: SpendStore) -> None:
    """The bot syncs every few hours for weeks: each sync, swapped or discarded, must return its
    connection to the pool with its staging tables dropped, not leak it or throw it away (a
    reconnect each time on PostgreSQL), and a later sync starts on it afresh."""
    swap_in(store, FetchResult("openai", days={D1}), fetched_at=FIRST)  # warm the pool
    connects: list[object] = []

    def connected(dbapi_connection: object, record: object) -> None:
        connects.append(dbapi_connection)

    event.listen(store.engine, "connect", connected)
    try:
        for n in range(3):
            staged = store.stage("openai")
            staged.add(FetchResult("openai", days={D1}, costs=costs("openai", (D1, "a", "1"))))
            if n == 1:
                staged.discard()
            else:
                staged.swap(fetched_at=FIRST)
            assert store.engine.pool.checkedout() == 0
            assert _staging_tables(store) == []
    finally:
        event.remove(store.engine, "connect", connected)
    assert connects == []
    assert daily_totals(store) == {("openai", D1): Decimal("1")}
