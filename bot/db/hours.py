"""The infrastructure-tax log: hours actually spent running local inference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..core.records import AuditEntry
from .audit import add_audit
from .models import OpsHoursRow

__all__ = ["HoursEntry", "HoursLog"]


@dataclass(frozen=True, slots=True)
class HoursEntry:
    logged_at: datetime
    hours: Decimal
    note: str
    user_id: str


class HoursLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self,
        hours: Decimal,
        *,
        at: datetime,
        note: str = "",
        user_id: str = "",
        audit: AuditEntry | None = None,
    ) -> None:
        """Record hours (kept to the minute), with `audit` in the same transaction if given."""
        minutes = int((hours * 60).to_integral_value())
        with Session(self.engine) as session, session.begin():
            session.add(OpsHoursRow(logged_at=at, minutes=minutes, note=note, user_id=user_id))
            if audit is not None:
                add_audit(session, audit)

    def entries(self) -> list[HoursEntry]:
        with Session(self.engine) as session:
            rows = session.scalars(select(OpsHoursRow).order_by(OpsHoursRow.logged_at))
            return [
                HoursEntry(r.logged_at, Decimal(r.minutes) / 60, r.note, r.user_id) for r in rows
            ]
