"""Bills in other currencies: converted to US dollars only with a rate the user set, and said so.

aicost reports in US dollars. A bill in euros (a Google Cloud billing account in EUR, a FOCUS
export from an Azure subscription billed in GBP) is stored in euros; every figure that adds it
to dollars converts it here, with the rate from `AICOST_FX_RATES`, and names that rate. A
currency without a rate is never guessed at and never summed as dollars: its days are shown as
missing, with the amount in its own currency and the setting that would count it.

No exchange-rate service is called: a team books its AI bill at the rate its finance team uses,
and a figure that moved because a feed moved would be one more thing to explain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .money import currency_sign, format_dollars, format_usd

__all__ = [
    "FX_SETTING",
    "REPORTING",
    "ForeignSpend",
    "FxRates",
    "billed",
    "format_amount",
    "format_billed",
    "parse_rates",
]

REPORTING = "USD"  # every figure aicost shows is in US dollars
FX_SETTING = "AICOST_FX_RATES"


def parse_rates(text: str) -> dict[str, Decimal]:
    """'EUR=1.0841, GBP=1.2702' (US dollars per one unit) as {code: rate}; ValueError says what
    is wrong with the first bad pair."""
    rates: dict[str, Decimal] = {}
    for part in text.replace(",", " ").split():
        code, sep, value = part.partition("=")
        code = code.strip().upper()
        if not sep or len(code) != 3 or not (code.isascii() and code.isalpha()):
            raise ValueError(f"{part!r} is not CODE=rate (e.g. EUR=1.0841, dollars per euro)")
        if code == REPORTING:
            raise ValueError(f"{part!r}: USD needs no rate, every figure is in USD")
        try:
            rate = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{part!r}: {value!r} is not a number") from None
        if not rate.is_finite() or rate <= 0:
            raise ValueError(f"{part!r}: a rate must be a positive number")
        rates[code] = rate
    return rates


@dataclass(frozen=True)
class FxRates:
    """US dollars per unit of each other currency, as the user set them (none by default)."""

    rates: Mapping[str, Decimal] = field(default_factory=dict)

    def to_usd(self, amount: Decimal, currency: str) -> Decimal | None:
        """The amount in US dollars, exact (no rounding before display); None without a rate."""
        if currency == REPORTING:
            return amount
        rate = self.rates.get(currency)
        return None if rate is None else amount * rate


def format_amount(amount: Decimal, currency: str) -> str:
    """An amount in its own currency, to the cent, never converted: $1,234.56, €1,234.56,
    CHF 1,234.56."""
    return format_dollars(amount).replace("$", currency_sign(currency), 1)


def billed(
    amounts: Iterable[tuple[str, Decimal]], into: dict[str, Decimal] | None = None
) -> dict[str, Decimal]:
    """(currency, amount) pairs summed per currency, never across: what a sync or an import
    reports having stored."""
    totals = {} if into is None else into
    for currency, amount in amounts:
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    return totals


def format_billed(totals: Mapping[str, Decimal]) -> str:
    """'$1,234.56', or '$20.00 + €1,000.00' for a bill in two currencies (dollars first)."""
    if not totals:
        return format_dollars(Decimal(0))
    order = sorted(totals, key=lambda c: (c != REPORTING, c))
    return " + ".join(format_amount(totals[c], c) for c in order)


@dataclass(frozen=True, slots=True)
class ForeignSpend:
    """One provider's spend in a currency other than US dollars over a window: what was
    converted (and at which rate) or, without a rate, what is missing from every figure."""

    provider: str
    currency: str
    days: int
    amount: Decimal  # in `currency`
    rate: Decimal | None  # US dollars per unit; None: not converted, the days count as missing

    @property
    def amount_usd(self) -> Decimal | None:
        return None if self.rate is None else self.amount * self.rate

    def describe(self) -> str:
        """'gcp: €1,234.56 over 30 days, converted at $1.0841 per 1 EUR (AICOST_FX_RATES)'."""
        held = f"{self.provider}: {format_amount(self.amount, self.currency)} over {self.days} "
        held += "day" if self.days == 1 else "days"
        if self.rate is None:
            return (
                f"{held} not counted (no rate for {self.currency}: set "
                f"{FX_SETTING}={self.currency}=<USD per 1>); those days show as missing"
            )
        return (
            f"{held} = {format_usd(self.amount * self.rate)}, "
            f"at ${self.rate} per 1 {self.currency} ({FX_SETTING})"
        )
