"""The digest (daily, weekly or monthly) for the terminal and for Slack, the same sentences in both.

Slack's limits (50 blocks, 3,000 characters a section, 10 context elements) hold by
construction: the digest has a fixed handful of blocks, movers are capped at a few per
direction, and every text goes through `clip`. A week without spend is one line.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..core.coverage import SETTLE_HOURS
from ..core.digest import Digest, Movers
from ..core.digest_period import DAILY, MONTHLY
from ..core.money import format_usd, split_cents
from ..core.records import WindowSpend
from .breakeven_summary import summary_line
from .limits import (
    MAX_CONTEXT_ELEMENTS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    clip,
)
from .team_render import team_section_text, team_status_lines
from .wording import (
    budget_basis,
    coverage_note,
    days_phrase,
    freshness_lines,
    growth_lines,
    money_notes,
    previous_month_note,
    projection_basis,
    usd_or_dash,
)

__all__ = [
    "breakeven_line",
    "digest_blocks",
    "digest_fallback",
    "digest_text",
    "empty_line",
    "period_name",
    "week_phrase",
]

MAX_NAME = 60  # a model or project name longer than this is clipped, not allowed to wrap
# Slack refuses a message whose blocks total more than about 13,200 characters
# (msg_blocks_too_long, undocumented): short notes and lines keep the digest far below it.
MAX_NOTE = 300
MAX_LINE = 1000
CHART_NOTE = "Daily spend for the last 12 weeks, by provider: chart in this message's thread."


def week_phrase(start: date, end: date) -> str:
    """'16–22 Nov 2026', '27 Oct – 2 Nov 2026', '29 Dec 2025 – 4 Jan 2026'."""
    if start.year != end.year:
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day}–{end.day} {end:%b %Y}"


def period_name(d: Digest) -> str:
    """'the week of 16–22 Nov 2026', 'Sun 6 Dec 2026' or 'November 2026'."""
    if d.kind == DAILY:
        return f"{d.week_start:%a} {d.week_start.day} {d.week_start:%b %Y}"
    if d.kind == MONTHLY:
        return f"{d.week_start:%B %Y}"
    return f"the week of {week_phrase(d.week_start, d.week_end)}"


def in_period(d: Digest) -> str:
    return f"on {period_name(d)}" if d.kind == DAILY else f"in {period_name(d)}"


def before_phrase(d: Digest) -> str:
    """What the period is compared with: for a day, the same weekday a week earlier."""
    if d.kind == DAILY:
        before = d.week_start - timedelta(days=7)
        return f"the same day a week before ({before:%a} {before.day} {before:%b})"
    return f"the {d.unit} before"


def empty_line(d: Digest) -> str:
    return f"No AI spend {in_period(d)}."


def _signed(usd: Decimal) -> str:
    return ("+" if usd > 0 else "") + format_usd(usd)


def headline(d: Digest) -> str:
    """'$1,234.56 in the week of 16–22 Nov 2026, up 12.3 % on the week before ($1,099.00).'"""
    before = before_phrase(d)
    if d.no_data:
        return f"No data synced for {period_name(d)} yet: no figure for it (not $0)."
    if d.missing_days:
        synced = (d.week_end - d.week_start).days + 1 - len(d.missing_days)
        return (
            f"{format_usd(d.this_week_usd)} in the {synced} synced days of {period_name(d)}; "
            f"{days_phrase(d.missing_days)} not synced yet, so no comparison with {before}."
        )
    text = f"{format_usd(d.this_week_usd)} {in_period(d)}"
    if d.previous_missing_days:
        return text + f"; {before} is not fully synced, so no comparison."
    pct = d.change_pct
    if pct is None:
        return text + f", with no spend {before}."
    arrow = "up" if pct > 0 else "down" if pct < 0 else "flat"
    amount = "" if pct == 0 else f" {abs(pct)} %"
    return text + f", {arrow}{amount} on {before} ({format_usd(d.last_week_usd)})."


def provider_line(d: Digest) -> str:
    """The week by provider, to the cent, adding up to the week's total as the headline shows."""
    names = list(d.week_by_provider)
    shown = split_cents(d.this_week_usd, [d.week_by_provider[n] for n in names])
    return " · ".join(f"{name} {format_usd(usd)}" for name, usd in zip(names, shown, strict=True))


def _mover(spend: WindowSpend, before: str) -> str:
    name = spend.name if spend.provider is None else f"{spend.provider} {spend.name}"
    return (
        f"{clip(name, MAX_NAME)}: {format_usd(spend.current_usd)} "
        f"({before} {format_usd(spend.previous_usd)}, {_signed(spend.change_usd)})"
    )


def mover_lines(movers: Movers, before: str = "week before") -> list[str]:
    """Rises, then falls; empty when nothing changed. `before` names what they are set against:
    'week before' for a week, and for a day too (its same weekday a week earlier)."""
    up = [f"▲ {_mover(s, before)}" for s in movers.up]
    lines = up + [f"▼ {_mover(s, before)}" for s in movers.down]
    if lines and movers.unchanged_or_hidden:
        lines.append(f"(and {movers.unchanged_or_hidden} more with smaller changes)")
    return lines


def _movers_before(d: Digest) -> str:
    return "month before" if d.kind == MONTHLY else "week before"


