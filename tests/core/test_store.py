"""Storage on SQLite and PostgreSQL: exact sums, replace-not-add, all-or-nothing writes."""

from __future__ import annotations

import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Connection, event, text
from sqlalchemy.exc import IntegrityError

from billing_adapters import CostLine, FetchResult, TokenUsage
from bot.core.fx import FxRates
from bot.core.records import SyncRecord
from bot.db.movers import spend_by_line
from bot.db.staging import StagedSync
from bot.db.store import SpendStore
from tests.fill_store import swap_in

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
DAY = date(2026, 11, 20)


def fetch(*lines: tuple[date, str, str], days: set[date] | None = None) -> FetchResult:
    costs = [CostLine("openai", d, "proj", item, Decimal(amount)) for d, item, amount in lines]
    return FetchResult(provider="openai", days=days or {d for d, _, _ in lines}, costs=costs)


def totals(store: SpendStore) -> dict[date, Decimal]:
    return {r.day: r.amount_usd for r in store.daily_spend(date(2026, 1, 1), date(2027, 1, 1))}


def test_sums_are_exact_to_the_nano_dollar(store: SpendStore) -> None:
    # 1,000 lines of a third of a cent and change: float sums drift, integer nanos do not.
    lines = [(DAY, f"item {n}", "0.003333333") for n in range(1000)]
    swap_in(store, fetch(*lines), fetched_at=NOW)
    assert totals(store) == {DAY: Decimal("3.333333000")}


def test_replacing_a_day_removes_lines_the_provider_no_longer_sends(store: SpendStore) -> None:
    swap_in(store, fetch((DAY, "a", "1.00"), (DAY, "b", "2.00")), fetched_at=NOW)
    swap_in(store, fetch((DAY, "a", "1.50")), fetched_at=NOW)
    assert totals(store) == {DAY: Decimal("1.5")}


def test_days_outside_the_fetch_are_left_alone(store: SpendStore) -> None:
    other = date(2026, 11, 19)
    swap_in(store, fetch((other, "a", "9.00"), (DAY, "a", "1.00")), fetched_at=NOW)
    swap_in(store, fetch((DAY, "a", "2.00")), fetched_at=NOW)
    assert totals(store) == {other: Decimal("9"), DAY: Decimal("2")}


def test_an_empty_bucket_clears_the_day(store: SpendStore) -> None:
    swap_in(store, fetch((DAY, "a", "1.00")), fetched_at=NOW)
    swap_in(store, fetch(days={DAY}), fetched_at=NOW)
    assert totals(store) == {}
    assert store.fetched_at(DAY, date(2026, 11, 21)) == {("openai", DAY): NOW}


def test_an_emptied_day_is_emptied_in_every_table_a_figure_reads(store: SpendStore) -> None:
    """A provider that now answers a day with empty buckets (costs and usage) had it wrong
    before: every table a figure reads must lose that day's rows, and only that day's."""
    other = date(2026, 11, 19)
    later = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    usage = [
        TokenUsage("openai", DAY, "gpt-4o", 100, 10, 50, 3),
        TokenUsage("openai", other, "gpt-4o", 7, 0, 7, 1),
    ]
    swap_in(
        store,
        FetchResult(
            "openai",
            days={DAY, other},
            costs=[CostLine("openai", d, "a", "gpt-4o, input", Decimal(1)) for d in (DAY, other)],
            usage=usage,
            usage_days={DAY, other},
        ),
        fetched_at=NOW,
    )
    swap_in(store, FetchResult("openai", days={DAY}, usage_days={DAY}), fetched_at=later)

    def rows(table: str, day: date) -> int:
        with store.engine.connect() as connection:
            query = text(f"SELECT COUNT(*) FROM {table} WHERE day = :day")
            return connection.execute(query, {"day": day}).scalar_one()

    for table in ("cost_lines", "daily_totals", "token_usage"):
        assert (rows(table, DAY), rows(table, other)) == (0, 1), table
    assert store.fetched_at(other, date(2026, 11, 21)) == {
        ("openai", DAY): later,  # the day is known now, as a $0 day
        ("openai", other): NOW,
    }
    assert totals(store) == {other: Decimal(1)}
    assert [u.day for u in store.token_usage(other, date(2026, 11, 21))] == [other]
    # What the digest's top movers read (cost lines) agrees with the daily total: nothing.
    [mover] = spend_by_line(store.engine, (DAY, date(2026, 11, 21)), (other, DAY))
    assert (mover.current_usd, mover.previous_usd) == (Decimal(0), Decimal(1))


