""" "Why did it move?" on a seeded database (SQLite and PostgreSQL), every figure by hand.

`now` is Wednesday 25 Nov 2026 10:00 UTC, so `week` is 18–24 Nov against 11–17 Nov. Amounts
carry nano-dollar and half-cent tails, to show the shown cents still add up.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing_adapters import CostLine, FetchResult
from bot.core.alerts.rules import SPIKE_DRIVERS
from bot.core.why import WhyReport, breakdown
from bot.core.why_period import PeriodInputError, WhyPeriod, resolve_period
from bot.db.store import SpendStore
from bot.render.alert_blocks import alert_blocks, alert_text
from bot.render.why_render import why_blocks, why_headline, why_text
from bot.services.alerts import run_alerts
from bot.services.why import explain_change
from bot.settings import Settings, load_settings
from bot.slack.blocks import check_blocks
from tests.fill_store import swap_in

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
THIS_WEEK = [date(2026, 11, 18) + timedelta(days=n) for n in range(7)]
LAST_WEEK = [date(2026, 11, 11) + timedelta(days=n) for n in range(7)]
D = Decimal


def settings(url: str) -> Settings:
    return load_settings(DATABASE_URL=url, AICOST_TIMEZONE="UTC")


def seed(
    store: SpendStore, lines: list[CostLine], days: dict[str, set[date]] | None = None
) -> None:
    """Swap in each provider's lines; `days` (provider -> days) adds days fetched with no spend."""
    providers = {line.provider for line in lines} | set(days or {})
    for provider in sorted(providers):
        mine = [line for line in lines if line.provider == provider]
        fetched = {line.day for line in mine} | (days or {}).get(provider, set())
        swap_in(store, FetchResult(provider, days=fetched, costs=mine), fetched_at=NOW)


def known_lines(skip_anthropic: frozenset[date] = frozenset()) -> list[CostLine]:
    lines = []
    for day in THIS_WEEK:
        lines += [
            CostLine("openai", day, "proj_a", "gpt-4o, input", D("10.000000001"), "gpt-4o"),
            CostLine("openai", day, "", "web search tool calls", D("1"), None),
        ]
        if day not in skip_anthropic:
            lines.append(CostLine("anthropic", day, "", "Sonnet", D("5"), "claude-sonnet-4"))
    lines.append(
        CostLine("anthropic", THIS_WEEK[3], "wrk_new", "Opus", D("12.345"), "claude-opus-4")
    )
    for day in LAST_WEEK:
        lines += [
            CostLine("openai", day, "proj_a", "gpt-4o, input", D("4"), "gpt-4o"),
            CostLine("openai", day, "", "web search tool calls", D("2"), None),
            CostLine("openai", day, "proj_b", "gpt-4o-mini, input", D("3"), "gpt-4o-mini"),
            CostLine("anthropic", day, "", "Sonnet", D("5"), "claude-sonnet-4"),
        ]
    # Outside both weeks (10 Nov, and today): in neither.
    for day in (date(2026, 11, 10), date(2026, 11, 25)):
        lines.append(CostLine("openai", day, "proj_a", "gpt-4o, input", D("100"), "gpt-4o"))
    return lines


def week(url: str, store: SpendStore) -> WhyReport:
    config = settings(url)
    period = resolve_period("week", now=NOW, tz=config.tz)
    return explain_change(store, config, period, now=NOW)


def shown(report: WhyReport, dimension: str) -> list[tuple[str, str, str, str]]:
    """(label, current, previous, state) of each driver, as shown."""
    return [
        (d.label, str(d.current_cents), str(d.previous_cents), d.state)
        for d in report.by(dimension).drivers
    ]


def test_a_known_breakdown_to_the_cent(store: SpendStore, database_url: str) -> None:
    seed(store, known_lines())
    r = week(database_url, store)

    assert r.period.current == (date(2026, 11, 18), date(2026, 11, 25))
    assert r.period.previous == (date(2026, 11, 11), date(2026, 11, 18))
    # 7 × (10.000000001 + 1 + 5) + 12.345, against 7 × (4 + 2 + 3 + 5).
    assert r.current_usd == D("124.345000007") and r.previous_usd == D("98")
    assert r.change_cents == D("26.35") and r.change_pct == D("26.9") and r.compared
    assert shown(r, "provider") == [
        ("openai", "77.00", "63.00", ""),
        ("anthropic", "47.35", "35.00", ""),  # the half cent lands where rounding lost most
    ]
    assert shown(r, "project") == [
        ("openai proj_a", "70.00", "28.00", ""),
        ("openai proj_b", "0.00", "21.00", "vanished"),
        ("anthropic wrk_new", "12.35", "0.00", "new"),
        ("openai default", "7.00", "14.00", ""),
        ("anthropic default", "35.00", "35.00", ""),
    ]
    assert [d.label for d in r.by("model").drivers] == [
        "gpt-4o",
        "gpt-4o-mini",
        "claude-opus-4",
        "web search tool calls",
        "claude-sonnet-4",
    ]
    assert r.by("line").drivers[0].label == "openai proj_a, gpt-4o"
    for b in r.breakdowns:  # every breakdown adds up to the totals and the change, as shown
        assert sum(d.current_cents for d in b.drivers) == D("124.35")
        assert sum(d.previous_cents for d in b.drivers) == D("98.00")
        assert sum(d.change_cents for d in b.drivers) == r.change_cents
    assert [d.label for d in r.spenders("new")] == ["anthropic wrk_new", "claude-opus-4"]
    assert [d.label for d in r.spenders("vanished")] == ["gpt-4o-mini", "openai proj_b"]
    assert r.missing_current == () and r.missing_previous == ()
    assert r.provisional == (date(2026, 11, 23), date(2026, 11, 24))  # fetched under 48 h after

    text = why_text(r)
    assert "$124.35 in 18–24 Nov 2026, up $26.35 (+26.9 %) on 11–17 Nov 2026 ($98.00)." in text
    assert "▼ openai proj_b: $0.00 (before $21.00, -$21.00, gone)" in text
    assert "New (nothing in the period before): anthropic wrk_new ($12.35), claude-opus-4" in text
    assert "Still provisional: 23–24 Nov" in text
    assert "Not by team" in text
    assert check_blocks(why_blocks(r)) == []


