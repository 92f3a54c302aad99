"""The team's monthly workload: tokens by model and the API bill they run up.

Built from stored usage (tokens per day and model) and billed spend over a recent window,
scaled to an average month (730 h). `scaled_to` answers "what if our bill were $X?" by keeping
today's token mix and scaling its volume, so the capacity sizing moves with the bill.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ..month import DAYS_PER_MONTH
from .prices import ListPrice, list_price

__all__ = ["ModelVolume", "Workload", "build_workload", "workload_from_spend"]


@dataclass(frozen=True, slots=True)
class ModelVolume:
    provider: str
    model: str
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    list_usd: Decimal | None  # at list prices, when genai-prices knows the model


@dataclass(frozen=True, slots=True)
class Workload:
    """One month of traffic and its closed-API bill."""

    api_usd: Decimal
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    models: tuple[ModelVolume, ...] = ()
    basis: str = ""  # one line: where these figures came from

    def scaled_to(self, api_usd: Decimal) -> Workload:
        """The same mix at a different monthly bill."""
        if self.api_usd <= 0:
            raise ValueError("cannot scale a workload with no API spend")
        factor = api_usd / self.api_usd

        def scale(n: int) -> int:
            return int((Decimal(n) * factor).to_integral_value())

        return replace(
            self,
            api_usd=api_usd,
            input_tokens=scale(self.input_tokens),
            cached_input_tokens=scale(self.cached_input_tokens),
            output_tokens=scale(self.output_tokens),
            models=tuple(
                replace(
                    m,
                    input_tokens=scale(m.input_tokens),
                    cached_input_tokens=scale(m.cached_input_tokens),
                    output_tokens=scale(m.output_tokens),
                    list_usd=None if m.list_usd is None else m.list_usd * factor,
                )
                for m in self.models
            ),
            basis=f"{self.basis}; scaled to a ${api_usd:,.2f} monthly bill",
        )


def _list_usd(
    price: ListPrice | None, input_tokens: int, cached: int, output: int
) -> Decimal | None:
    if price is None:
        return None
    return price.monthly_usd(input_tokens, cached, output)


def build_workload(
    usage: Iterable[tuple[str, str, int, int, int]],
    *,
    billed_usd: Decimal,
    start: date,
    end: date,
    days: int | None = None,
) -> Workload:
    """A month's workload from usage rows (provider, model, input, cached, output) in [start, end).

    The bill is what the providers billed over the same window (the real number, not list
    prices); both are scaled from the number of days they cover (`days`, when some days of
    the window have no data; else the window's length) to an average month.
    """
    window_days = (end - start).days
    days = Decimal(window_days if days is None else days)
    if days <= 0:
        raise ValueError("empty window")
    per_month = DAYS_PER_MONTH / days
    totals: dict[tuple[str, str], list[int]] = {}
    for provider, model, input_tokens, cached, output in usage:
        row = totals.setdefault((provider, model), [0, 0, 0])
        row[0] += input_tokens
        row[1] += cached
        row[2] += output

    def month(n: int) -> int:
        return int((Decimal(n) * per_month).to_integral_value())

    models = []
    for (provider, model), (input_tokens, cached, output) in sorted(totals.items()):
        i, c, o = month(input_tokens), month(cached), month(output)
        models.append(
            ModelVolume(provider, model, i, c, o, _list_usd(list_price(provider, model), i, c, o))
        )
    return Workload(
        api_usd=billed_usd * per_month,
        input_tokens=sum(m.input_tokens for m in models),
        cached_input_tokens=sum(m.cached_input_tokens for m in models),
        output_tokens=sum(m.output_tokens for m in models),
        models=tuple(models),
        basis=f"billed spend and token usage {start}..{end} ({days} days"
        + ("" if days == window_days else f" with data of {window_days}")
        + ") scaled to a month",
    )


# With no usage data at all, a what-if needs some mix: 4 input tokens per output token on a
# mid-size frontier model is typical of chat and RAG traffic (and says so in the answer).
REFERENCE_MIX = ("anthropic", "claude-sonnet-4-5", Decimal("0.8"))


def workload_from_spend(api_usd: Decimal) -> Workload:
    """A workload for a bill alone: tokens from the reference mix at its list prices."""
    provider, model, input_share = REFERENCE_MIX
    price = list_price(provider, model)
    if price is None:  # genai-prices always has this model; guard anyway
        raise LookupError(f"no list price for {model}")
    per_token = (input_share * price.input_per_m + (1 - input_share) * price.output_per_m) / 10**6
    tokens = api_usd / per_token
    input_tokens = int((tokens * input_share).to_integral_value())
    output_tokens = int((tokens * (1 - input_share)).to_integral_value())
    return Workload(
        api_usd=api_usd,
        input_tokens=input_tokens,
        cached_input_tokens=0,
        output_tokens=output_tokens,
        models=(ModelVolume(provider, model, input_tokens, 0, output_tokens, api_usd),),
        basis=(
            f"no token usage stored: tokens derived from ${api_usd:,.2f} at {model} list prices, "
            f"{input_share:.0%} input"
        ),
    )
