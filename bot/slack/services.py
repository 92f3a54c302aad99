"""What the Slack handlers can ask for: one object over the stores, built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..breakeven.verdict import Verdict
from ..breakeven_query import BreakEvenQuery
from ..breakeven_report import BreakEvenReport
from ..breakeven_service import answer_breakeven
from ..clock import utc_now
from ..db.hours import HoursLog
from ..db.revenue import RevenueStore
from ..db.store import SpendStore
from ..forecast_report import ForecastReport, load_forecast
from ..settings import Settings
from ..status import StatusReport
from ..wiring import open_store, team_status

__all__ = ["SlackServices"]


@dataclass
class SlackServices:
    settings: Settings
    store: SpendStore

    @classmethod
    def from_settings(cls, settings: Settings) -> SlackServices:
        return cls(settings=settings, store=open_store(settings))

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.settings.admins

    def status(self) -> StatusReport:
        return team_status(self.store, self.settings, now=utc_now())

    def breakeven(self, query: BreakEvenQuery) -> tuple[BreakEvenReport, Verdict]:
        return answer_breakeven(
            self.store,
            self.settings,
            now=utc_now(),
            profile=query.profile,
            overrides=query.overrides,
            monthly_spend=query.monthly_spend,
        )

    def forecast(self) -> ForecastReport:
        return load_forecast(
            self.store,
            now=utc_now(),
            tz=self.settings.tz,
            budget_usd=self.settings.monthly_budget_usd,
        )

    def set_revenue(self, month: date, amount: Decimal, *, user_id: str) -> None:
        RevenueStore(self.store.engine).set_months(
            [(month, amount)], source="manual", at=utc_now(), by=f"slack:{user_id}"
        )

    def log_hours(self, hours: Decimal, note: str, *, user_id: str) -> None:
        HoursLog(self.store.engine).add(hours, at=utc_now(), note=note, user_id=user_id)