def test_a_failed_write_leaves_the_old_day_whole(store: SpendStore) -> None:
    swap_in(store, fetch((DAY, "a", "1.00"), (DAY, "b", "2.00")), fetched_at=NOW)
    # Two lines with the same key violate the unique constraint half-way through the insert.
    broken = fetch((DAY, "a", "5.00"), (DAY, "a", "6.00"))
    with pytest.raises(IntegrityError):
        swap_in(store, broken, fetched_at=NOW)
    assert totals(store) == {DAY: Decimal("3")}


def test_token_usage_is_replaced_per_day(store: SpendStore) -> None:
    usage = [TokenUsage("openai", DAY, "gpt-4o", 100, 10, 50, 3)]
    result = FetchResult(provider="openai", usage=usage, usage_days={DAY})
    swap_in(store, result, fetched_at=NOW)
    swap_in(store, result, fetched_at=NOW)
    rows = store.token_usage(DAY, date(2026, 11, 21))
    assert [(r.model, r.input_tokens, r.output_tokens) for r in rows] == [("gpt-4o", 100, 50)]


def test_large_amounts_survive_the_round_trip(store: SpendStore) -> None:
    swap_in(store, fetch((DAY, "a", "1234567.891234567")), fetched_at=NOW)
    assert totals(store) == {DAY: Decimal("1234567.891234567")}


def test_daily_totals_always_equal_the_cost_lines_they_sum(store: SpendStore) -> None:
    from sqlalchemy import func, select

    from bot.core.money import from_nanos
    from bot.db.models import CostLineRow

    other = date(2026, 11, 19)
    swap_in(
        store,
        fetch((other, "a", "9.123456789"), (DAY, "a", "1"), (DAY, "b", "2.5")),
        fetched_at=NOW,
    )
    swap_in(store, fetch((DAY, "a", "0.25")), fetched_at=NOW)
    with store.engine.connect() as connection:
        raw = {
            day: from_nanos(int(total))
            for day, total in connection.execute(
                select(CostLineRow.day, func.sum(CostLineRow.amount_nanos)).group_by(
                    CostLineRow.day
                )
            )
        }
    assert totals(store) == raw == {other: Decimal("9.123456789"), DAY: Decimal("0.25")}


