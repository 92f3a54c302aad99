"""Answers computed once per data version and minute, however many people ask.

Measured before: 300 commands over unchanged data computed 300 answers, each a few hundred
milliseconds of Python under one GIL, and every ack queued behind them. A status, forecast or
break-even answer depends only on the stored data, the settings (fixed for the process), the
question and the clock; so it is kept under the data's version (the newest sync run, audited
change, hours entry, revenue update and fetched provider day) and the current
minute, so a new sync or `revenue set` is seen at once and "as of" is never more than a minute
old. Concurrent askers of the same answer wait for the one computing it instead of repeating it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select

from ..core.clock import utc_now
from ..db.models import AuditRow, FetchedDay, OpsHoursRow, RevenueMonth, SyncRun

__all__ = ["AnswerCache", "data_version"]

T = TypeVar("T")


def data_version(engine: Engine) -> tuple[Any, ...]:
    """Changes whenever something an answer reads changes: one cheap query."""
    with engine.connect() as connection:
        row = connection.execute(
            select(
                select(func.max(SyncRun.id)).scalar_subquery(),
                select(func.max(AuditRow.id)).scalar_subquery(),
                select(func.max(OpsHoursRow.id)).scalar_subquery(),
                select(func.max(RevenueMonth.updated_at)).scalar_subquery(),
                # a provider day written (re-fetched or emptied), with or without a sync run
                select(func.max(FetchedDay.fetched_at)).scalar_subquery(),
                select(func.count()).select_from(FetchedDay).scalar_subquery(),
            )
        ).one()
    return tuple(row)


class AnswerCache:
    """Single-flight memo of answers, keyed by question, data version and minute."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now) -> None:
        self.engine, self.clock = engine, clock
        self._lock = threading.Lock()
        self._epoch: tuple[Any, ...] | None = None
        self._answers: dict[Hashable, Future[Any]] = {}

    def get(self, question: Hashable, compute: Callable[[], T]) -> T:
        epoch = (data_version(self.engine), self.clock().replace(second=0, microsecond=0))
        with self._lock:
            if epoch != self._epoch:  # new data or a new minute: forget everything older
                self._epoch, self._answers = epoch, {}
            future = self._answers.get(question)
            mine = future is None
            if future is None:
                future = self._answers[question] = Future()
        if not mine:
            return future.result()
        try:
            value = compute()
        except BaseException as exc:
            with self._lock:  # a failure is not kept: the next asker tries again
                if self._answers.get(question) is future:
                    del self._answers[question]
            future.set_exception(exc)
            raise
        future.set_result(value)
        return value
