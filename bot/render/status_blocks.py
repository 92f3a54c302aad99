"""`/aicost status` as Block Kit, with the same figures and words as the terminal."""

from __future__ import annotations

from typing import Any

from ..core.money import format_usd
from ..core.status import StatusReport
from .limits import MAX_FIELD_TEXT, MAX_HEADER_TEXT, MAX_SECTION_TEXT, clip
from .team_render import team_section_text
from .wording import (
    budget_basis,
    change_phrase,
    coverage_note,
    freshness_lines,
    growth_lines,
    incomplete_line,
    money_notes,
    previous_month_note,
    projection_basis,
    share_text,
    stale_lines,
    usd_or_dash,
)

__all__ = ["provider_lines", "status_blocks", "status_fallback"]

MAX_STALE_BLOCKS = 5  # one per stale provider, well inside Slack's 50 blocks


def _note(text: str | None) -> str:
    return f"\n_{text}_" if text else ""


def _section_text(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}


def _field(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": clip(text, MAX_FIELD_TEXT)}


def provider_lines(report: StatusReport) -> str:
    """Each provider's month to date, its share of the month, and last month: one bullet each."""
    last = report.shown_by_provider(previous=True)
    shares = report.provider_shares()
    return (
        "\n".join(
            f"• {name}: {usd_or_dash(amount)} this month ({share_text(shares.get(name))}), "
            f"{usd_or_dash(last.get(name))} last month"
            for name, amount in report.shown_by_provider().items()
        )
        or "No provider data yet."
    )


def status_blocks(report: StatusReport) -> list[dict[str, Any]]:
    projection = "-" if report.projection_usd is None else format_usd(report.projection_usd)
    fields = [
        _field(
            f"*Month to date*\n{usd_or_dash(report.month_to_date_usd)}"
            f"{_note(coverage_note(report))}"
        ),
        _field(
            f"*Previous month*\n{usd_or_dash(report.previous_month_usd)}"
            f"{_note(previous_month_note(report))}"
        ),
        _field(f"*Projected month end*\n{projection}\n_{projection_basis(report)}_"),
        _field(f"*Against last month*\n{change_phrase(report)}"),
    ]
    budget = budget_basis(report)
    if budget and report.budget_usd is not None:
        fields.append(_field(f"*Budget*\n{format_usd(report.budget_usd)}\n_{budget}_"))
    providers = provider_lines(report)
    notes = freshness_lines(report) or ["No provider synced yet: run `aicost sync`."]
    incomplete = incomplete_line(report)
    if incomplete:
        notes.append(":warning: " + incomplete)
    notes += money_notes(report, warning=":warning: ")
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": clip(f"AI spend, {report.month_start:%B %Y}", MAX_HEADER_TEXT),
            },
        },
        *(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": clip(f":warning: {line}", MAX_SECTION_TEXT)},
            }
            for line in stale_lines(report)[:MAX_STALE_BLOCKS]
        ),
        {"type": "section", "fields": fields},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": clip(f"*By provider*\n{providers}", MAX_SECTION_TEXT),
            },
        },
    ]
    if report.teams is not None:
        blocks.append(_section_text(team_section_text(report.teams)))
    growth = growth_lines(report)
    if growth:
        text = "*Growth*\n" + "\n".join(growth)
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}
        )
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": clip(n, MAX_FIELD_TEXT)} for n in notes[:10]],
        }
    )
    return blocks


def status_fallback(report: StatusReport) -> str:
    """Top-level `text` for notifications and screen readers."""
    return (
        f"AI spend {report.month_start:%B %Y}: {usd_or_dash(report.month_to_date_usd)} "
        f"month to date, previous month {usd_or_dash(report.previous_month_usd)}."
    )
