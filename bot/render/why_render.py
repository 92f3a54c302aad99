""" "Why did it move?" for the terminal and for Slack, with the same sentences in both.

Slack's limits hold by construction: a fixed handful of blocks (header, headline, one section
per breakdown, new and gone, one context), a few drivers per section with one line for the
rest, names clipped, and every text through `clip`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ..core.coverage import SETTLE_HOURS, describe_days
from ..core.money import format_usd
from ..core.why import TOP_DRIVERS, Breakdown, Driver, WhyReport
from ..core.why_period import describe_window
from .limits import MAX_CONTEXT_ELEMENTS, MAX_HEADER_TEXT, MAX_SECTION_TEXT, clip
from .mrkdwn import escape
from .wording import display_notes

__all__ = ["why_blocks", "why_fallback", "why_headline", "why_text"]

MAX_NAME = 60  # a project or model name longer than this is clipped, not allowed to wrap
MAX_SPENDERS = 8  # new or gone names listed; the rest are counted
MAX_NOTE = 300
TITLES = {
    "team": "By team (projects counted for the team that owns them now)",
    "provider": "By provider",
    "project": "By project (OpenAI project, Anthropic workspace, other sources' account)",
    "model": "By model (or line item)",
    "line": "By project and model",
}
_ARROWS = {1: "▲", -1: "▼", 0: "•"}


def _signed(usd: Decimal) -> str:
    return ("+" if usd > 0 else "") + format_usd(usd)


def _name(driver: Driver) -> str:
    return clip(driver.label, MAX_NAME)


def why_headline(r: WhyReport) -> str:
    """'$1,234.56 in 10–16 Nov 2026, up $234.56 (+23.4 %) on 3–9 Nov 2026 ($1,000.00).'"""
    now, before = describe_window(r.period.current), describe_window(r.period.previous)
    if r.period.days == 0:  # the 1st of the month: today is still being billed
        last = r.period.previous[0]
        return (
            f"No complete day of {r.period.current[0]:%B %Y} yet: try `why week`, "
            f"or `why {last:%Y-%m}` for {last:%B}."
        )
    if r.no_data:
        return f"No data synced for {now} or {before} yet: nothing to compare (not $0)."
    current, previous = format_usd(r.current_usd), format_usd(r.previous_usd)
    if not r.compared:
        return (
            f"{current} in the synced days of {now}, against {previous} in {before}: not a "
            "like-for-like comparison, as days are missing (below)."
        )
    text = f"{current} in {now}"
    if r.previous_usd == 0:
        return text + f", with no spend in {before}."
    pct = "" if r.change_pct is None else f" ({r.change_pct:+} %)"
    arrow = "up" if r.change_cents > 0 else "down" if r.change_cents < 0 else "flat"
    change = "" if r.change_cents == 0 else f" {format_usd(abs(r.change_cents))}{pct}"
    return text + f", {arrow}{change} on {before} ({previous})."


def _driver_line(d: Driver, name: Callable[[Driver], str]) -> str:
    sign = (d.change_usd > 0) - (d.change_usd < 0)
    tail = {"new": ", new", "vanished": ", gone"}.get(d.state, "")
    return (
        f"{_ARROWS[sign]} {name(d)}: {format_usd(d.current_cents)} "
        f"(before {format_usd(d.previous_cents)}, {_signed(d.change_cents)}{tail})"
    )


def _breakdown_lines(b: Breakdown, name: Callable[[Driver], str] = _name) -> list[str]:
    lines = [_driver_line(d, name) for d in b.top(TOP_DRIVERS)]
    count, change = b.rest(TOP_DRIVERS)
    if count:
        lines.append(f"  and {count} more: {_signed(change)} together")
    return lines or ["no change"]


def _spenders_line(r: WhyReport, state: str, name: Callable[[Driver], str] = _name) -> str:
    found = r.spenders(state)
    if not found:
        return ""
    if state == "new":
        shown = [f"{name(d)} ({format_usd(d.current_cents)})" for d in found[:MAX_SPENDERS]]
        lead = "New (nothing in the period before)"
    else:
        shown = [f"{name(d)} (was {format_usd(d.previous_cents)})" for d in found[:MAX_SPENDERS]]
        lead = "Gone (nothing in this period)"
    more = f", and {len(found) - MAX_SPENDERS} more" if len(found) > MAX_SPENDERS else ""
    return f"{lead}: " + ", ".join(shown) + more


def coverage_lines(r: WhyReport) -> list[str]:
    """Days missing in either period and days still provisional, each named."""
    lines = []
    for days, window in (
        (r.missing_current, r.period.current),
        (r.missing_previous, r.period.previous),
    ):
        if days:
            lines.append(
                f"Missing in {describe_window(window)}: {describe_days(days)} (some provider "
                "has not sent these days; their spend is unknown, not $0)."
            )
    if r.provisional:
        lines.append(
            f"Still provisional: {describe_days(r.provisional)} (providers may revise a day "
            f"for {SETTLE_HOURS} h after it ends)."
        )
    return lines


def _title(r: WhyReport) -> str:
    return f"Why AI spend moved: {r.period.name} ({r.period.meaning})"


def why_text(r: WhyReport) -> str:
    """The terminal answer: headline, the four breakdowns, new and gone, then the notes."""
    lines = [_title(r), "", why_headline(r)]
    if not r.no_data:
        for b in r.breakdowns:
            lines += ["", TITLES[b.dimension], *(f"  {line}" for line in _breakdown_lines(b))]
        spenders = [s for s in (_spenders_line(r, "new"), _spenders_line(r, "vanished")) if s]
        if spenders:
            lines += ["", *spenders]
    lines += ["", *coverage_lines(r), r.teams_note, *display_notes()]
    lines.append(f"As of {r.as_of.astimezone(ZoneInfo(r.timezone)):%d %b %Y %H:%M} {r.timezone}.")
    return "\n".join(lines)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}


def _escaped(driver: Driver) -> str:
    return escape(_name(driver))


def why_blocks(r: WhyReport) -> list[dict[str, Any]]:
    """Block Kit: at most nine blocks (eight without teams), whatever the number of teams,
    projects and models."""
    title = clip(_title(r), MAX_HEADER_TEXT)
    header = {"type": "header", "text": {"type": "plain_text", "text": title}}
    blocks: list[dict[str, Any]] = [header, _section(f"*{why_headline(r)}*")]
    if not r.no_data:
        for b in r.breakdowns:
            lines = _breakdown_lines(b, _escaped)
            blocks.append(_section(f"*{TITLES[b.dimension]}*\n" + "\n".join(lines)))
        spenders = [_spenders_line(r, state, _escaped) for state in ("new", "vanished")]
        if any(spenders):
            blocks.append(_section("\n".join(s for s in spenders if s)))
    notes = [*display_notes(), *coverage_lines(r), r.teams_note][:MAX_CONTEXT_ELEMENTS]
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": clip(n, MAX_NOTE)} for n in notes],
        }
    )
    return blocks


def why_fallback(r: WhyReport) -> str:
    """Top-level `text` for notifications and screen readers: the headline."""
    return f"Why AI spend moved ({r.period.name}): {why_headline(r)}"
