"""The busiest hour measured from hourly usage, and what the answer says it sized for.

Capacity is sized for the p99 hour of the window when every provider's hours are stored; the
assumed peak factor and active hours are a fallback, and the answer says which it used and why.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing_adapters import CostLine, FetchResult, TokenUsage
from billing_adapters.records import HourlyUsage
from bot.core.breakeven import Workload, resolve
from bot.core.breakeven.capacity import size_capacity
from bot.core.breakeven.peak import MIN_HOURS, measure_peak
from bot.db.hourly_usage import HourlyUsageStore
from bot.db.store import SpendStore
from bot.render.breakeven_json import breakeven_json
from bot.render.breakeven_text import breakeven_text
from bot.services.breakeven import NoDataError, answer_breakeven
from bot.services.breakeven_query import QueryError, parse_slack_query
from bot.settings import load_settings
from tests.fill_store import swap_in

# Every moment here is fixed, none is the suite's own: the calendar passes would repeat it.
pytestmark = pytest.mark.calendar_free

UTC_ZONE = ZoneInfo("UTC")
MONDAY = datetime(2026, 10, 26, tzinfo=UTC)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def office_hours(weeks: int = 4, busy: int = 1000) -> dict[datetime, int]:
    """`busy` output tokens in each weekday hour 09:00-19:00 UTC, none otherwise."""
    hours = {}
    for n in range(weeks * 7 * 24):
        hour = MONDAY + timedelta(hours=n)
        working = hour.weekday() < 5 and 9 <= hour.hour < 19
        hours[hour] = busy if working else 0
    return hours


def test_office_hours_measure_the_office_hour_and_its_count() -> None:
    peak = measure_peak(office_hours(), tz=UTC_ZONE, timezone="UTC")
    assert peak is not None
    assert (peak.hours, peak.peak_output, peak.active_hours) == (672, 1000, 200)
    assert peak.active_hours_per_month == Decimal("217.3")  # 200 of 672 hours, of 730
    assert peak.busiest == (0, 9)  # Monday 09:00, the first of the equal hours
    # Sized from its own month, the measured factor gives back the measured hour.
    a, _ = resolve("2xh100-rent-70b", ("measured", peak.overrides()))
    monthly_output = 200_000 * 730 // 672
    workload = Workload(
        api_usd=Decimal(10_000),
        input_tokens=monthly_output * 4,
        cached_input_tokens=0,
        output_tokens=monthly_output,
    )
    capacity = size_capacity(workload, a)
    assert abs(capacity.peak_tok_s - a.movable_frac * Decimal(1000) / 3600) < Decimal("0.01")


def test_always_off_rents_the_measured_active_hours() -> None:
    peak = measure_peak(office_hours(), tz=UTC_ZONE, timezone="UTC")
    assert peak is not None
    a, _ = resolve("2xh100-rent-70b", ("measured", {**peak.overrides(), "always_on": "false"}))
    assert a.active_hours_per_month == Decimal("217.3")


def test_one_freak_hour_does_not_set_the_busiest_hour() -> None:
    hours = office_hours()
    hours[MONDAY + timedelta(days=2, hours=3)] = 50_000  # a runaway batch at 03:00
    peak = measure_peak(hours, tz=UTC_ZONE, timezone="UTC")
    assert peak is not None
    assert peak.peak_output == 1000 and peak.max_output == 50_000
    low, high = peak.peak_factor_range()
    assert low <= peak.peak_factor < high


def test_too_few_hours_or_no_output_leave_the_assumption() -> None:
    short = dict(list(office_hours().items())[: MIN_HOURS - 1])
    assert measure_peak(short, tz=UTC_ZONE, timezone="UTC") is None
    silent = dict.fromkeys(office_hours(), 0)
    assert measure_peak(silent, tz=UTC_ZONE, timezone="UTC") is None


def test_the_profile_is_in_the_team_s_time_zone() -> None:
    peak = measure_peak(office_hours(), tz=ZoneInfo("America/New_York"), timezone="ET")
    assert peak is not None
    weekday, hour = peak.busiest
    # 09:00 UTC is 05:00 in New York in the first week (EDT) and 04:00 after 1 Nov (EST): the
    # profile is read in local time, so Monday 05:00 is busy every week and 04:00 in three.
    assert (weekday, hour) == (0, 5)
    assert peak.profile[0][4] == 750 and peak.profile[0][5] == 1000
    assert peak.profile[5] == (0,) * 24  # Saturday


def seed(
    store: SpendStore, *, hourly_for: tuple[str, ...], anthropic_output: int = 5_000_000
) -> None:
    """28 days of both providers' spend and usage (5M output tokens a day from OpenAI); hourly
    usage for the providers named."""
    days = [date(2026, 10, 26) + timedelta(days=n) for n in range(28)]
    for provider in ("openai", "anthropic"):
        swap_in(
            store,
            FetchResult(
                provider,
                days=set(days),
                costs=[CostLine(provider, d, "", "tokens", Decimal(150)) for d in days],
                usage=[
                    TokenUsage(provider, d, "m", 40_000_000, 0, output, 0)
                    for d in days
                    for output in [5_000_000 if provider == "openai" else anthropic_output]
                ],
                usage_days=set(days),
            ),
            fetched_at=NOW,
        )
    for provider in hourly_for:
        rows = [HourlyUsage(provider, h, out * 8, out * 5_000) for h, out in office_hours().items()]
        HourlyUsageStore(store.engine).replace(
            provider, MONDAY, MONDAY + timedelta(days=28), rows, fetched_at=NOW
        )


def test_the_answer_sizes_for_the_measured_hour_and_says_so(
    store: SpendStore, database_url: str
) -> None:
    seed(store, hourly_for=("openai", "anthropic"))
    settings = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    report, verdict = answer_breakeven(store, settings, now=NOW)
    assert report.peak.measured is not None
    assert report.origin["peak_factor"] == "measured (hourly usage, 28.0 days)"
    assert report.origin["active_hours_per_month"] == "measured (hourly usage, 28.0 days)"
    # Both providers' hours add up: 2 × 5M output tokens in each office hour.
    assert report.peak.measured.peak_output == 10_000_000
    assert report.result.assumptions.active_hours_per_month == Decimal("217.3")
    text = breakeven_text(report, verdict)
    assert "Busiest hour        measured: p99 of 672 hourly totals" in text
    data = breakeven_json(report, verdict)
    assert data["peak"]["measured"] is True and data["peak"]["used"] is True
    assert data["peak"]["peak_output_tokens"] == 10_000_000
    swing = next(s for s in report.sensitivity.swings if s.name == "peak_factor")
    assert swing.source.startswith("measured: sized for the p95 hour")


def test_a_provider_without_hours_carrying_most_tokens_leaves_the_peak_assumed(
    store: SpendStore, database_url: str
) -> None:
    seed(store, hourly_for=("openai",), anthropic_output=15_000_000)  # 75 % has no hours
    settings = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    report, verdict = answer_breakeven(store, settings, now=NOW)
    assert report.peak.measured is None
    assert report.peak.why_assumed == "no hourly usage stored for anthropic"
    assert report.origin["peak_factor"] == "default"
    text = " ".join(breakeven_text(report, verdict).split())
    assert "Busiest hour assumed: 2.5 × the average of 220 active hours a month" in text
    assert "no hourly usage stored for anthropic" in text
    assert breakeven_json(report, verdict)["peak"] == {
        "measured": False,
        "why_assumed": "no hourly usage stored for anthropic",
    }


def test_a_provider_without_hours_is_assumed_to_follow_the_measured_ones(
    store: SpendStore, database_url: str
) -> None:
    seed(store, hourly_for=("openai",), anthropic_output=1_250_000)  # 20 % has no hours
    settings = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    report, verdict = answer_breakeven(store, settings, now=NOW)
    assert report.peak.measured is not None
    assert report.peak.measured.peak_output == 5_000_000  # OpenAI's hours alone
    assert report.origin["peak_factor"] == "measured (hourly usage, 28.0 days)"
    text = " ".join(breakeven_text(report, verdict).split())
    assert (
        "measured on 80 % of output tokens, anthropic (no hourly usage) assumed to follow the "
        "same hours" in text
    )
    data = breakeven_json(report, verdict)["peak"]
    assert data["providers_without_hours"] == ["anthropic"]
    assert data["measured_share_of_output"] == 0.8


def test_a_query_s_own_peak_factor_beats_the_measurement_and_says_so(
    store: SpendStore, database_url: str
) -> None:
    seed(store, hourly_for=("openai", "anthropic"))
    settings = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    report, verdict = answer_breakeven(store, settings, now=NOW, overrides={"peak_factor": "2"})
    assert report.result.assumptions.peak_factor == Decimal(2)
    text = " ".join(breakeven_text(report, verdict).split())
    assert "peak_factor 2 from the query instead of the measured: p99" in text
    assert breakeven_json(report, verdict)["peak"]["used"] is False


def test_one_provider_s_workload_alone(store: SpendStore, database_url: str) -> None:
    seed(store, hourly_for=("openai", "anthropic"), anthropic_output=20_000_000)
    settings = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    report, verdict = answer_breakeven(store, settings, now=NOW, provider="openai")
    assert report.provider == "openai"
    workload = report.result.workload
    assert round(workload.api_usd, 2) == Decimal("4562.50")  # OpenAI's $150 a day alone
    assert {m.provider for m in workload.models} == {"openai"}
    assert report.peak.measured is not None and report.peak.measured.peak_output == 5_000_000
    assert "self-hosting vs the API, openai's workload alone" in breakeven_text(report, verdict)
    assert breakeven_json(report, verdict)["provider"] == "openai"
    whole, _ = answer_breakeven(store, settings, now=NOW)
    assert whole.provider is None and whole.peak.measured is not None
    assert whole.peak.measured.peak_output == 10_000_000  # both providers' stored hours


def test_a_provider_with_nothing_stored_is_named(store: SpendStore, database_url: str) -> None:
    seed(store, hourly_for=())
    settings = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    with pytest.raises(NoDataError, match="nothing stored for provider 'azure'"):
        answer_breakeven(store, settings, now=NOW, provider="azure")


def test_provider_is_read_alike_in_slack() -> None:
    assert parse_slack_query(["--provider", "Anthropic"]).provider == "anthropic"
    with pytest.raises(QueryError, match="is not a provider name"):
        parse_slack_query(["--provider", "../etc"])


def test_spend_without_token_counts_is_left_out_of_the_workload_and_named(
    store: SpendStore, database_url: str
) -> None:
    """Bedrock's bill has no tokens: counted in the workload it would make every OpenAI and
    Anthropic token look dearer, and self-hosting better. It is left out and named."""
    seed(store, hourly_for=("openai", "anthropic"))
    days = [date(2026, 10, 26) + timedelta(days=n) for n in range(28)]
    swap_in(
        store,
        FetchResult(
            "aws-bedrock",
            days=set(days),
            costs=[CostLine("aws-bedrock", d, "", "Claude: out", Decimal(60)) for d in days],
        ),
        fetched_at=NOW,
    )
    settings = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    report, verdict = answer_breakeven(store, settings, now=NOW)
    # $150 a day from each of OpenAI and Anthropic, scaled to 730/24 days: $9,125.00.
    assert round(report.result.workload.api_usd, 2) == Decimal("9125.00")
    ((name, usd),) = report.left_out
    assert (name, round(usd, 2)) == ("aws-bedrock", Decimal("1825.00"))
    text = " ".join(breakeven_text(report, verdict).split())
    assert (
        "left out of the workload, having no token counts to size hardware for: "
        "aws-bedrock $1,825.00/month" in text
    )
    assert breakeven_json(report, verdict)["left_out_usd"] == {"aws-bedrock": 1825.0}
