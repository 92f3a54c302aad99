"""Stored monthly revenue as lines, for `aicost revenue show` and `/aicost revenue show`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from decimal import Decimal

from ..core.growth import revenue_synced_to
from ..core.money import format_usd

__all__ = ["NO_REVENUE", "revenue_lines"]

NO_REVENUE = "no revenue stored: `aicost revenue set YYYY-MM AMOUNT`, `import FILE` or `sync`"


def revenue_lines(
    rows: Iterable[tuple[date, Decimal, str, datetime]], *, this_month: date, tz: tzinfo
) -> list[str]:
    """One line a month: amount, where it came from and when; the running month marked, and a
    past month synced before it ended (its month to date then: growth leaves it out)."""
    lines = []
    for month, amount, source, updated in rows:
        line = f"{month:%Y-%m}  {format_usd(amount):>16}  {source} ({updated:%Y-%m-%d})"
        synced = revenue_synced_to(month, source, updated, tz)
        if month == this_month:
            line += " (month to date)"
        elif synced is not None:
            line += f" (to {synced.day} {synced:%b} only: synced before the month ended)"
        lines.append(line)
    return lines