def _waiting_in(thread: threading.Thread, statements: tuple[str, ...]) -> bool:
    """Whether `thread` is inside the DBAPI call (SQLAlchemy's do_execute) of a statement that
    starts with one of `statements`: the call that must wait for the other transaction."""
    frame = sys._current_frames().get(thread.ident or -1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "do_execute" and "sqlalchemy" in code.co_filename:
            statement = str(frame.f_locals.get("statement", "")).lstrip().upper()
            return statement.startswith(statements)
        frame = frame.f_back
    return False


def test_two_syncs_of_one_provider_swapping_at_once_both_land_whole(store: SpendStore) -> None:
    """A sync from the CLI and the bot's scheduled one may overlap; the later swap wins, whole.

    The first swap is held just before its commit while the second starts: on PostgreSQL the
    second's delete used to skip rows the first was replacing and its insert then collided with
    them (a primary-key error); swaps of one provider now queue behind each other instead.
    """
    swap_in(store, fetch((DAY, "a", "1.00"), (DAY, "b", "2.00")), fetched_at=NOW)
    first, second = store.stage("openai"), store.stage("openai")
    first.add(fetch((DAY, "a", "10.00"), (DAY, "b", "20.00")))
    second.add(fetch((DAY, "a", "100.00"), (DAY, "c", "300.00")))
    committing, release = threading.Event(), threading.Event()

    def hold_the_first_commit(connection: Connection) -> None:
        if not committing.is_set():
            committing.set()
            release.wait(timeout=30)

    errors: list[BaseException] = []

    def swap(staged: StagedSync) -> None:
        try:
            staged.swap(fetched_at=NOW)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    event.listen(store.engine, "commit", hold_the_first_commit)
    try:
        one = threading.Thread(target=swap, args=(first,))
        one.start()
        assert committing.wait(timeout=30)
        two = threading.Thread(target=swap, args=(second,))
        two.start()
        # A barrier, not a sleep: release the first only once the second is inside the call
        # that must wait for it. On PostgreSQL that is the queueing lock (or, without it, the
        # DELETE of the rows the first is replacing); on SQLite any write waits for the file.
        blocking = (
            ("SELECT PG_ADVISORY_XACT_LOCK", "DELETE")
            if store.engine.dialect.name == "postgresql"
            else ("INSERT", "DELETE")
        )
        deadline = time.monotonic() + 30
        while not _waiting_in(two, blocking):
            assert two.is_alive() and time.monotonic() < deadline, "the second swap never ran"
            time.sleep(0.005)
        release.set()
        one.join(timeout=30)
        two.join(timeout=30)
    finally:
        event.remove(store.engine, "commit", hold_the_first_commit)
    assert errors == []
    assert totals(store) == {DAY: Decimal("400.00")}


def test_latest_syncs_asks_once_for_every_provider(store: SpendStore) -> None:
    """One query answers what `last_runs` and `last_success` answer, provider by provider: the
    latest attempt, and the latest successful run (failures after it do not count), None for
    none, for the providers named and every provider ever synced."""
    at = datetime(2026, 11, 20, 12, tzinfo=UTC)
    runs = [
        ("openai", 0, True),
        ("openai", 1, True),
        ("openai", 2, False),
        ("anthropic", 0, False),
        ("openrouter", 3, True),
    ]
    for provider, hours, ok in runs:
        moment = at + timedelta(hours=hours)
        store.record_sync(SyncRecord(provider, moment, moment, at.date(), at.date(), ok, ""))
    names = ["openai", "anthropic", "openrouter", "azure"]
    latest, successes = store.latest_syncs(names)
    assert latest == store.last_runs()
    assert not latest["openai"].ok
    assert list(successes) == sorted(names)
    assert successes == {name: store.last_success(name) for name in names}
    assert successes["openai"] is not None
    assert successes["openai"].finished_at == at + timedelta(hours=1)
    assert successes["anthropic"] is None and successes["azure"] is None
    ever = ["anthropic", "openai", "openrouter"]
    assert store.latest_syncs()[1] == {name: store.last_success(name) for name in ever}


def test_spend_and_fetched_reads_what_daily_spend_and_fetched_at_read(store: SpendStore) -> None:
    """Both in one query, exactly: a total with its fetch, a fetched day without spend, a total
    never fetched (imported before fetches were recorded), and a day billed in a currency
    without a rate (neither spent nor fetched) or with one (converted)."""
    day = date(2026, 11, 2)
    fetched_at = datetime(2026, 11, 5, 6, tzinfo=UTC)
    totals_rows = [
        ("openai", day, 1_500_000_001, "USD"),
        ("azure", day, 2_000_000_000, "EUR"),
        ("gcp", day + timedelta(days=1), 3_000_000_000, "GBP"),
        ("legacy", day + timedelta(days=2), 4_000_000_000, "USD"),
    ]
    fetched_rows = [
        ("openai", day),
        ("azure", day),
        ("gcp", day + timedelta(days=1)),
        ("anthropic", day),
        ("openai", day + timedelta(days=40)),
    ]
    with store.engine.begin() as connection:
        for row in totals_rows:
            connection.execute(
                text("INSERT INTO daily_totals VALUES (:p, :d, :n, :c)"),
                dict(zip("pdnc", row, strict=True)),
            )
        for provider, fetched_day in fetched_rows:
            connection.execute(
                text("INSERT INTO fetched_days VALUES (:p, :d, :at)"),
                {"p": provider, "d": fetched_day, "at": fetched_at},
            )
    for fx in ({}, {"EUR": Decimal("1.0841")}):
        rated = SpendStore(store.engine, FxRates(fx))
        start, end = day, day + timedelta(days=30)
        with rated.reading() as reader:
            spends, fetched = reader.spend_and_fetched(start, end)
        assert spends == rated.daily_spend(start, end)
        assert fetched == rated.fetched_at(start, end)
        assert ("anthropic", day) in fetched and ("gcp", day + timedelta(days=1)) not in fetched
        assert (("azure", day) in fetched) == bool(fx)
