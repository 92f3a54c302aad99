"""Answers are computed once per data version and minute: repeated questions are cheap, and
a sync, a revenue change or an hours entry is seen by the very next question."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from billing_adapters import CostLine, FetchResult
from bot.db.engine import connect
from bot.db.hours import HoursLog
from bot.db.revenue import RevenueStore
from bot.db.store import SpendStore
from bot.slack.cache import AnswerCache
from tests.fill_store import swap_in

NOW = datetime(2026, 11, 17, 12, 0, 30, tzinfo=UTC)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


@pytest.fixture
def store(database_url: str) -> SpendStore:
    return SpendStore(connect(database_url))


def test_the_same_question_on_the_same_data_is_computed_once(store: SpendStore) -> None:
    cache, compute = AnswerCache(store.engine, clock=lambda: NOW), Counter()
    assert [cache.get("status", compute) for _ in range(5)] == [1, 1, 1, 1, 1]
    assert cache.get(("breakeven", "other"), compute) == 2  # another question: its own answer


def test_every_kind_of_change_is_seen_at_once(store: SpendStore) -> None:
    cache, compute = AnswerCache(store.engine, clock=lambda: NOW), Counter()
    assert cache.get("status", compute) == 1
    day = date(2026, 11, 16)
    swap_in(
        store,
        FetchResult("openai", days={day}, costs=[CostLine("openai", day, "p", "m", Decimal(1))]),
        fetched_at=NOW,
    )
    assert cache.get("status", compute) == 2  # a provider day written
    RevenueStore(store.engine).set_months(
        [(date(2026, 10, 1), Decimal(5))], source="manual", at=NOW, by="cli"
    )
    assert cache.get("status", compute) == 3  # revenue
    HoursLog(store.engine).add(Decimal(2), at=NOW, note="", user_id="cli")
    assert cache.get("status", compute) == 4  # hours
    assert cache.get("status", compute) == 4  # and nothing since


def test_a_new_minute_is_a_new_answer(store: SpendStore) -> None:
    moment = [NOW]
    cache, compute = AnswerCache(store.engine, clock=lambda: moment[0]), Counter()
    assert cache.get("status", compute) == 1
    moment[0] = NOW + timedelta(seconds=29)  # 12:00:59, the same minute
    assert cache.get("status", compute) == 1
    moment[0] = NOW + timedelta(seconds=30)  # 12:01:00
    assert cache.get("status", compute) == 2


def test_concurrent_askers_wait_for_one_computation(store: SpendStore) -> None:
    cache, gate, started = (
        AnswerCache(store.engine, clock=lambda: NOW),
        threading.Event(),
        threading.Event(),
    )
    calls: list[int] = []

    def slow() -> str:
        calls.append(1)
        started.set()
        assert gate.wait(timeout=60)
        return "answer"

    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(cache.get("status", slow)))
    first.start()
    assert started.wait(timeout=60)  # the first asker is computing
    others = [
        threading.Thread(target=lambda: results.append(cache.get("status", slow))) for _ in range(4)
    ]
    for thread in others:
        thread.start()
    gate.set()
    for thread in [first, *others]:
        thread.join(timeout=60)
    assert results == ["answer"] * 5 and calls == [1]


def test_a_failure_is_not_kept(store: SpendStore) -> None:
    cache = AnswerCache(store.engine, clock=lambda: NOW)

    def broken() -> int:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cache.get("status", broken)
    assert cache.get("status", lambda: 7) == 7
