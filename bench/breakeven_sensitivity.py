"""What the break-even verdict hangs on, for the bundled sample, under every profile.

Builds the demo database from the sample pages (the same sync and storage as production), then
answers `aicost breakeven` under each profile as of the sample's moment: the verdict, the
break-even bill and its range over every uncertain input, the inputs that flip the verdict and
the value at which they do, and how long the sensitivity took to compute (it runs the model
again for each end of each range and for each bisection step).

    .venv/bin/python bench/breakeven_sensitivity.py [--monthly-spend USD]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from billing_adapters.samples import sample_as_of  # noqa: E402
from bot.core.breakeven import PROFILES  # noqa: E402
from bot.core.breakeven.sensitivity import sensitivity  # noqa: E402
from bot.core.money import format_usd  # noqa: E402
from bot.db.engine import connect  # noqa: E402
from bot.db.store import SpendStore  # noqa: E402
from bot.render.breakeven_text import flip_condition  # noqa: E402
from bot.runtime.demo import demo_settings, run_demo  # noqa: E402
from bot.services.breakeven import answer_breakeven  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monthly-spend", type=Decimal, help="a what-if bill, same token mix")
    args = parser.parse_args(argv)
    tz = ZoneInfo("UTC")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        run_demo(url, tz=tz)
        settings = demo_settings(url, tz)
        store = SpendStore(connect(url, migrate=False))
        try:
            for profile in PROFILES:
                report(store, settings, profile, args.monthly_spend)
        finally:
            store.engine.dispose()
    return 0


def report(store: SpendStore, settings, profile: str, spend: Decimal | None) -> None:  # noqa: ANN001
    answer, v = answer_breakeven(
        store, settings, now=sample_as_of(), profile=profile, monthly_spend=spend
    )
    result = answer.result
    print(f"{profile}: {v.headline}")
    if not result.capacity.fits:
        print("  the model does not fit: nothing to vary\n")
        return
    started = time.perf_counter()
    s = sensitivity(result.workload, result.assumptions)
    took = (time.perf_counter() - started) * 1000
    point = result.breakeven_api_usd
    span = s.breakeven_range
    print(
        f"  API bill {format_usd(result.workload.api_usd)}/month; break-even "
        f"{'never' if point is None else format_usd(point)}",
        end="",
    )
    if span is not None:
        top = "never" if span[1] is None else format_usd(span[1])
        print(f" (from {format_usd(span[0])} to {top} over the input ranges)", end="")
    print()
    flips = ", or ".join(flip_condition(f) for f in s.flips) or "no input within its range"
    print(f"  {'stops paying off' if s.pays_off else 'pays off'} if: {flips}")
    print(f"  sensitivity: {len(s.swings)} inputs in {took:.1f} ms\n")


if __name__ == "__main__":
    raise SystemExit(main())
