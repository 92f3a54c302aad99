"""`aicost status` for the terminal."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from ..money import format_usd
from ..status import StatusReport
from .wording import (
    budget_basis,
    change_phrase,
    freshness_lines,
    growth_lines,
    incomplete_line,
    projection_basis,
)

__all__ = ["status_text"]


def _row(label: str, amount: str, note: str) -> str:
    return f"  {label:<20}{amount:>12}   {note}"


def status_text(report: StatusReport) -> str:
    local = report.as_of.astimezone(ZoneInfo(report.timezone))
    last_month = report.month_start - timedelta(days=1)
    projection = "-" if report.projection_usd is None else format_usd(report.projection_usd)
    lines = [
        f"AI spend, {report.month_start:%B %Y} (as of {local:%a %d %b %Y %H:%M} {report.timezone})",
        "",
        _row(
            "Month to date",
            format_usd(report.month_to_date_usd),
            f"day {report.today.day} of {report.days_in_month}; {change_phrase(report)}",
        ),
        _row("Projected month end", projection, projection_basis(report)),
        _row(
            "Previous month",
            format_usd(report.previous_month_usd),
            f"{last_month:%B %Y}, full month",
        ),
    ]
    budget = budget_basis(report)
    if budget and report.budget_usd is not None:
        lines.append(_row("Budget", format_usd(report.budget_usd), budget))
    lines += ["", f"  {'By provider':<20}{'this month':>12}   {'last month':>14}"]
    for name, amount in report.by_provider.items():
        previous = report.previous_by_provider.get(name)
        lines.append(
            f"    {name:<18}{format_usd(amount):>12}   "
            f"{format_usd(previous) if previous is not None else '-':>14}"
        )
    growth = growth_lines(report)
    if growth:
        lines += ["", "  Growth"] + [f"    {line}" for line in growth]
    lines.append("")
    fresh = freshness_lines(report) or ["no provider synced yet"]
    lines += [f"  Data: {line}" for line in fresh]
    incomplete = incomplete_line(report)
    if incomplete:
        lines.append(f"  {incomplete}")
    return "\n".join(lines)
