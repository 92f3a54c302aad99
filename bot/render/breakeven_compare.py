"""`breakeven --compare`: every profile side by side on the same workload.

One row a profile: what each option costs a month, the break-even bill, the verdict and what
would flip it, so a team sees at a glance which way of running the model comes closest, instead
of asking four questions. The workload, the data window and its freshness are the same for
every row, so they are said once.
"""

from __future__ import annotations

from typing import Any

from ..core.breakeven.verdict import (
    COSTS_MORE,
    INSIDE_MARGIN,
    NO_PAYBACK,
    NOT_CHEAPEST,
    PAYS_OFF,
    TEAM_TOO_SMALL,
    UNFIT,
    Verdict,
    outcome,
)
from ..core.breakeven_report import BreakEvenReport
from ..core.money import format_dollars
from .breakeven_json import breakeven_json
from .breakeven_text import data_notes, flip_condition, peak_line, workload_line
from .limits import MAX_FALLBACK_TEXT, MAX_FIELD_TEXT, MAX_SECTION_TEXT, clip
from .mrkdwn import escape

__all__ = ["compare_blocks", "compare_fallback", "compare_json", "compare_rows", "compare_text"]

Answer = tuple[BreakEvenReport, Verdict]
HEADINGS = ("profile", "self-host", "hosted API", "API today", "break-even", "verdict")


# The verdict's case in a word or two, for the table's last column.
LABELS = {
    UNFIT: "does not fit",
    PAYS_OFF: "pays off",
    COSTS_MORE: "costs more",
    NOT_CHEAPEST: "saves; hosted cheaper",
    NO_PAYBACK: "no payback in life",
    INSIDE_MARGIN: "inside the margin",
    TEAM_TOO_SMALL: "team too small",
}


def _flips(report: BreakEvenReport) -> str:
    s = report.sensitivity
    if s is None or not s.flips:
        return ""
    then = "stops paying off" if s.pays_off else "pays off"
    return f"{then} if " + ", or ".join(flip_condition(f) for f in s.flips)


def compare_rows(answers: list[Answer]) -> list[tuple[str, ...]]:
    """One row of cells a profile, in HEADINGS order; amounts a month."""
    rows = []
    for report, _ in answers:
        r = report.result
        fits = r.capacity.fits
        point = r.breakeven_api_usd
        rows.append(
            (
                report.profile,
                format_dollars(r.self_host.monthly_usd) if fits else "-",
                format_dollars(r.hosted.monthly_usd),
                format_dollars(r.status_quo.monthly_usd),
                "-" if not fits else "never" if point is None else format_dollars(point),
                LABELS[outcome(r)],
            )
        )
    return rows


def _table(answers: list[Answer]) -> list[str]:
    rows = [HEADINGS, *compare_rows(answers)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]

    def line(row: tuple[str, ...]) -> str:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(widths[i + 1]) for i, cell in enumerate(row[1:-1])]
        return "  ".join([first, *rest, row[-1]]).rstrip()

    return [line(row) for row in rows]


def _flip_lines(answers: list[Answer]) -> list[str]:
    return [f"{report.profile}: {flips}" for report, _ in answers if (flips := _flips(report))]


def compare_text(answers: list[Answer]) -> str:
    """The terminal table, then what would flip each verdict, then the shared inputs."""
    first = answers[0][0]
    lines = ["Break-even under every profile, on the same workload (a month)", ""]
    lines += _table(answers)
    flips = _flip_lines(answers)
    lines += ["", "What would flip a verdict (each input alone, within its published range)"]
    lines += [f"  {line}" for line in flips] or ["  nothing, under any profile"]
    lines += ["", f"Workload: {workload_line(first)}", "", "Data"]
    lines += [f"  {note}" for note in data_notes(first)]
    lines.append(f"  busiest hour: {peak_line(first)}")
    lines.append("")
    lines.append("`aicost breakeven --profile NAME` shows one profile with every assumption.")
    return "\n".join(lines)


def compare_json(answers: list[Answer]) -> dict[str, Any]:
    """{"profiles": [one breakeven --json object per profile]}, in the table's order."""
    return {"profiles": [breakeven_json(report, v) for report, v in answers]}


def compare_blocks(answers: list[Answer]) -> list[dict[str, Any]]:
    """The same table in a code block (Slack has no table block), the flips, the inputs."""
    table = "```" + "\n".join(_table(answers)) + "```"
    flips = _flip_lines(answers)
    first = answers[0][0]
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "Break-even, every profile"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": clip(table, MAX_SECTION_TEXT)}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": clip(
                    "*What would flip a verdict*\n"
                    + (
                        "\n".join(f"• {escape(line)}" for line in flips)
                        or "nothing, under any profile"
                    ),
                    MAX_SECTION_TEXT,
                ),
            },
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": clip(f"Workload: {escape(workload_line(first))}", MAX_FIELD_TEXT),
                },
                {
                    "type": "mrkdwn",
                    "text": clip(f"Busiest hour: {escape(peak_line(first))}", MAX_FIELD_TEXT),
                },
            ],
        },
    ]


def compare_fallback(answers: list[Answer]) -> str:
    return clip(compare_text(answers), MAX_FALLBACK_TEXT)
