"""Phrases shared by the terminal and Slack renderings, so both say the same thing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..money import format_usd
from ..status import SETTLE_HOURS, StatusReport

__all__ = [
    "age",
    "budget_basis",
    "change_phrase",
    "days_phrase",
    "freshness_lines",
    "incomplete_line",
    "projection_basis",
]


def age(then: datetime, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', '2 days ago'."""
    seconds = max(0, int((now - then).total_seconds()))
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
    change = report.change_vs_same_point_pct
    same = format_usd(report.previous_month_same_point_usd)
    if change is None:
        return f"no spend by day {report.today.day} last month to compare with"
    arrow = "up" if change > 0 else "down" if change < 0 else "flat"
    return f"{arrow} {abs(change)} % against {same} by day {report.today.day} last month"


def projection_basis(report: StatusReport) -> str:
    """How the month-end projection was made, or why there is none."""
    if report.projection_usd is None or report.trailing_daily_usd is None:
        return "no projection yet: needs at least one synced day before today"
    left = report.days_in_month - report.today.day + 1
    return (
        f"spend before today + {format_usd(report.trailing_daily_usd)}/day "
        f"(7-day average) × {left} day{'s' if left != 1 else ''} left"
    )


def budget_basis(report: StatusReport) -> str | None:
    """'48 % used; projected 70 % at month end', or None without a budget."""
    if report.budget_usd is None:
        return None
    used = report.month_to_date_usd * 100 / report.budget_usd
    text = f"{used.quantize(Decimal('1'))} % used"
    if report.projection_usd is not None:
        projected = report.projection_usd * 100 / report.budget_usd
        text += f"; projected {projected.quantize(Decimal('1'))} % at month end"
    return text


def freshness_lines(report: StatusReport) -> list[str]:
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


def incomplete_line(report: StatusReport) -> str | None:
    if not report.incomplete_days:
        return None
    return (
        f"May still be incomplete: {days_phrase(report.incomplete_days)} "
        f"(providers revise a day for up to {SETTLE_HOURS} h after it ends)."
    )
