"""The one money type: exact Decimal dollars in code, integer nano-dollars in the database.

Providers send amounts with more decimals than cents (Anthropic's "123.78912" cents is
$1.2378912), so micro-dollars would already round; nano-dollars hold every amount we have seen
exactly, and integer sums are exact on SQLite and PostgreSQL alike. Rounding to cents happens
once, when a figure is shown.

Figures are worked out in US dollars. A team that reads money in another currency sets
AICOST_CURRENCY (with its rate): then `format_usd` shows each figure converted, in that
currency, and `split_cents` splits in that currency's cents, so a breakdown still adds up as
shown. The display is set once per process for people's output (`set_display`), never for
JSON, which stays in dollars; `format_dollars` is for what stays in dollars anyway (the
break-even model's sourced prices and the inputs people type in dollars).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

__all__ = [
    "CENT",
    "ZERO",
    "Display",
    "cents",
    "percent_of",
    "currency_sign",
    "display",
    "displaying",
    "format_dollars",
    "format_usd",
    "set_display",
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


def percent_of(part: Decimal, whole: Decimal) -> int:
    """Whole percent, rounded down: a budget is never said to be 80 % used before it is, and
    the status, the digest, the Home and the alert say the same figure for the same day."""
    return int(part * 100 / whole)


def json_usd(usd: Decimal | None) -> float | None:
    """Dollars for JSON output, to the cent; None stays null (missing is not $0). float() of a
    cent-rounded Decimal prints back exactly ("1234.56")."""
    return None if usd is None else float(cents(usd))


# Currencies whose sign is unambiguous; any other shows its code ("CHF 1,234.56").
_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}


def currency_sign(code: str) -> str:
    """'$', '€', '£', or the code and a space ('CHF ')."""
    return _SIGNS.get(code, f"{code} ")


@dataclass(frozen=True, slots=True)
class Display:
    """The currency people read figures in, and how many US dollars one unit of it is."""

    code: str
    usd_per_unit: Decimal

    def note(self) -> str:
        """The line beside converted figures: which rate, and what stays in dollars."""
        return (
            f"Amounts in {self.code}, converted from US dollars at ${self.usd_per_unit} per "
            f"1 {self.code} (AICOST_FX_RATES); break-even figures stay in US dollars, like "
            "the cost model's prices and its inputs"
        )


_display: Display | None = None


def set_display(shown: Display | None) -> None:
    """Show every `format_usd` figure in this currency from now on, in this process (None:
    dollars). Set once, by the edge that prints for people; JSON output never sets it."""
    global _display  # noqa: PLW0603 - one process-wide choice, like a locale
    _display = shown


def display() -> Display | None:
    return _display


@contextmanager
def displaying(shown: Display | None) -> Iterator[None]:
    """`set_display` for a block, then back as it was (tests)."""
    before = _display
    set_display(shown)
    try:
        yield
    finally:
        set_display(before)


def _formatted(amount: Decimal, sign: str) -> str:
    value = cents(amount)
    minus = "-" if value < 0 else ""
    return f"{minus}{sign}{abs(value):,.2f}"


def format_dollars(usd: Decimal) -> str:
    """$1,234.56 (and -$12.00), to the cent, whatever the display currency."""
    return _formatted(usd, "$")


def format_usd(usd: Decimal) -> str:
    """A dollar figure as people read it: $1,234.56 (and -$12.00), to the cent; with a display
    currency set, converted and in its sign (€1,138.85)."""
    if _display is None:
        return _formatted(usd, "$")
    return _formatted(usd / _display.usd_per_unit, currency_sign(_display.code))


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
    if _display is not None:
        # Split in the displayed currency's cents, then back to dollars that show as exactly
        # those cents: the parts still add up to the total as people read them.
        rate = _display.usd_per_unit
        shown = _split(total / rate, [p / rate for p in parts])
        return [s * rate for s in shown]
    return _split(total, parts)


def _split(total: Decimal, parts: Sequence[Decimal]) -> list[Decimal]:
    floors = [p.quantize(CENT, rounding=ROUND_FLOOR) for p in parts]
    missing = int((cents(total) - sum(floors, ZERO)) / CENT)
    by_remainder = sorted(range(len(parts)), key=lambda i: parts[i] - floors[i], reverse=True)
    for i in by_remainder[:missing]:
        floors[i] += CENT
    return floors
