"""Month-to-date status arithmetic, worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from bot.core.records import DailySpend
from bot.core.status import build_status
from bot.render.status_text import status_text

UTC_ZONE = ZoneInfo("UTC")


def days(start: date, count: int, amount: str, provider: str = "openai") -> list[DailySpend]:
    return [DailySpend(provider, start + timedelta(days=n), Decimal(amount)) for n in range(count)]


def fetched(rows: list[DailySpend], at: datetime) -> dict[tuple[str, date], datetime]:
    return {(r.provider, r.day): at for r in rows}


NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
# October: $100 every day. November 1-22: $120 a day; November 23 (today, partial): $50.
OCTOBER = days(date(2026, 10, 1), 31, "100")
NOVEMBER = days(date(2026, 11, 1), 22, "120") + [
    DailySpend("openai", date(2026, 11, 23), Decimal(50))
]
ROWS = OCTOBER + NOVEMBER


def test_month_to_date_previous_month_and_same_point() -> None:
    report = build_status(ROWS, now=NOW, tz=UTC_ZONE, fetched_at=fetched(ROWS, NOW))

    assert report.month_to_date_usd == 22 * 120 + 50 == 2690
    assert report.previous_month_usd == 31 * 100
    assert report.previous_month_same_point_usd == 23 * 100  # October 1..23
    # (2690 - 2300) / 2300 = 16.956… %
    assert report.change_vs_same_point_pct == Decimal("17.0")
    assert report.by_provider == {"openai": Decimal(2690)}


def test_projection_is_the_forecast_month_end() -> None:
    # A flat $120/day in November (October was $100/day): the forecast lands near 30 × 120.
    report = build_status(ROWS, now=NOW, tz=UTC_ZONE, fetched_at=fetched(ROWS, NOW))
    assert report.forecast is not None and report.projection_usd is not None
    assert report.forecast.month_to_date == 22 * 120  # complete days only: today is running
    end = report.forecast.month_end
    assert end.low <= report.projection_usd <= end.high
    assert abs(report.projection_usd - 3600) < 3600 * D("0.05")
    assert report.as_dict()["projected_month_end_usd"] == float(report.projection_usd)


def test_under_a_week_of_history_there_is_no_projection() -> None:
    rows = days(date(2026, 11, 20), 3, "30")
    report = build_status(rows, now=NOW, tz=UTC_ZONE, fetched_at=fetched(rows, NOW))
    assert report.projection_usd is None
    assert report.as_dict()["projected_month_end_range_usd"] is None


def test_no_fetched_days_means_no_projection() -> None:
    report = build_status([], now=NOW, tz=UTC_ZONE, providers=["openai", "anthropic"])
    assert report.projection_usd is None
    assert report.by_provider == {"anthropic": None, "openai": None}  # unknown, not $0
    assert report.month_to_date_usd is None and report.previous_month_usd is None
    assert report.change_vs_same_point_pct is None


def test_the_month_is_the_teams_month() -> None:
    # 02:00 UTC on Dec 1 is still Nov 30 in Los Angeles: November is the current month there.
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    la = build_status(ROWS, now=now, tz=ZoneInfo("America/Los_Angeles"))
    utc = build_status(ROWS, now=now, tz=UTC_ZONE)
    assert (la.today, la.month_to_date_usd) == (date(2026, 11, 30), Decimal(2690))
    # In UTC it is already December, of which nothing is synced: unknown, not $0.
    assert (utc.today, utc.month_to_date_usd, utc.previous_month_usd) == (
        date(2026, 12, 1),
        None,
        2690,
    )


def test_same_point_in_a_shorter_previous_month() -> None:
    # March 31 against February (28 days): the same point is the whole of February.
    now = datetime(2027, 3, 31, 12, tzinfo=UTC)
    rows = days(date(2027, 2, 1), 28, "10") + days(date(2027, 3, 1), 31, "20")
    report = build_status(rows, now=now, tz=UTC_ZONE, fetched_at=fetched(rows, now))
    assert report.previous_month_same_point_usd == report.previous_month_usd == 280
    assert report.same_point_day == 31
    assert report.change_vs_same_point_pct == Decimal("121.4")  # 620 against 280


def test_days_fetched_within_48_hours_of_their_end_are_marked_incomplete() -> None:
    # Nov 20 ends Nov 21 00:00; fetched at Nov 23 10:00 that is 58 h later: settled.
    # Nov 21 ends Nov 22 00:00; 34 h later: may still change. Likewise Nov 22 and 23.
    report = build_status(ROWS, now=NOW, tz=UTC_ZONE, fetched_at=fetched(ROWS, NOW))
    assert report.incomplete_days == [date(2026, 11, d) for d in (21, 22, 23)]


def test_json_shape_rounds_to_the_cent() -> None:
    rows = [DailySpend("anthropic", date(2026, 11, 2), Decimal("1.2378912"))]
    report = build_status(rows, now=NOW, tz=UTC_ZONE, fetched_at=fetched(rows, NOW))
    data = report.as_dict()
    assert data["month_to_date_usd"] == 1.24
    assert data["previous_month_usd"] is None  # October was never synced: null, never 0.0
    assert data["previous_month_complete"] is False
    assert len(data["previous_month_missing_days"]) == 31
    assert data["by_provider"] == {"anthropic": 1.24}
    assert data["month"] == "2026-11"


def test_each_provider_s_share_of_the_month() -> None:
    """Which source the bill is, at a glance: shares of the displayed month to date."""
    rows = (
        days(date(2026, 11, 1), 22, "69.50")
        + days(date(2026, 11, 1), 22, "30.30", "anthropic")
        + days(date(2026, 11, 1), 22, "0.20", "openrouter")
    )
    report = build_status(rows, now=NOW, tz=UTC_ZONE, fetched_at=fetched(rows, NOW))
    shares = report.provider_shares()
    assert shares == {
        "anthropic": D("0.303"),
        "openai": D("0.695"),
        "openrouter": D("0.002"),
    }
    text = status_text(report)
    assert "    openai               $1,529.00                -    70 %" in text
    assert "    anthropic              $666.60                -    30 %" in text
    assert "    openrouter               $4.40                -    <1 %" in text
    assert report.as_dict()["share_by_provider"]["openai"] == 0.695
