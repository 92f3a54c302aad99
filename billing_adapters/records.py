"""The small record types every adapter produces, whatever the provider's page looks like.

Amounts are `Decimal` units of the bill's own currency (`currency`, an ISO 4217 code; US
dollars for most AI providers), converted from the provider's own unit at the edge of the
adapter (OpenAI sends dollars, Anthropic sends cents), so nothing downstream ever has to know
which provider used which unit. They are never converted between currencies here: a euro bill
stays in euros, and only the reading side converts, with a rate the user set and names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from .errors import ProviderResponseError

__all__ = ["Balance", "CostLine", "FetchResult", "HourlyUsage", "TokenUsage"]


# CostLine and TokenUsage are NamedTuples rather than frozen dataclasses: just as immutable, and
# a large organisation's backfill builds a million of them, at a quarter of the cost each.


class CostLine(NamedTuple):
    """The billed amount for one provider day and one of the provider's own groupings, in the
    bill's currency."""

    provider: str
    day: date
    project: str  # OpenAI project_id / Anthropic workspace_id; "" when the provider gives none
    line_item: str  # OpenAI line_item / Anthropic description; "" when the provider gives none
    amount: Decimal  # in `currency`
    model: str | None = None
    currency: str = "USD"

    @property
    def key(self) -> tuple[str, date, str, str]:
        return (self.provider, self.day, self.project, self.line_item)

    def plus(self, other: CostLine) -> CostLine:
        """This line and another of the same key as one (a provider may split a line by tiers
        we do not store): amounts summed, the first model named kept. Two currencies are never
        summed: a page that bills one line in two currencies is malformed."""
        if other.currency != self.currency:
            first, second = sorted((self.currency, other.currency))
            raise ProviderResponseError(
                self.provider, f"{self.day} is billed in both {first} and {second}"
            )
        return self._replace(amount=self.amount + other.amount, model=self.model or other.model)


class TokenUsage(NamedTuple):
    """Token volume for one provider day and model: what the break-even model sizes hardware by."""

    provider: str
    day: date
    model: str
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    requests: int

    @property
    def key(self) -> tuple[str, date, str]:
        return (self.provider, self.day, self.model)

    def plus(self, other: TokenUsage) -> TokenUsage:
        """This row and another of the same key as one, every count summed."""
        return self._replace(
            input_tokens=self.input_tokens + other.input_tokens,
            cached_input_tokens=self.cached_input_tokens + other.cached_input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            requests=self.requests + other.requests,
        )


class HourlyUsage(NamedTuple):
    """Token volume for one provider hour, all models together: what the busiest hour is
    measured from. Daily usage answers "how much"; only hours answer "how much at once"."""

    provider: str
    hour: datetime  # the hour's start, UTC
    input_tokens: int
    output_tokens: int


class Balance(NamedTuple):
    """A prepaid account's credits as the provider reports them now: bought and spent so far.

    A prepaid provider stops answering when the credits run out, so what is left (and how soon
    it runs out at the current spend) matters as much as what was spent.
    """

    provider: str
    credits: Decimal  # bought (or granted) in total
    used: Decimal  # spent in total
    currency: str = "USD"

    @property
    def remaining(self) -> Decimal:
        return self.credits - self.used


@dataclass(slots=True)
class FetchResult:
    """Everything one provider returned for a window, ready to replace those days in storage.

    `days` lists every day the provider answered for (including days with no spend), because
    only those may be replaced: a day the provider did not return must keep what is stored.
    """

    provider: str
    days: set[date] = field(default_factory=set)
    costs: list[CostLine] = field(default_factory=list)
    usage: list[TokenUsage] = field(default_factory=list)
    usage_days: set[date] = field(default_factory=set)
