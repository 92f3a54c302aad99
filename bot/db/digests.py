"""The weekly digests sent: one row per week, recorded before posting so a week is posted once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import DigestRow

__all__ = ["DigestLog"]


class DigestLog:
    """The `digests` table: one row per week, claimed before posting, marked after."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def pending(self, week: date) -> bool:
        with Session(self.engine) as session:
            row = session.get(DigestRow, week)
            return row is not None and row.delivered_at is None

    def claim(self, week: date, now: datetime) -> bool:
        """Record the week (if new) and count an attempt; False when already delivered."""
        for _ in range(2):  # a concurrent first insert makes the second pass find the row
            try:
                with Session(self.engine) as session, session.begin():
                    row = session.scalars(
                        select(DigestRow).where(DigestRow.week_start == week).with_for_update()
                    ).first()
                    if row is None:
                        row = DigestRow(week_start=week, created_at=now, attempts=0, last_error="")
                        session.add(row)
                    if row.delivered_at is not None:
                        return False
                    row.attempts += 1
                    return True
            except IntegrityError:
                continue
        return False

    def post_started(self, week: date) -> datetime | None:
        """When a post of this week's digest was started and never recorded, if it was."""
        with Session(self.engine) as session:
            row = session.get(DigestRow, week)
            return None if row is None or row.delivered_at is not None else row.post_started_at

    def mark_posting(self, week: date, *, at: datetime) -> None:
        """A post is about to start (`at`: real time), committed first (see the alerts')."""
        with Session(self.engine) as session, session.begin():
            row = session.get(DigestRow, week)
            if row is not None:
                row.post_started_at = at

    def update(self, week: date, *, delivered_at: datetime | None = None, error: str) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(DigestRow, week)
            if row is None:
                return
            if delivered_at is not None:
                row.delivered_at = delivered_at
            row.last_error = error
