"""The `/aicost` usage text, shown for `help`, an empty command, or anything unknown."""

from __future__ import annotations

__all__ = ["SUBCOMMANDS", "usage_text"]

SUBCOMMANDS = {
    "status": "month-to-date AI spend, last month, projection, growth against revenue",
    "forecast": "this month's landing range and the next 12 months",
    "breakeven [--monthly-spend USD] [--profile NAME] [--set key=value]": (
        "when would running open-weight models ourselves pay off?"
    ),
    "revenue set YYYY-MM AMOUNT": "record a month's revenue (aicost admins only)",
    "log-hours HOURS [note]": "log time spent operating local inference (aicost admins only)",
    "audit": "the latest 15 changes to aicost and who made them",
    "help": "this message",
}


def usage_text(unknown: str | None = None) -> str:
    lines = []
    if unknown:
        lines.append(f"I don't know `{unknown[:40]}`.")
    lines.append("*Usage:* `/aicost <command>`")
    lines += [f"• `/aicost {name}`: {what}" for name, what in SUBCOMMANDS.items()]
    return "\n".join(lines)
