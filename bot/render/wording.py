"""Phrases shared by the terminal and Slack renderings, so both say the same thing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from ..core.coverage import SETTLE_HOURS, ProviderFreshness, describe_days
from ..core.growth import partial_revenue_phrase
from ..core.money import display, format_usd, percent_of
from ..core.status import StatusReport

__all__ = [
    "age",
    "budget_basis",
    "change_phrase",
    "coverage_note",
    "month_to_date_note",
    "previous_month_note",
    "days_phrase",
    "freshness_lines",
    "growth_lines",
    "incomplete_line",
    "projection_basis",
    "share_text",
    "stale_lines",
    "usd_or_dash",
]


def usd_or_dash(amount: Decimal | None) -> str:
    """A dollar figure, or '-' where there is none: a missing figure is never shown as $0."""
    return "-" if amount is None else format_usd(amount)


def age(then: datetime, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', '2 days ago'; 'after the as-of time' for a moment
    later than the one the answer is as of (`--as-of` before the last sync), never 'just now'."""
    seconds = int((now - then).total_seconds())
    if seconds < -60:  # a few seconds either way is two clocks, not the future
        return "after the as-of time"
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def days_phrase(days: list[date]) -> str:
    return ", ".join(d.strftime("%d %b").lstrip("0") for d in days)


def change_phrase(report: StatusReport) -> str:
    """Against last month like for like, or why there is no comparison."""
    change = report.change_vs_same_point_pct
    point = report.same_point_day
    if point is None:
        return "not compared: this month's synced data has gaps"
    if report.previous_month_same_point_usd is None:
        return f"not compared: last month is not synced to day {point}"
    same = format_usd(report.previous_month_same_point_usd)
    if change is None:
        return f"no spend by day {point} last month to compare with"
    arrow = "up" if change > 0 else "down" if change < 0 else "flat"
    return f"{arrow} {abs(change)} % against {same} by day {point} last month"


def coverage_note(report: StatusReport) -> str | None:
    """'data to 20 Nov; 10 days not yet synced (21–30 Nov)', or None when nothing is missing."""
    if not report.missing_days:
        return None
    count = len(report.missing_days)
    days = "1 day" if count == 1 else f"{count} days"
    where = describe_days(report.missing_days)
    if report.data_through is None or report.data_through < report.month_start:
        return f"no data synced for this month yet; {days} not yet synced ({where})"
    through = report.data_through
    return f"data to {through.day} {through:%b}; {days} not yet synced ({where})"


def month_to_date_note(report: StatusReport) -> str:
    """The month-to-date line's note: how far the data goes, then the comparison."""
    head = f"day {report.today.day} of {report.days_in_month}"
    if report.month_to_date_usd is None:
        return f"{head}; no data synced for {report.month_start:%B} yet (not $0)"
    note = coverage_note(report)
    if note:
        head += f"; {note}"
    return f"{head}; {change_phrase(report)}"


def previous_month_note(report: StatusReport) -> str:
    """'October 2026, full month' only when every day is synced; otherwise what is missing."""
    last_month = report.month_start - timedelta(days=1)
    name = f"{last_month:%B %Y}"
    if report.previous_month_usd is None:
        return f"{name}: no data synced (not $0)"
    missing = report.previous_month_missing_days
    dim = last_month.day
    if not missing:
        text = f"{name}, full month"
    else:
        text = (
            f"{name}, {dim - len(missing)} of {dim} days synced (missing {describe_days(missing)})"
        )
    moved, when = report.previous_month_revised_usd, report.previous_month_revised_at
    if moved is not None and when is not None:
        sign = "+" if moved > 0 else "-" if moved < 0 else "±"
        text += (
            f"; revised {sign}{format_usd(abs(moved))} since it closed "
            f"(providers' late corrections, last {when:%d %b})"
        )
    return text


def projection_basis(report: StatusReport) -> str:
    """The projection's range and how it was made, or why there is none."""
    forecast = report.forecast
    if forecast is None:
        return "no projection yet: needs at least 7 complete synced days"
    end = forecast.month_end
    text = (
        f"likely {format_usd(end.low)} to {format_usd(end.high)}; trend and weekly pattern "
        f"over {forecast.history_days} days"
    )
    if forecast.unknown_days:
        text += (
            f"; {len(forecast.unknown_days)} days without complete synced data forecast, "
            "not counted as $0"
        )
    through = report.data_through
    if through is not None and through < report.month_start:
        text += f"; no data this month yet, so all of it is forecast from data to {through:%d %b}"
    return text


def budget_basis(report: StatusReport) -> str | None:
    """'48 % used; projected 70 % at month end', or None without a budget."""
    if report.budget_usd is None or report.month_to_date_usd is None:
        return None
    text = f"{percent_of(report.month_to_date_usd, report.budget_usd)} % used"
    if report.projection_usd is not None:
        projected = percent_of(report.projection_usd, report.budget_usd)
        text += f"; projected {projected} % at month end"
    return text


