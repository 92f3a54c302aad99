"""`aicost demo`: a demo database built from the bundled sample pages, and its status.

No keys and no Slack: the sample pages go through the same parsers, the same sync and the same
storage as production, and the status is rendered as a user would see it, as of the moment the
sample data describes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from billing_adapters.samples import SampleBilling, sample_as_of

from .db.engine import connect
from .db.store import SpendStore
from .status import StatusReport, load_status
from .sync import SyncOutcome, run_sync

__all__ = ["DEMO_BUDGET_USD", "DEMO_DATABASE", "DemoRun", "run_demo"]

DEMO_DATABASE = "sqlite:///aicost-demo.db"
DEMO_SINCE = date(2026, 8, 1)
# Shown when AICOST_MONTHLY_BUDGET_USD is not set, so the demo shows a budget line.
DEMO_BUDGET_USD = Decimal("12000")


@dataclass(frozen=True)
class DemoRun:
    outcomes: list[SyncOutcome]
    report: StatusReport


def run_demo(
    database_url: str,
    *,
    tz: ZoneInfo,
    budget_usd: Decimal | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoRun:
    """Sync the sample pages into database_url (replacing, never adding) and load the status."""
    store = SpendStore(connect(database_url))
    now = sample_as_of()
    sources = [SampleBilling("openai"), SampleBilling("anthropic")]
    outcomes = run_sync(
        store,
        sources,
        now=now,
        today_local=now.astimezone(tz).date(),
        since=DEMO_SINCE,
        progress=progress,
    )
    report = load_status(
        store, now=now, tz=tz, providers=[s.name for s in sources], budget_usd=budget_usd
    )
    store.engine.dispose()
    return DemoRun(outcomes=outcomes, report=report)