def month_lines(d: Digest) -> list[str]:
    s = d.status
    lines = [f"{s.month_start:%B %Y} to date: {usd_or_dash(s.month_to_date_usd)}"]
    coverage = coverage_note(s)
    if coverage:
        lines[0] += f" ({coverage})"
    if s.projection_usd is None:
        lines.append(f"Projected month end: {projection_basis(s)}")
    else:
        lines.append(f"Projected month end: {format_usd(s.projection_usd)} ({projection_basis(s)})")
    budget = budget_basis(s)
    if budget and s.budget_usd is not None:
        lines.append(f"Budget: {format_usd(s.budget_usd)} ({budget})")
    if s.previous_month_revised_usd is not None:
        lines.append(f"Last month: {usd_or_dash(s.previous_month_usd)} ({previous_month_note(s)})")
    return lines


def breakeven_line(d: Digest) -> str:
    """How far the bill is from the break-even bill, or why that cannot be said."""
    return summary_line(d.breakeven, d.breakeven_unavailable)


def coverage_lines(d: Digest) -> list[str]:
    """The week's days that are missing or may still change, and the month's bills in other
    currencies (converted at which rate, or not counted): they qualify the figures."""
    lines = money_notes(d.status)
    if d.missing_days:
        lines.append(
            f"Not synced yet: {days_phrase(d.missing_days)}; "
            f"the {d.unit}'s figures leave these days out."
        )
    if d.incomplete_days:
        lines.append(
            f"May still be incomplete: {days_phrase(d.incomplete_days)} "
            f"(providers revise a day for up to {SETTLE_HOURS} h after it ends)."
        )
    return lines


def note_lines(d: Digest, *, room: int | None = None) -> list[str]:
    """Freshness per provider, then coverage; with `room`, at most that many lines, folding
    providers (never the coverage lines) into 'and N more'."""
    fresh = freshness_lines(d) or ["No provider synced yet: run `aicost sync`."]
    coverage = coverage_lines(d)
    if room is not None and len(fresh) + len(coverage) > room:
        keep = max(room - len(coverage) - 1, 0)
        fresh = [*fresh[:keep], f"and {len(fresh) - keep} more providers"]
    return [*fresh, *coverage]


def digest_text(d: Digest) -> str:
    """The digest for the terminal."""
    notes = [f"  Data: {line}" for line in note_lines(d)]
    if d.empty:
        return "\n".join([empty_line(d), *notes])
    lines = [f"AI spend {d.kind} digest ({d.timezone})", "", f"  {headline(d)}"]
    if d.week_by_provider:
        lines.append(f"  {provider_line(d)}")
    lines += ["", *(f"  {line}" for line in month_lines(d))]
    if d.status.teams is not None:  # once a team is set up: the month by team, as status shows
        lines += ["", *team_status_lines(d.status.teams)]
    for title, movers in (("model", d.by_model), ("project/workspace", d.by_project)):
        movers_text = mover_lines(movers, _movers_before(d))
        if movers_text:
            lines += ["", f"  Top movers by {title}", *(f"    {m}" for m in movers_text)]
    growth = growth_lines(d.status)
    if growth:
        lines += ["", "  Growth", *(f"    {g}" for g in growth)]
    lines += ["", f"  {breakeven_line(d)}", "", *notes]
    return "\n".join(lines)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}


def _context(lines: list[str]) -> dict[str, Any]:
    shown = lines[:MAX_CONTEXT_ELEMENTS]
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clip(t, MAX_NOTE)} for t in shown],
    }


def digest_blocks(d: Digest, *, chart_in_thread: bool = False) -> list[dict[str, Any]]:
    """Block Kit: at most eight blocks, whatever the number of models and projects."""
    room = MAX_CONTEXT_ELEMENTS - (1 if chart_in_thread and not d.empty else 0)
    notes = note_lines(d, room=room)
    if d.empty:
        return [_section(empty_line(d)), _context(notes)]
    title = f"AI spend, {period_name(d).removeprefix('the ')}"
    top = f"*{headline(d)}*"
    if d.week_by_provider:
        top += f"\n{clip(provider_line(d), MAX_LINE)}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(title, MAX_HEADER_TEXT)}},
        _section(top),
        _section("*This month*\n" + "\n".join(month_lines(d)) + _by_team(d)),
    ]
    for name, movers in (("model", d.by_model), ("project/workspace", d.by_project)):
        lines = mover_lines(movers, _movers_before(d))
        if lines:
            blocks.append(_section(f"*Top movers by {name}*\n" + "\n".join(lines)))
    growth = growth_lines(d.status)
    if growth:
        blocks.append(_section("*Spend against revenue*\n" + "\n".join(growth)))
    blocks.append(_section("*Break-even*\n" + breakeven_line(d)))
    blocks.append(_context([*notes, CHART_NOTE] if chart_in_thread else notes))
    return blocks


def _by_team(d: Digest) -> str:
    """The month by team inside the month's section: the digest keeps to eight blocks."""
    if d.status.teams is None:
        return ""
    return f"\n\n{team_section_text(d.status.teams)}"


def digest_fallback(d: Digest) -> str:
    """Top-level `text` for notifications and screen readers: the headline figures."""
    if d.empty:
        return empty_line(d)
    s = d.status
    text = f"AI spend {d.kind} digest: {headline(d)} {s.month_start:%B} to date "
    text += usd_or_dash(s.month_to_date_usd)
    if s.projection_usd is not None:
        text += f", projected {format_usd(s.projection_usd)}"
    if s.budget_usd is not None:
        text += f" against a {format_usd(s.budget_usd)} budget"
    return text + "."