class HasFreshness(Protocol):
    """Status, forecast and break-even reports all say how fresh their data is."""

    @property
    def freshness(self) -> Sequence[ProviderFreshness]: ...
    @property
    def timezone(self) -> str: ...
    @property
    def as_of(self) -> datetime: ...


def freshness_lines(report: HasFreshness) -> list[str]:
    """One line per provider: when it last synced, and the last error if the latest failed."""
    lines = []
    for f in report.freshness:
        if f.last_success_at is None:
            line = f"{f.provider} never synced"
        else:
            when = f.last_success_at.astimezone(ZoneInfo(report.timezone))
            ago = age(f.last_success_at, report.as_of)
            line = f"{f.provider} synced {when:%d %b %H:%M} {report.timezone} ({ago})"
        if f.last_error:
            line += f"; last attempt failed: {f.last_error}"
        lines.append(line)
    return lines


def stale_lines(report: StatusReport) -> list[str]:
    """One warning per provider that stopped syncing, for the top of the status."""
    lines = []
    for f in report.stale:
        if f.last_success_at is None:  # stale_providers never lists these
            continue
        when = f.last_success_at.astimezone(ZoneInfo(report.timezone))
        gone = age(f.last_success_at, report.as_of).removesuffix(" ago")
        line = (
            f"Stale: no successful {f.provider} sync for {gone} "
            f"(last {when:%d %b %H:%M} {report.timezone}); its figures stop there"
        )
        if f.last_error:
            line += f"; last error: {f.last_error}"
        lines.append(line)
    return lines


def incomplete_line(report: StatusReport) -> str | None:
    if not report.incomplete_days:
        return None
    return (
        f"May still be incomplete: {days_phrase(report.incomplete_days)} "
        f"(providers revise a day for up to {SETTLE_HOURS} h after it ends)."
    )


def _pct(fraction: Decimal) -> str:
    return f"{fraction * 100:+.1f} %"


def growth_lines(report: StatusReport) -> list[str]:
    """The last complete month's spend growth against revenue growth, and the flag."""
    growth = report.growth
    latest = growth.latest if growth else None
    if growth is None or latest is None:
        return []
    name = f"{latest.month:%B %Y}"
    if latest.spend_usd is None:
        return [f"{name}: not every day synced, so no growth figure (complete months only)"]
    if latest.spend_growth is None:
        return [f"{name}: AI spend {format_usd(latest.spend_usd)} (no month before to compare)"]
    line = f"{name}: AI spend {_pct(latest.spend_growth)} on the month before"
    if latest.partial_revenue:
        return [f"{line}; {partial_revenue_phrase(latest)}"]
    if latest.revenue_growth is None:
        return [line + "; no revenue recorded to compare (`aicost revenue set YYYY-MM AMOUNT`)"]
    line += f", revenue {_pct(latest.revenue_growth)}"
    share = latest.spend_share
    if share is not None:
        line += f"; AI spend is {share * 100:.1f} % of revenue"
    lines = [line]
    if growth.outgrowing_revenue:
        lines.append(
            f"AI spend has grown faster than revenue for {growth.outgrowing_streak} months "
            "in a row: the bill is outgrowing the business."
        )
    if growth.over_share_policy and growth.share_policy is not None:
        lines.append(f"AI spend is above the {growth.share_policy * 100:.1f} % of revenue policy.")
    return lines


def money_notes(report: StatusReport, *, warning: str = "") -> list[str]:
    """Lines that qualify the dollar figures: prepaid credits left (and for how long), and
    bills in other currencies (converted at which rate, or not counted); `warning` prefixes
    the ones that need action (credits running low, a currency without a rate)."""
    lines = []
    for r in report.runways:
        fetched = r.balance.fetched_at.astimezone(ZoneInfo(report.timezone))
        text = r.describe(report.timezone, f"{fetched:%d %b %H:%M}")
        lines.append(f"{warning}Credits running low: {text}" if r.low else f"Credits: {text}")
    for f in report.currencies:
        lines.append(f"{warning if f.rate is None else ''}Currency: {f.describe()}")
    return lines + display_notes()


def display_notes() -> list[str]:
    """The line naming the display currency and its rate, when figures are converted."""
    shown = display()
    return [] if shown is None else [f"Currency: {shown.note()}"]


def share_text(share: Decimal | None) -> str:
    """A provider's share of the month as whole percent ("<1 %" rather than a misleading 0)."""
    if share is None:
        return "-"
    if 0 < share < Decimal("0.005"):
        return "<1 %"
    return f"{(share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)} %"
