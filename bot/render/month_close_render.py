"""The month-close report for the terminal and for Slack, the same sentences in both."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.money import format_usd
from ..core.month_close import MonthClose
from .limits import MAX_HEADER_TEXT, MAX_SECTION_TEXT, clip
from .wording import days_phrase

__all__ = ["month_close_blocks", "month_close_lines", "month_close_text"]


def _signed(usd: Decimal) -> str:
    sign = "+" if usd > 0 else "-" if usd < 0 else "±"
    return f"{sign}{format_usd(abs(usd))}"


def month_close_lines(r: MonthClose) -> list[str]:
    """Headline, providers, budget, revisions since the month ended, and what is missing."""
    name = f"{r.month:%B %Y}"
    lines = [f"{name} closed: {format_usd(r.total_usd)} final."]
    if r.by_provider:
        lines.append(" · ".join(f"{p} {format_usd(usd)}" for p, usd in r.by_provider.items()))
    if r.budget_usd is not None:
        left = r.budget_usd - r.total_usd
        verdict = f"{format_usd(left)} under" if left >= 0 else f"{format_usd(-left)} over"
        lines.append(f"Budget {format_usd(r.budget_usd)}: {verdict}.")
    if r.revised_by_provider:
        parts = ", ".join(f"{p} {_signed(usd)}" for p, usd in r.revised_by_provider.items())
        lines.append(
            f"Changed since {name} ended: {_signed(r.revised_usd)} ({parts}), "
            "the providers' late revisions."
        )
    else:
        lines.append(f"Unchanged since {name} ended: no provider revised its days.")
    for provider, at in r.as_fetched.items():
        lines.append(
            f"{provider}: as last fetched on {at:%d %b %Y} (no sync fetches it again; "
            "re-import its export to take in later revisions)."
        )
    for provider, days in r.missing_days.items():
        lines.append(
            f"{provider}: {days_phrase(days)} never synced; the total leaves them out "
            "(not $0), so it is not the whole bill."
        )
    return lines


def month_close_text(r: MonthClose) -> str:
    return "\n".join(month_close_lines(r))


def month_close_blocks(r: MonthClose) -> list[dict[str, Any]]:
    title = f"AI spend, {r.month:%B %Y} closed"
    [first, *rest] = month_close_lines(r)
    return [
        {"type": "header", "text": {"type": "plain_text", "text": clip(title, MAX_HEADER_TEXT)}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": clip(f"*{first}*\n" + "\n".join(rest), MAX_SECTION_TEXT),
            },
        },
    ]
