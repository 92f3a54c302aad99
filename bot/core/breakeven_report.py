"""What `aicost breakeven` and `/aicost breakeven` answer: the model's result plus its context.

The model (`bot.core.breakeven`) knows nothing of where its inputs came from; this report carries
that (profile, each assumption's source, the data window and its freshness, measured hours)
so every rendering can show the inputs behind the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .breakeven import BreakEven
from .breakeven.peak import MeasuredPeak
from .breakeven.sensitivity import Sensitivity
from .coverage import ProviderFreshness

__all__ = ["BreakEvenReport", "BreakEvenSummary", "MeasuredHours", "PeakBasis"]


@dataclass(frozen=True, slots=True)
class MeasuredHours:
    """The infrastructure tax as logged with `/aicost log-hours`, not assumed."""

    entries: int
    total_hours: Decimal
    weeks: Decimal  # from the first entry to now, at least one week
    since: date

    @property
    def weekly_average(self) -> Decimal:
        return self.total_hours / self.weeks


@dataclass(frozen=True, slots=True)
class PeakBasis:
    """What the replicas were sized for: the measured busiest hour, or why it was assumed."""

    measured: MeasuredPeak | None
    why_assumed: str = ""  # set when measured is None: what was missing
    # Providers with usage but no hours: assumed to follow the measured ones' hours.
    unmeasured: tuple[str, ...] = ()
    measured_share: Decimal = Decimal(1)  # of the window's output tokens, the measured share


@dataclass(frozen=True, slots=True)
class BreakEvenReport:
    result: BreakEven
    profile: str
    origin: dict[str, str]  # assumption name -> "default", "profile X", "setting", "query", ...
    as_of: datetime
    timezone: str
    window: tuple[date, date] | None  # [start, end) of the usage and spend the workload is from
    what_if_spend: Decimal | None  # set when the query asked "what if our bill were $X?"
    measured_hours: MeasuredHours | None
    price_data: str  # e.g. "genai-prices 0.2.3"
    freshness: list[ProviderFreshness] = field(default_factory=list)
    # Days inside the window no sync fetched: left out (the rest scaled to a month), never $0.
    window_skipped: tuple[date, ...] = ()
    data_age_days: int | None = None  # how many days before today the window's last day is
    # Each uncertain input across its range: None when the model does not fit the GPUs.
    sensitivity: Sensitivity | None = None
    peak: PeakBasis = PeakBasis(None, "no hourly usage given")
    provider: str | None = None  # the workload is this provider's alone (`--provider`)
    # Spend a month from sources without token counts, left out of the workload (see services).
    left_out: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, slots=True)
class BreakEvenSummary:
    """The few break-even figures the digest and the alert rules use: how far today's bill is
    from the bill at which self-hosting starts to pay, and when the forecast gets there."""

    profile: str
    monthly_bill_usd: Decimal  # the last 28 complete days, scaled to a month (status quo)
    breakeven_bill_usd: Decimal | None  # None: never pays off at this token mix
    pays_off: bool
    breakeven_month: date | None  # first forecast month past the pay-off bill
    saving_usd: Decimal = Decimal(0)  # what self-hosting would save a month (< 0: cost more)
    best_option: str = "stay on the API"  # the cheapest option, named as the answer names it
    best_saving_usd: Decimal = Decimal(0)  # what the cheapest option saves against today
    # What would flip the verdict, each input alone (the App Home says it beside the line).
    sensitivity: Sensitivity | None = None

    @property
    def distance_usd(self) -> Decimal | None:
        """Dollars a month still to go (negative once past it); None when it never pays."""
        if self.breakeven_bill_usd is None:
            return None
        return self.breakeven_bill_usd - self.monthly_bill_usd

    @classmethod
    def of(cls, report: BreakEvenReport) -> BreakEvenSummary:
        result = report.result
        return cls(
            profile=report.profile,
            monthly_bill_usd=result.status_quo.monthly_usd,
            breakeven_bill_usd=result.breakeven_api_usd,
            pays_off=result.pays_off,
            breakeven_month=result.breakeven_month,
            saving_usd=result.saving_usd,
            best_option=result.best.name,
            best_saving_usd=result.monthly_savings,
            sensitivity=report.sensitivity,
        )
