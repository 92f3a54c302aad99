"""Prepaid credits and how long they last at the current spend.

OpenRouter is paid in advance: when the credits run out, requests fail with 402 and the
product behind them stops. So beside what was spent, a lead needs what is left and how many
days of the recent spend that covers: the runway. The burn rate is the mean of the last seven
complete days the provider synced (a missing day is left out, never counted as $0); with fewer
than three of them there is no rate, and the runway says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .fx import format_amount
from .money import format_usd, json_usd
from .records import DailySpend

__all__ = ["BURN_DAYS", "LOW_RUNWAY_DAYS", "FetchedBalance", "Runway", "runway"]

BURN_DAYS = 7  # the recent days the burn rate is the mean of
MIN_BURN_DAYS = 3  # fewer synced days than this give no rate
LOW_RUNWAY_DAYS = 7  # a week's notice to top up, or to move traffic


@dataclass(frozen=True, slots=True)
class FetchedBalance:
    """A provider's credits as fetched at `fetched_at`, in `currency`."""

    provider: str
    credits: Decimal
    used: Decimal
    currency: str
    fetched_at: datetime

    @property
    def remaining(self) -> Decimal:
        return self.credits - self.used


@dataclass(frozen=True, slots=True)
class Runway:
    """What is left of a provider's credits and how many days of recent spend it covers."""

    balance: FetchedBalance
    burn_per_day: Decimal | None  # US dollars a day; None: too few synced days to say
    burn_days: int  # how many synced days the rate is the mean of
    days_left: Decimal | None  # None without a rate, or with no spend at all

    @property
    def low(self) -> bool:
        return self.days_left is not None and self.days_left < LOW_RUNWAY_DAYS

    def describe(self, timezone_name: str, as_of_local: str) -> str:
        """'openrouter: $74.75 of $100.50 credits left (as of 07 Dec 10:00 UTC); at $3.68/day
        (mean of the last 7 synced days) about 20 days'."""
        b = self.balance
        text = (
            f"{b.provider}: {format_amount(b.remaining, b.currency)} of "
            f"{format_amount(b.credits, b.currency)} credits left "
            f"(as of {as_of_local} {timezone_name})"
        )
        if self.burn_per_day is None:
            return text + f"; too few synced days (under {MIN_BURN_DAYS}) to say how long it lasts"
        if self.days_left is None:
            return text + f"; no spend in the last {self.burn_days} synced days"
        rate = f"at {format_usd(self.burn_per_day)}/day (mean of the last {self.burn_days} days)"
        days = self.days_left.quantize(Decimal(1))
        if self.days_left <= 0:
            return text + f"; used up: {rate}"
        return text + f"; {rate} about {days} {'day' if days == 1 else 'days'}"

    def as_dict(self) -> dict[str, object]:
        b = self.balance
        return {
            "provider": b.provider,
            "currency": b.currency,
            "credits": json_usd(b.credits),
            "used": json_usd(b.used),
            "remaining": json_usd(b.remaining),
            "fetched_at": b.fetched_at.isoformat(),
            "burn_per_day_usd": json_usd(self.burn_per_day),
            "burn_days": self.burn_days,
            "days_left": None if self.days_left is None else float(round(self.days_left, 1)),
            "low": self.low,
        }


def runway(
    balance: FetchedBalance,
    daily: Iterable[DailySpend],
    synced: Collection[tuple[str, date]],
    *,
    today: date,
) -> Runway:
    """The balance's runway at the mean spend of the provider's synced days among the last
    BURN_DAYS before `today` (today itself is incomplete; a synced day without a row is a real
    $0, a day never synced is left out). Only a US-dollar balance gets a rate: the daily
    figures are dollars, and credits in another currency are shown, not divided."""
    first = today - timedelta(days=BURN_DAYS)
    spent = {d.day: d.amount_usd for d in daily if d.provider == balance.provider}
    recent = [
        spent.get(first + timedelta(days=n), Decimal(0))
        for n in range(BURN_DAYS)
        if (balance.provider, first + timedelta(days=n)) in synced
    ]
    if len(recent) < MIN_BURN_DAYS or balance.currency != "USD":
        return Runway(balance, None, len(recent), None)
    rate = sum(recent, Decimal(0)) / len(recent)
    days = None if rate <= 0 else balance.remaining / rate
    return Runway(balance, rate, len(recent), days)
