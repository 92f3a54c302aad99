"""API list prices from genai-prices' bundled data (offline; never auto-updated).

genai-prices prices one request, and a whole month passed as one request would land in
long-context tiers, so we read each model's base per-million rates and multiply by monthly totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

__all__ = ["ListPrice", "list_price", "price_data"]

MILLION = Decimal(1_000_000)


@cache
def price_data() -> str:
    """Which price data an answer used, e.g. "genai-prices 0.2.3". Read on first use: finding a
    package's version scans the installed distributions, which `aicost --help` must not pay."""
    from importlib.metadata import version

    return f"genai-prices {version('genai-prices')}"


@dataclass(frozen=True, slots=True)
class ListPrice:
    model: str
    input_per_m: Decimal
    cached_input_per_m: Decimal
    output_per_m: Decimal

    def monthly_usd(self, input_tokens: int, cached: int, output: int) -> Decimal:
        uncached = max(input_tokens - cached, 0)
        return (
            uncached * self.input_per_m
            + cached * self.cached_input_per_m
            + output * self.output_per_m
        ) / MILLION


def _base(value: object) -> Decimal | None:
    if value is None:
        return None
    base = getattr(value, "base", value)  # TieredPrices: take the base tier
    return Decimal(str(base))


@lru_cache(maxsize=512)
def list_price(provider: str, model: str) -> ListPrice | None:
    """Base per-million rates for a provider's model, or None if genai-prices does not know it."""
    # Imported here: genai-prices loads its whole price table, which `aicost --help` never needs.
    from genai_prices import Usage, calc_price

    try:
        found = calc_price(Usage(input_tokens=1), model_ref=model, provider_id=provider)
    except LookupError:
        return None
    price = found.model_price
    input_rate = _base(price.input_mtok)
    output_rate = _base(price.output_mtok)
    if input_rate is None or output_rate is None:
        return None
    cached = _base(price.cache_read_mtok)
    return ListPrice(
        found.model.id, input_rate, cached if cached is not None else input_rate, output_rate
    )
