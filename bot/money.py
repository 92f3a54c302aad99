"""The one money type: exact Decimal dollars in code, integer nano-dollars in the database.

Providers send amounts with more decimals than cents (Anthropic's "123.78912" cents is
$1.2378912), so micro-dollars would already round; nano-dollars hold every amount we have seen
exactly, and integer sums are exact on SQLite and PostgreSQL alike. Rounding to cents happens
once, when a figure is shown.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

__all__ = ["CENT", "ZERO", "cents", "format_usd", "from_nanos", "to_nanos"]

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


def format_usd(usd: Decimal) -> str:
    """$1,234.56 (and -$12.00), always to the cent."""
    value = cents(usd)
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"
