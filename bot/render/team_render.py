"""Spend by team, in words: the lines `status` (terminal and Block Kit) and the App Home show,
and `aicost team list`. Pure functions of `TeamReport`; the figures add up as shown (the
report's `shown`), and a team's month with days missing says which, never showing them as $0.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ..core.coverage import describe_days
from ..core.money import format_usd
from ..core.team_spend import TeamMonth, TeamReport
from ..core.teams import UNASSIGNED
from .mrkdwn import escape
from .wording import share_text, usd_or_dash

__all__ = [
    "ASSIGN_HINT",
    "NO_TEAMS",
    "team_budget_phrase",
    "team_list_text",
    "team_mrkdwn_lines",
    "team_section_text",
    "team_status_lines",
]

ASSIGN_HINT = "give a project to a team: aicost team assign TEAM PROVIDER PROJECT"
NO_TEAMS = "No teams yet: aicost team set NAME [--budget USD] [--alert-channel C123]"
MAX_PROJECTS_SHOWN = 10  # per team in `team list`; the JSON has every one


def team_budget_phrase(row: TeamMonth) -> str:
    """'budget $5,000.00: 48 % used; projected 70 % at month end', '' without a budget."""
    if row.budget_usd is None:
        return ""
    text = f"budget {format_usd(row.budget_usd)}"
    if row.budget_used_pct is None:
        return text
    text += f": {row.budget_used_pct} % used"
    if row.budget_projected_pct is not None:
        text += f"; projected {row.budget_projected_pct} % at month end"
    return text


def _notes(row: TeamMonth) -> list[str]:
    notes = []
    if row.missing_days:
        notes.append(f"missing {describe_days(row.missing_days)}, not counted as $0")
    budget = team_budget_phrase(row)
    if budget:
        notes.append(budget)
    if row.is_unassigned and row.projects:
        count = len(row.projects)
        notes.append(f"{count} project{'s' if count != 1 else ''} no team owns")
    return notes


def team_status_lines(report: TeamReport) -> list[str]:
    """The 'By team' table of `aicost status`: each team and "unassigned", this month, share."""
    shown, shares = report.shown(), report.shares()
    lines = [f"  {'By team':<20}{'this month':>12}   {'share':>5}"]
    for row in report.rows:
        notes = "; ".join(_notes(row))
        lines.append(
            f"    {row.name[:18]:<18}{usd_or_dash(shown[row.name]):>12}   "
            f"{share_text(shares[row.name]):>5}" + (f"   {notes}" if notes else "")
        )
    if report.unassigned.projects:
        lines.append(f"    ({ASSIGN_HINT}; `aicost team list` names them)")
    return lines


def team_mrkdwn_lines(report: TeamReport) -> str:
    """The same, as bullets for a Block Kit section (status and the App Home)."""
    shown, shares = report.shown(), report.shares()
    bullets = []
    for row in report.rows:
        name = f"_{UNASSIGNED}_" if row.is_unassigned else escape(row.name)
        notes = "; ".join(_notes(row))
        bullets.append(
            f"• {name}: {usd_or_dash(shown[row.name])} ({share_text(shares[row.name])})"
            + (f", {escape(notes)}" if notes else "")
        )
    return "\n".join(bullets)


def team_section_text(report: TeamReport) -> str:
    """The 'By team' section of status, the App Home and the digests, in Block Kit's mrkdwn."""
    return f"*By team* (share of the month)\n{team_mrkdwn_lines(report)}"


def _project_lines(row: TeamMonth) -> list[str]:
    lines = [
        f"      {p.provider + ' ' + p.project:<40}{format_usd(amount):>12}"
        for p, amount in row.shown_projects()[:MAX_PROJECTS_SHOWN]
    ]
    if len(row.projects) > MAX_PROJECTS_SHOWN:
        lines.append(f"      and {len(row.projects) - MAX_PROJECTS_SHOWN} more (--json lists all)")
    spent = {(p.provider, p.project) for p in row.projects}
    idle = [f"{p} {k}" for p, k in row.owned if (p, k) not in spent]
    if idle:
        lines.append("      owns, no spend this month: " + ", ".join(idle))
    return lines


def team_list_text(report: TeamReport, *, as_of: datetime, timezone: str) -> str:
    """`aicost team list`: every team with its budget, alert channel and projects, then the
    projects no team owns that spent this month."""
    local = as_of.astimezone(ZoneInfo(timezone))
    lines = [f"Teams, {report.month_start:%B %Y} (as of {local:%a %d %b %Y %H:%M} {timezone})"]
    shown, shares = report.shown(), report.shares()
    if not report.teams:
        lines += ["", f"  {NO_TEAMS}"]
    for row in report.rows:
        channel = row.alert_channel or "the alert channel (AICOST_ALERT_CHANNEL)"
        head = (
            f"  {row.name:<28}{usd_or_dash(shown[row.name]):>14}   "
            f"{share_text(shares[row.name]):>5}"
        )
        lines += ["", head]
        if not row.is_unassigned:
            lines.append(f"      {team_budget_phrase(row) or 'no budget of its own'}")
            lines.append(f"      alerts to {channel}")
        if row.missing_days:
            lines.append(f"      missing {describe_days(row.missing_days)}, not counted as $0")
        lines += _project_lines(row)
        if row.is_unassigned and row.projects:
            lines.append(f"      ({ASSIGN_HINT})")
    return "\n".join(lines)
