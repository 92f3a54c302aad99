"""Coverage: a day never fetched is missing, not $0; a fetched day without spend is a real $0."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bot.core.coverage import Coverage, DayState, describe_days

D = date(2026, 11, 10)


def fetched(
    *pairs: tuple[str, date], at: datetime | None = None
) -> dict[tuple[str, date], datetime]:
    when = at or datetime(2026, 11, 30, tzinfo=UTC)
    return {pair: when for pair in pairs}


def test_a_day_is_missing_until_every_provider_in_scope_fetched_it() -> None:
    coverage = Coverage.of(["openai", "anthropic"], fetched(("openai", D)))
    now = datetime(2026, 11, 30, tzinfo=UTC)
    assert coverage.state(D, now) is DayState.MISSING
    assert not coverage.has(D)
    both = Coverage.of(["openai"], fetched(("openai", D), ("anthropic", D)))
    assert both.providers == ("anthropic", "openai")  # ever synced counts, configured or not
    assert both.state(D, now) is DayState.SETTLED


def test_no_provider_at_all_means_nothing_is_covered() -> None:
    coverage = Coverage.of([], {})
    assert coverage.state(D, datetime(2026, 11, 30, tzinfo=UTC)) is DayState.MISSING
    assert coverage.missing(D, D + timedelta(days=2)) == [D, D + timedelta(days=1)]


def test_a_day_fetched_within_48_hours_of_its_end_is_provisional() -> None:
    end = datetime(2026, 11, 11, tzinfo=UTC)
    early = Coverage.of(["openai"], fetched(("openai", D), at=end + timedelta(hours=47)))
    late = Coverage.of(["openai"], fetched(("openai", D), at=end + timedelta(hours=48)))
    now = end + timedelta(days=5)
    assert early.state(D, now) is DayState.PROVISIONAL
    assert late.state(D, now) is DayState.SETTLED


def test_team_totals_keep_real_zero_days_and_leave_out_missing_ones() -> None:
    days = [D + timedelta(days=n) for n in range(4)]
    coverage = Coverage.of(["openai"], fetched(*(("openai", d) for d in days[:3])))
    totals = {days[0]: Decimal("5"), days[3]: Decimal("7")}  # day 1, 2 fetched without spend
    assert coverage.team_totals(totals, days[0], days[3] + timedelta(days=1)) == {
        days[0]: Decimal("5"),
        days[1]: Decimal("0"),
        days[2]: Decimal("0"),
    }
    assert coverage.missing(days[0], days[3] + timedelta(days=1)) == [days[3]]
    assert coverage.last_day(before=days[3] + timedelta(days=1)) == days[2]
    assert coverage.synced_through("openai") == days[2]


def test_missing_days_read_as_runs() -> None:
    days = [date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 5), date(2026, 11, 9)]
    assert describe_days(days) == "3–5 Nov, 9 Nov"
    assert describe_days([date(2026, 10, 31), date(2026, 11, 1)]) == "31 Oct–1 Nov"
    assert describe_days([]) == ""


def test_a_day_fetched_before_it_ended_is_not_a_whole_day() -> None:
    ended = datetime(2026, 11, 11, tzinfo=UTC)
    partial = Coverage.of(["openai"], fetched(("openai", D), at=ended - timedelta(hours=9)))
    whole = Coverage.of(["openai"], fetched(("openai", D), at=ended))
    totals = {D: Decimal("40")}
    assert partial.has(D) and not partial.whole(D)
    assert partial.team_totals(totals, D, D + timedelta(days=1)) == {}
    assert whole.team_totals(totals, D, D + timedelta(days=1)) == {D: Decimal("40")}


def test_at_the_settling_moment_a_day_is_settled_not_before() -> None:
    settle = datetime(2026, 11, 11, tzinfo=UTC) + timedelta(hours=48)
    coverage = Coverage.of(["openai"], fetched(("openai", D), at=settle))
    assert coverage.state(D, settle) is DayState.SETTLED
    assert coverage.state(D, settle - timedelta(microseconds=1)) is DayState.PROVISIONAL


def test_complete_synced_through_and_last_day_at_their_edges() -> None:
    days = [D + timedelta(days=n) for n in range(3)]
    coverage = Coverage.of(["openai", "anthropic"], fetched(*(("openai", d) for d in days)))
    assert coverage.synced_through("anthropic") is None  # in scope, never fetched
    assert not coverage.complete(D, D + timedelta(days=1))
    both = Coverage.of(["openai"], fetched(*(("openai", d) for d in days)))
    assert both.complete(D, D + timedelta(days=3))
    assert not both.complete(D, D + timedelta(days=4))
    assert both.last_day(before=days[2]) == days[1]  # `before` itself does not count
    assert both.last_day(before=D) is None
