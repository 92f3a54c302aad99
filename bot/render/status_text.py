"""`aicost status` for the terminal."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ..core.money import format_usd
from ..core.status import StatusReport
from .team_render import team_status_lines
from .wording import (
    budget_basis,
    freshness_lines,
    growth_lines,
    incomplete_line,
    money_notes,
    month_to_date_note,
    previous_month_note,
    projection_basis,
    share_text,
    stale_lines,
    usd_or_dash,
)

__all__ = ["status_text"]


def _row(label: str, amount: str, note: str) -> str:
    return f"  {label:<20}{amount:>12}   {note}"


def status_text(report: StatusReport) -> str:
    local = report.as_of.astimezone(ZoneInfo(report.timezone))
    projection = "-" if report.projection_usd is None else format_usd(report.projection_usd)
    lines = [
        f"AI spend, {report.month_start:%B %Y} (as of {local:%a %d %b %Y %H:%M} {report.timezone})",
        *(f"  ! {line}" for line in stale_lines(report)),
        "",
        _row("Month to date", usd_or_dash(report.month_to_date_usd), month_to_date_note(report)),
        _row("Projected month end", projection, projection_basis(report)),
        _row("Previous month", usd_or_dash(report.previous_month_usd), previous_month_note(report)),
    ]
    budget = budget_basis(report)
    if budget and report.budget_usd is not None:
        lines.append(_row("Budget", format_usd(report.budget_usd), budget))
    lines += ["", f"  {'By provider':<20}{'this month':>12}   {'last month':>14}   {'share':>5}"]
    last = report.shown_by_provider(previous=True)
    shares = report.provider_shares()
    for name, amount in report.shown_by_provider().items():
        previous = last.get(name)
        lines.append(
            f"    {name:<18}{usd_or_dash(amount):>12}   {usd_or_dash(previous):>14}   "
            f"{share_text(shares.get(name)):>5}"
        )
    if report.teams is not None:
        lines += ["", *team_status_lines(report.teams)]
    growth = growth_lines(report)
    if growth:
        lines += ["", "  Growth"] + [f"    {line}" for line in growth]
    lines.append("")
    fresh = freshness_lines(report) or ["no provider synced yet"]
    lines += [f"  Data: {line}" for line in fresh]
    incomplete = incomplete_line(report)
    if incomplete:
        lines.append(f"  {incomplete}")
    lines += [f"  {note}" for note in money_notes(report)]
    return "\n".join(lines)
