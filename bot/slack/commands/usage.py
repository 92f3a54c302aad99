"""The `/aicost` usage text, shown for `help`, an empty command, or anything unknown."""

from __future__ import annotations

__all__ = ["usage_text"]

SUBCOMMANDS = {
    "status": "month-to-date AI spend, last month, projection, by provider",
    "help": "this message",
}


def usage_text(unknown: str | None = None) -> str:
    lines = []
    if unknown:
        lines.append(f"I don't know `{unknown[:40]}`.")
    lines.append("*Usage:* `/aicost <command>`")
    lines += [f"• `/aicost {name}`: {what}" for name, what in SUBCOMMANDS.items()]
    return "\n".join(lines)
