"""Back-test the month-end forecast against the naive run rate, and print both errors.

For every complete month with enough history, it pretends to be the 15th, forecasts the month
from the days before only, and compares with what the month really cost. The naive run rate is
month-to-date ÷ days elapsed × days in month.

    python bench/forecast_backtest.py                      # bundled demo data + synthetic series
    python bench/forecast_backtest.py --database URL       # a real database's stored history

Stored history is often only a few months long, so the same back-test also runs on two years of
synthetic spend with known growth, weekly pattern, noise and spikes, over several seeds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from billing_adapters.samples import sample_as_of
from bot.core.backtest import BacktestResult, backtest, synthetic_daily_spend
from bot.core.clock import utc_now
from bot.core.forecast import forecast_spend
from bot.core.money import format_usd
from bot.db.engine import connect
from bot.db.store import SpendStore
from bot.runtime.demo import run_demo

SYNTHETIC_START = date(2024, 1, 1)
SYNTHETIC_DAYS = 731
SYNTHETIC = {"monthly_growth": 0.06, "noise": 0.1, "spike_chance": 0.01}
SYNTHETIC_TEXT = (
    "+6 %/month growth, weekends at 45 % of weekdays, 10 % daily noise, 1 % of days a 3-5x spike"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", metavar="URL", help="back-test this database's history")
    parser.add_argument("--day", type=int, default=15, help="day of the month to forecast from")
    parser.add_argument("--min-history", type=int, default=28, help="days needed before it")
    parser.add_argument("--seeds", type=int, default=20, help="synthetic series to average over")
    args = parser.parse_args(argv)

    if args.database:
        label, today = "Stored history in --database", utc_now().date()
        try:
            daily = stored_daily(args.database, today)
        except SQLAlchemyError as error:
            reason = type(error).__name__
            print(f"--database: cannot read stored spend ({reason}); is it an aicost database?")
            return 2
    else:
        label, today = "Bundled demo sample data", sample_as_of().date()
        daily = demo_daily(today)
    stored = backtest(daily, day_of_month=args.day, min_history=args.min_history, today=today)
    section(f"{label}: {describe(daily, today)}")
    report(stored, args.min_history)
    current = forecast_spend(daily, today=today, horizon=12)
    if current:
        end = current.month_end
        print(
            f"\nForecast as of {today}: month end {format_usd(end.point)} "
            f"[{format_usd(end.low)} – {format_usd(end.high)}]\n{current.method}"
        )

    synthetic = synthetic_daily_spend(SYNTHETIC_START, SYNTHETIC_DAYS, seed=0, **SYNTHETIC)
    section(f"Synthetic series, seed 0: {describe(synthetic, None)}; {SYNTHETIC_TEXT}")
    report(
        backtest(synthetic, day_of_month=args.day, min_history=args.min_history), args.min_history
    )
    seeds(args.seeds, args.day, args.min_history)
    return 0


def demo_daily(today: date) -> dict[date, Decimal]:
    """Build the demo database in a temporary directory and read its daily totals."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        run_demo(url, tz=ZoneInfo("UTC"))
        return stored_daily(url, today)


def stored_daily(url: str, today: date) -> dict[date, Decimal]:
    """Spend per day, all providers summed; days on or after today are left out."""
    engine = connect(url, migrate=False)  # a benchmark reads; it does not change the schema
    try:
        rows = SpendStore(engine).daily_spend(date(1970, 1, 1), today)
    finally:
        engine.dispose()
    daily: dict[date, Decimal] = defaultdict(Decimal)
    for row in rows:
        daily[row.day] += row.amount_usd
    return dict(daily)


def describe(daily: dict[date, Decimal], today: date | None) -> str:
    if not daily:
        return "no stored spend"
    first, last = min(daily), max(daily)
    span = f"{first:%d %b %Y} – {last:%d %b %Y}"
    return f"{span}, {(last - first).days + 1} complete days" + (
        f", today {today}" if today else ""
    )


def section(title: str) -> None:
    print(f"\n{title}\n{'=' * min(len(title), 100)}")


def report(result: BacktestResult, min_history: int) -> None:
    """The per-month table, then the two errors and how often the range held."""
    rows = result.rows
    need = f" with {min_history}+ days of history before it" if min_history else ""
    print(f"Forecast from day {result.day_of_month}{need}: {len(rows)} month(s) tested")
    if not rows:
        print("No complete month qualifies yet: the back-test needs more stored history.")
        return
    print(
        f"{'month':<8} {'actual':>11}  {'forecast':>11} {'80 % range':>25} {'error':>8}  "
        f"{'run rate':>11} {'error':>8}  in range"
    )
    for row in rows:
        forecast = row.forecast
        span = f"{format_usd(forecast.low)} – {format_usd(forecast.high)}"
        print(
            f"{row.month:%Y-%m}  {format_usd(row.actual):>11}  {format_usd(forecast.point):>11} "
            f"{span:>25} {row.forecast_error_pct!s:>6} %  {format_usd(row.naive):>11} "
            f"{row.naive_error_pct!s:>6} %  {'yes' if row.inside else 'no'}"
        )
    held = sum(1 for r in rows if r.inside)
    print(f"Mean absolute error, forecast:       {result.forecast_mape_pct} %")
    print(f"Mean absolute error, naive run rate: {result.naive_mape_pct} %")
    print(f"Range held the actual total:         {held} of {len(rows)} ({result.hit_rate_pct} %)")


def seeds(count: int, day: int, min_history: int) -> None:
    """The synthetic back-test over many seeds, so one lucky series proves nothing."""
    if count <= 0:
        return
    results = [
        backtest(
            synthetic_daily_spend(SYNTHETIC_START, SYNTHETIC_DAYS, seed=seed, **SYNTHETIC),
            day_of_month=day,
            min_history=min_history,
        )
        for seed in range(count)
    ]
    forecast = [float(r.forecast_mape_pct or 0) for r in results]
    naive = [float(r.naive_mape_pct or 0) for r in results]
    hits = [float(r.hit_rate_pct or 0) for r in results]
    wins = sum(1 for f, n in zip(forecast, naive, strict=True) if f < n)
    months = sum(len(r.rows) for r in results)
    section(f"Synthetic series, seeds 0-{count - 1}: {months} month-ends in all")
    print(f"Mean absolute error, forecast:       {statistics.fmean(forecast):.2f} %")
    print(f"Mean absolute error, naive run rate: {statistics.fmean(naive):.2f} %")
    print(f"Range held the actual total:         {statistics.fmean(hits):.1f} % of months")
    print(f"Forecast beat the run rate on {wins} of {count} series")


if __name__ == "__main__":
    sys.exit(main())
