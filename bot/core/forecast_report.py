"""What `aicost forecast` answers: the forecast, its naive baseline, and how fresh the data is.

Plain values; `bot/services/forecast_report.py` fills them from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .coverage import ProviderFreshness
from .forecast import Forecast
from .money import json_usd

__all__ = ["ForecastReport"]


@dataclass(frozen=True, slots=True)
class ForecastReport:
    forecast: Forecast | None  # None: fewer than 7 complete days stored
    naive_month_end: Decimal | None
    as_of: datetime
    timezone: str
    budget_usd: Decimal | None
    freshness: list[ProviderFreshness] = field(default_factory=list)
    naive_days: int = 0  # the synced days of this month before today the run rate is from

    def as_dict(self) -> dict[str, object]:
        f = self.forecast

        def estimate(e: object) -> dict[str, object]:
            return {"point": json_usd(e.point), "low": json_usd(e.low), "high": json_usd(e.high)}  # type: ignore[attr-defined]

        return {
            "as_of": self.as_of.isoformat(),
            "timezone": self.timezone,
            "available": f is not None,
            "month_to_date_usd": None if f is None else json_usd(f.month_to_date),
            "month_end_usd": None if f is None else estimate(f.month_end),
            "naive_month_end_usd": json_usd(self.naive_month_end),
            "monthly_growth": None if f is None else float(f.monthly_growth),
            "next_months": []
            if f is None
            else [
                {"month": m.month.strftime("%Y-%m"), **estimate(m.estimate)} for m in f.next_months
            ],
            "history_days": None if f is None else f.history_days,
            "method": None if f is None else f.method,
            "budget_usd": json_usd(self.budget_usd),
        }