def test_missing_days_are_named_and_not_compared(store: SpendStore, database_url: str) -> None:
    """Anthropic never sent 20 Nov: unknown, not $0, and the change is said not to compare."""
    gap = date(2026, 11, 20)
    seed(store, known_lines(skip_anthropic=frozenset({gap})))
    r = week(database_url, store)
    assert r.missing_current == (gap,) and r.missing_previous == ()
    assert not r.compared and r.change_pct is None
    assert r.current_usd == D("119.345000007")  # what was synced, never padded
    text = why_text(r)
    assert "not a like-for-like comparison, as days are missing (below)" in text
    assert "Missing in 18–24 Nov 2026: 20 Nov (some provider has not sent these days" in text
    assert r.as_dict()["missing_days"] == {"current": ["2026-11-20"], "previous": []}


def test_nothing_synced_is_no_data_not_zero(store: SpendStore, database_url: str) -> None:
    r = week(database_url, store)
    assert r.no_data and r.current_usd == 0
    assert "No data synced for 18–24 Nov 2026 or 11–17 Nov 2026 yet" in why_text(r)
    assert check_blocks(why_blocks(r)) == []


def test_a_spike_alert_says_what_drove_it(store: SpendStore, database_url: str) -> None:
    spike = date(2026, 11, 20)
    days = [spike - timedelta(days=n) for n in range(29)]  # the spike and 28 days before it
    lines = []
    for day in days:
        extra = day == spike
        lines += [
            CostLine("openai", day, "proj_a", "gpt-4o", D("10"), "gpt-4o"),
            CostLine("anthropic", day, "", "Sonnet", D("32" if extra else "2"), "claude-sonnet-4"),
        ]
    lines.append(CostLine("openai", spike, "support_bot", "gpt-4o", D("640"), "gpt-4o"))
    seed(store, lines)
    run = run_alerts(store, settings(database_url), now=NOW, poster=None, post=False)
    [condition] = [c for c in run.conditions if c.key == "spike:2026-11-20"]
    drivers = "openai support_bot, gpt-4o: +$640.00; anthropic default, claude-sonnet-4: +$30.00"
    assert condition.numbers[SPIKE_DRIVERS] == drivers
    assert f"  {SPIKE_DRIVERS}: {drivers}" in alert_text(condition)
    assert check_blocks(alert_blocks(condition)) == []


def test_periods_resolve_from_now_in_the_team_zone() -> None:
    assert resolve_period(None, now=NOW, tz=UTC_ZONE).name == "week"
    month = resolve_period("month", now=NOW, tz=UTC_ZONE)
    assert month.current == (date(2026, 11, 1), date(2026, 11, 25))
    assert month.previous == (date(2026, 10, 1), date(2026, 10, 25))
    # 31 March: 1–30 Mar against all of February, clipped to its end.
    late = resolve_period("month", now=datetime(2027, 3, 31, 12, tzinfo=UTC), tz=UTC_ZONE)
    assert late.previous == (date(2027, 2, 1), date(2027, 3, 1))
    october = resolve_period("2026-10", now=NOW, tz=UTC_ZONE)
    assert october == WhyPeriod(
        "2026-10", (date(2026, 10, 1), date(2026, 11, 1)), (date(2026, 9, 1), date(2026, 10, 1))
    )
    assert resolve_period("2026-11", now=NOW, tz=UTC_ZONE) == month  # the month still running
    # 30 Nov 23:30 UTC is already 1 Dec in Auckland: a new month with no complete day yet.
    auckland = resolve_period(
        "month", now=datetime(2026, 11, 30, 23, 30, tzinfo=UTC), tz=ZoneInfo("Pacific/Auckland")
    )
    assert auckland.current == (date(2026, 12, 1), date(2026, 12, 1)) and auckland.days == 0
    empty = WhyReport(auckland, NOW, "Pacific/Auckland", D(0), D(0), ())
    assert why_headline(empty) == (
        "No complete day of December 2026 yet: try `why week`, or `why 2026-11` for November."
    )


@pytest.mark.parametrize(
    "text", ["2026-13", "weekly", "26-10", "2026-10-01x", "0202-01", "2027-01"]
)
def test_a_malformed_period_says_what_is_allowed(text: str) -> None:
    with pytest.raises(PeriodInputError, match="week \\(the default\\), month, or a month like"):
        resolve_period(text, now=NOW, tz=UTC_ZONE)


def test_breakdown_ties_are_stable_and_unchanged_keys_are_not_drivers() -> None:
    from bot.core.records import LineSpend

    lines = [
        LineSpend("openai", "b", "m", D("1"), D("0")),
        LineSpend("openai", "a", "m", D("1"), D("0")),
        LineSpend("openai", "c", "m", D("5"), D("5")),
    ]
    b = breakdown(lines, "project")
    assert [d.label for d in b.top()] == ["openai a", "openai b"] and b.rest() == (0, D(0))
