"""The moment the whole suite runs at: one pinned "now", never the date the tests happen to run.

`AICOST_TEST_NOW` (an ISO moment with its offset) moves it, which is how `.ci/run` replays the
suite on the dates where calendars break: the 1st of a month, 1 Jan, 29 Feb, the last day of a
31-day month, the days clocks change. In-process tests get it through `bot.core.clock.pin` (an
autouse fixture); a child `aicost` gets it as AICOST_AS_OF through `clean_env`, and
`AICOST_TEST_TIMEZONE` as its default AICOST_TIMEZONE. Test data is
made relative to it, so every run sees the same shape of calendar around "today".
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

__all__ = ["TEST_NOW", "TEST_TIMEZONE", "TEST_TODAY"]

DEFAULT = "2026-11-17T12:00:00+00:00"  # a Tuesday in the middle of a 30-day month

_GIVEN = os.environ.get("AICOST_TEST_NOW") or DEFAULT
TEST_NOW: datetime = datetime.fromisoformat(_GIVEN).astimezone(UTC)
TEST_TODAY: date = TEST_NOW.date()
# The zone a child aicost runs in unless a test names one (AICOST_TIMEZONE); the DST passes
# of .ci/run set it to a zone whose clocks change on the pinned day.
TEST_TIMEZONE: str = os.environ.get("AICOST_TEST_TIMEZONE") or "UTC"
