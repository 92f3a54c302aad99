"""When each scheduled job last ran: kept in the database so a restart knows what it missed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .models import JobRun

__all__ = ["JobRuns"]


class JobRuns:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def last(self, name: str) -> datetime | None:
        with Session(self.engine) as session:
            return session.scalar(select(JobRun.last_run_at).where(JobRun.name == name))

    def record(self, name: str, at: datetime) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(JobRun, name)
            if row is None:
                session.add(JobRun(name=name, last_run_at=at))
            else:
                row.last_run_at = at
