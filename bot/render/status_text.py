"""`aicost status` for the terminal."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from ..money import format_usd
from ..status import StatusReport
from .wording import (
    budget_phrase,
    change_phrase,
    freshness_lines,
    incomplete_line,
    projection_phrase,
)

__all__ = ["status_text"]


def status_text(report: StatusReport) -> str:
    local = report.as_of.astimezone(ZoneInfo(report.timezone))
    last_month = report.month_start - timedelta(days=1)
    lines = [
        f"AI spend, {report.month_start:%B %Y} (as of {local:%a %d %b %Y %H:%M} {report.timezone})",
        "",
        f"  Month to date        {format_usd(report.month_to_date_usd):>12}   "
        f"day {report.today.day} of {report.days_in_month}; {change_phrase(report)}",
        f"  Projected month end  {projection_phrase(report)}",
        f"  Previous month       {format_usd(report.previous_month_usd):>12}   "
        f"{last_month:%B %Y}, full month",
    ]
    budget = budget_phrase(report)
    if budget:
        lines.append(f"  Budget               {budget}")
    lines += ["", f"  {'By provider':<18} {'month to date':>14}   {'previous month':>14}"]
    for name, amount in report.by_provider.items():
        previous = report.previous_by_provider.get(name)
        lines.append(
            f"    {name:<16} {format_usd(amount):>14}   "
            f"{format_usd(previous) if previous is not None else '-':>14}"
        )
    lines.append("")
    fresh = freshness_lines(report)
    lines += [f"  Data: {line}" for line in fresh] or ["  Data: no provider synced yet"]
    incomplete = incomplete_line(report)
    if incomplete:
        lines.append(f"  {incomplete}")
    return "\n".join(lines)
