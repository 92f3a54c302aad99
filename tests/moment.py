"""The moment the whole suite runs at: one pinned "now", never the date the tests happen to run.

`AICOST_TEST_NOW` (an ISO moment with its offset) moves it, which is how `.ci/run` replays the
suite on the dates where calendars break: the 1st of a month, 1 Jan, 29 Feb, the last day of a
31-day month, the days clocks change. In-process tests get it through `bot.clock.pin` (an
autouse fixture); a child `aicost` gets it as AICOST_AS_OF through `clean_env`. Test data is
made relative to it, so every run sees the same shape of calendar around "today".
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

__all__ = ["TEST_NOW", "TEST_TODAY", "days_back"]

DEFAULT = "2026-11-17T12:00:00+00:00"  # a Tuesday in the middle of a 30-day month

_GIVEN = os.environ.get("AICOST_TEST_NOW") or DEFAULT
TEST_NOW: datetime = datetime.fromisoformat(_GIVEN).astimezone(UTC)
TEST_TODAY: date = TEST_NOW.date()


def days_back(n: int) -> date:
    """The UTC day n days before the pinned today."""
    return TEST_TODAY - timedelta(days=n)
