"""Stored monthly revenue as lines, for `aicost revenue show` and `/aicost revenue show`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from ..core.money import format_usd

__all__ = ["NO_REVENUE", "revenue_lines"]

NO_REVENUE = "no revenue stored: `aicost revenue set YYYY-MM AMOUNT`, `import FILE` or `sync`"


def revenue_lines(
    rows: Iterable[tuple[date, Decimal, str, datetime]], *, this_month: date
) -> list[str]:
    """One line a month: amount, where it came from and when; the running month marked."""
    return [
        f"{month:%Y-%m}  {format_usd(amount):>16}  {source} ({updated:%Y-%m-%d})"
        + (" (month to date)" if month == this_month else "")
        for month, amount, source, updated in rows
    ]
