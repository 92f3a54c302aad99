"""Time what the Slack handlers do behind their ack, in a process like the bot's own.

    python bench/handler_latency.py DATABASE_URL RUNS     # prints one JSON object

The sources are configured as the environment says (sync_scale.py passes every source's settings,
as for its syncs: a team that configured everything; nothing is fetched here).
Run by sync_scale.py as a fresh child: the benchmark itself holds a million generated rows, and
Python's garbage collector walking them showed up as the handlers' tail latency. Measured, p50
and p99 in milliseconds after warm-up: `status` (figures + blocks), `breakeven` (report, verdict
and blocks), the weekly digest (figures + blocks; the chart is matplotlib's time), and the floor:
one raw SQL `SUM` over the window of cost rows status covers, on a fresh connection each time.
`status` and `breakeven` are computed each run, as on the first question after a sync (the bot
keeps each answer until the data changes); `*_cached` are the same questions answered from that
cache, as every later asker gets them.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import sqlalchemy as sa

from bot.core.clock import month_start, next_month_start, previous_month_start, utc_now
from bot.core.status import FORECAST_DAYS, GROWTH_MONTHS
from bot.render.breakeven_blocks import breakeven_blocks
from bot.render.digest_render import digest_blocks
from bot.render.status_blocks import status_blocks
from bot.runtime.heap import settle_heap
from bot.services.breakeven import answer_breakeven
from bot.services.breakeven_query import BreakEvenQuery
from bot.services.digest import build_digest
from bot.services.status import team_status
from bot.settings import load_settings
from bot.slack.services import SlackServices


def status_window(today: date) -> tuple[date, date]:
    """The days `load_status` reads (see bot.services.status.load_status)."""
    start = month_start(today)
    for _ in range(GROWTH_MONTHS + 1):
        start = previous_month_start(start)
    return min(start, today - timedelta(days=FORECAST_DAYS)), next_month_start(today)


def percentiles(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """p50 and p99 in milliseconds, after a few warm-up runs."""
    for _ in range(3):
        run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[98]


def main() -> None:
    url, runs = sys.argv[1], int(sys.argv[2])
    settings = load_settings(DATABASE_URL=url, AICOST_TIMEZONE="UTC")
    services = SlackServices.from_settings(settings)
    settle_heap()  # as `aicost serve` does once its app is built (bot/runtime/heap.py)
    engine, now = services.store.engine, utc_now()
    start, end = status_window(now.date())
    raw_sum = sa.text("SELECT SUM(amount_nanos) FROM cost_lines WHERE day >= :s AND day < :e")

    def floor() -> None:
        with engine.connect() as connection:  # type: ignore[union-attr]
            connection.execute(raw_sum, {"s": start, "e": end}).scalar()

    store = services.store
    figures = {
        "status": percentiles(
            lambda: status_blocks(team_status(store, settings, now=utc_now())), runs
        ),
        "breakeven": percentiles(
            lambda: breakeven_blocks(*answer_breakeven(store, settings, now=utc_now())), runs
        ),
        "status_cached": percentiles(lambda: status_blocks(services.status()), runs),
        "breakeven_cached": percentiles(
            lambda: breakeven_blocks(*services.breakeven(BreakEvenQuery())), runs
        ),
        "digest": percentiles(
            lambda: digest_blocks(build_digest(services.store, settings, now=now)), runs
        ),
        "sum_floor": percentiles(floor, runs),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
