"""`/aicost breakeven` as Block Kit, with the same figures, verdict and inputs as the terminal."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from ..core.breakeven import Option
from ..core.breakeven.verdict import Verdict
from ..core.breakeven_report import BreakEvenReport
from ..core.money import format_dollars
from .breakeven_text import (
    assumption_rows,
    breakeven_line,
    capacity_line,
    data_notes,
    payback_line,
    peak_line,
    sensitivity_lines,
    shown,
    tokens,
    workload_line,
)
from .limits import (
    MAX_CONTEXT_ELEMENTS,
    MAX_FALLBACK_TEXT,
    MAX_FIELD_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    clip,
)
from .mrkdwn import escape

__all__ = ["breakeven_blocks", "breakeven_fallback"]

MAX_MODELS = 10  # a long tail of models adds nothing to the verdict


def _mrkdwn(text: str, limit: int) -> dict[str, str]:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text, MAX_SECTION_TEXT)}


def _sections(title: str, lines: list[str]) -> list[dict[str, Any]]:
    """title and lines packed into as few sections as Slack's text limit allows."""
    chunks = [title]
    for line in lines:
        line = clip(line, MAX_SECTION_TEXT - len(title) - 1)
        if len(chunks[-1]) + 1 + len(line) > MAX_SECTION_TEXT:
            chunks.append(line)
        else:
            chunks[-1] += "\n" + line
    return [_section(chunk) for chunk in chunks]


def _option_field(option: Option, best: bool) -> dict[str, str]:
    lines = [
        f"*{escape(option.name)}*{' _(best)_' if best else ''}",
        f"{format_dollars(option.monthly_usd)}/month",
        *(f"• {escape(label)}: {format_dollars(usd)}" for label, usd in shown(option)),
    ]
    return _mrkdwn("\n".join(lines), MAX_FIELD_TEXT)


def _input_lines(report: BreakEvenReport) -> list[str]:
    w = report.result.workload
    lines = [f"• {workload_line(report)}"]
    if w.basis:
        lines.append(f"• {escape(w.basis)}")
    for m in w.models[:MAX_MODELS]:
        listed = "" if m.list_usd is None else f", {format_dollars(m.list_usd)} at list prices"
        lines.append(
            f"• {escape(m.provider)} `{escape(m.model)}`: {tokens(m.input_tokens)} in, "
            f"{tokens(m.output_tokens)} out{listed}"
        )
    if len(w.models) > MAX_MODELS:
        lines.append(f"• and {len(w.models) - MAX_MODELS} more models")
    return lines


def _context(report: BreakEvenReport) -> dict[str, Any]:
    local = report.as_of.astimezone(ZoneInfo(report.timezone))
    notes = [
        f"As of {local:%d %b %Y %H:%M} {report.timezone}",
        *(escape(note) for note in data_notes(report)),
    ]
    if len(notes) > MAX_CONTEXT_ELEMENTS:
        keep = MAX_CONTEXT_ELEMENTS - 1
        notes = notes[:keep] + ["; ".join(notes[keep:])]
    return {"type": "context", "elements": [_mrkdwn(n, MAX_FIELD_TEXT) for n in notes]}


def breakeven_blocks(report: BreakEvenReport, verdict: Verdict) -> list[dict[str, Any]]:
    """Header, verdict, the three options, reasons, capacity, inputs, then data freshness."""
    result = report.result
    options = (result.status_quo, result.hosted, result.self_host)
    best = result.best
    savings = (
        f"{format_dollars(result.monthly_savings)}/month with {escape(best.name)}"
        if result.monthly_savings > 0
        else "nothing: staying on the API is cheapest"
    )
    fields = [
        *(_option_field(option, option is best) for option in options),
        _mrkdwn(f"*Best option saves*\n{savings}", MAX_FIELD_TEXT),
        _mrkdwn(f"*Break-even API bill*\n{breakeven_line(result)}", MAX_FIELD_TEXT),
        _mrkdwn(f"*Payback*\n{payback_line(result)}", MAX_FIELD_TEXT),
    ]
    reasons = "\n".join(f"• {escape(reason)}" for reason in verdict.reasons)
    assumptions = [
        f"• `{name}` {escape(value)}: {escape(source)}"
        for name, value, source in assumption_rows(result.assumptions, report.origin)
    ]
    return [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": clip("Break-even: self-hosting vs the API", MAX_HEADER_TEXT),
            },
        },
        _section(f"*{escape(verdict.headline)}*"),
        {"type": "section", "fields": fields},
        *([_section(f"*Why*\n{reasons}")] if reasons else []),
        _section(
            f"*Capacity*\n{escape(capacity_line(result))}\n"
            f"Busiest hour: {escape(peak_line(report))}"
        ),
        *(
            _sections(
                "*What the verdict hangs on*",
                [f"• {escape(line)}" for line in sensitivity_lines(report.sensitivity)],
            )
            if report.sensitivity is not None
            else []
        ),
        *_sections("*Workload, per month*", _input_lines(report)),
        *_sections(f"*Assumptions* (profile `{escape(report.profile)}`)", assumptions),
        _context(report),
    ]


def breakeven_fallback(report: BreakEvenReport, verdict: Verdict) -> str:
    """Top-level `text` for notifications and screen readers."""
    result = report.result
    best = result.best
    text = (
        f"{verdict.headline} Best option: {best.name}, {format_dollars(best.monthly_usd)}/month "
        f"against {format_dollars(result.status_quo.monthly_usd)} today."
    )
    return clip(text, MAX_FALLBACK_TEXT)
