"""Logged operations hours in the break-even answer and the digest.

The hours are the team's, not one person's: two people logging 100 h in a week is 200 h/week
of operations, and no amount of logging may stop the digest from going out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from billing_adapters import CostLine, FetchResult
from bot.db.hours import HoursLog
from bot.db.store import SpendStore
from bot.services.breakeven import answer_breakeven, measured_hours
from bot.services.digest import build_digest
from bot.settings import Settings, load_settings
from tests.fill_store import swap_in

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def settings(url: str) -> Settings:
    return load_settings(DATABASE_URL=url, AICOST_TIMEZONE="UTC")


def seed_a_month(store: SpendStore) -> None:
    days = [date(2026, 10, 27) + timedelta(days=n) for n in range(29)]
    lines = [CostLine("openai", d, "", "gpt-4o, input", Decimal(200), "gpt-4o") for d in days]
    swap_in(store, FetchResult("openai", days=set(days), costs=lines), fetched_at=NOW)


def test_a_team_logging_more_than_168_hours_a_week_is_answered(
    store: SpendStore, database_url: str
) -> None:
    seed_a_month(store)
    log = HoursLog(store.engine)
    for hours in ("100", "100"):
        log.add(Decimal(hours), at=NOW - timedelta(days=1), note="on call")
    report, _ = answer_breakeven(store, settings(database_url), now=NOW)
    assert report.result.assumptions.eng_hours_per_week == Decimal(200)
    assert report.origin["eng_hours_per_week"] == "measured (2 log entries)"
    # The logged hours are the whole fleet's: they replace the per-node growth as well.
    assert report.result.assumptions.eng_hours_per_extra_node == 0
    assert report.origin["eng_hours_per_extra_node"] == "measured (2 log entries)"
    cost = report.result.self_host_cost
    assert cost is not None and cost.ops_hours == Decimal(200)


def test_hours_past_the_bound_leave_the_digest_whole(store: SpendStore, database_url: str) -> None:
    """12 entries of 168 h in one week (2,016 h/week) is past what the model takes: the digest
    still goes out, with break-even unavailable and the reason named."""
    seed_a_month(store)
    log = HoursLog(store.engine)
    for _ in range(12):
        log.add(Decimal(168), at=NOW - timedelta(hours=1))
    d = build_digest(store, settings(database_url), now=NOW)
    assert d.breakeven is None
    assert d.breakeven_unavailable == "unavailable: eng_hours_per_week must be at most 1,680"
    assert d.this_week_usd == Decimal(1400)  # the week's figures are all there


def test_as_of_a_past_moment_hours_logged_later_do_not_count(
    store: SpendStore, database_url: str
) -> None:
    log = HoursLog(store.engine)
    log.add(Decimal(6), at=NOW - timedelta(days=14))
    log.add(Decimal(50), at=NOW)
    earlier = measured_hours(log, now=NOW - timedelta(days=7))
    assert earlier is not None and (earlier.entries, earlier.total_hours) == (1, Decimal(6))
    assert measured_hours(log, now=NOW - timedelta(days=15)) is None
