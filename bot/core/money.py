"""The one money type: exact Decimal dollars in code, integer nano-dollars in the database.

Providers send amounts with more decimals than cents (Anthropic's "123.78912" cents is
$1.2378912), so micro-dollars would already round; nano-dollars hold every amount we have seen
exactly, and integer sums are exact on SQLite and PostgreSQL alike. Rounding to cents happens
once, when a figure is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

__all__ = [
    "CENT",
    "ZERO",
    "cents",
    "format_usd",
    "from_nanos",
    "json_usd",
    "split_cents",
    "to_nanos",
]

NANO = Decimal("1e-9")
CENT = Decimal("0.01")
ZERO = Decimal(0)


def to_nanos(usd: Decimal) -> int:
    """Dollars to integer nano-dollars (banker's rounding below a billionth of a dollar)."""
    return int(usd.quantize(NANO, rounding=ROUND_HALF_EVEN).scaleb(9))


def from_nanos(nanos: int) -> Decimal:
    """Integer nano-dollars back to exact Decimal dollars."""
    return Decimal(int(nanos)).scaleb(-9)


def cents(usd: Decimal) -> Decimal:
    """Round to the cent the way invoices do (half up)."""
    return usd.quantize(CENT, rounding=ROUND_HALF_UP)


def json_usd(usd: Decimal | None) -> float | None:
    """Dollars for JSON output, to the cent; None stays null (missing is not $0). float() of a
    cent-rounded Decimal prints back exactly ("1234.56")."""
    return None if usd is None else float(cents(usd))


def format_usd(usd: Decimal) -> str:
    """$1,234.56 (and -$12.00), always to the cent."""
    value = cents(usd)
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def split_cents(total: Decimal, parts: Sequence[Decimal]) -> list[Decimal]:
    """The parts to the cent such that they add up to the total to the cent, as shown.

    Rounding each part on its own can show "$2,515.33 + $4,015.58 = $6,530.92". Here the total
    is rounded once (half up), each part is rounded down, and the cents still missing go to
    the parts that lost the most in rounding (largest remainder), so no part moves by a whole
    cent and the breakdown always sums. Parts that do not add up to the total (to a billionth
    of a dollar) are not a breakdown of it, and are rounded one by one.
    """
    if abs(sum(parts, ZERO) - total) > NANO:  # a few 1e-25 of Decimal division are no matter
        return [cents(p) for p in parts]
    floors = [p.quantize(CENT, rounding=ROUND_FLOOR) for p in parts]
    missing = int((cents(total) - sum(floors, ZERO)) / CENT)
    by_remainder = sorted(range(len(parts)), key=lambda i: parts[i] - floors[i], reverse=True)
    for i in by_remainder[:missing]:
        floors[i] += CENT
    return floors
