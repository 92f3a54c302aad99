"""What `aicost forecast` answers: the forecast, its naive baseline, and how fresh the data is."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from ..core.forecast import forecast_spend, naive_month_end
from ..core.forecast_report import ForecastReport
from ..db.store import SpendStore
from .known_spend import load_known_spend
from .status import load_status

__all__ = ["HISTORY_DAYS", "load_forecast"]

HISTORY_DAYS = 400


def load_forecast(
    store: SpendStore, *, now: datetime, tz: object, budget_usd: Decimal | None = None
) -> ForecastReport:
    today = now.astimezone(tz).date()  # type: ignore[arg-type]
    totals = load_known_spend(store, today - timedelta(days=HISTORY_DAYS), today).totals
    this_month = today.replace(day=1)
    status = load_status(store, now=now, tz=tz)  # type: ignore[arg-type]
    return ForecastReport(
        forecast=forecast_spend(totals, today=today) if totals else None,
        naive_month_end=naive_month_end(totals, today=today),
        as_of=now,
        timezone=status.timezone,
        budget_usd=budget_usd,
        freshness=status.freshness,
        naive_days=sum(1 for d in totals if d >= this_month),
    )
