"""Spend per day for the days that were synced, with the coverage that says which those are.

Every answer built from a run of days (the forecast, the break-even window, the digest's
weeks) starts here, so that a day never synced is left out as unknown and a synced day
without spend counts as the real $0 it is: never the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.coverage import Coverage
from ..core.records import per_day
from ..db.store import SpendStore

__all__ = ["KnownSpend", "load_known_spend"]


@dataclass(frozen=True)
class KnownSpend:
    totals: dict[date, Decimal]  # every day in the window every provider synced, $0 included
    coverage: Coverage
    start: date
    end: date

    @property
    def missing(self) -> list[date]:
        return self.coverage.missing(self.start, self.end)


def load_known_spend(
    store: SpendStore,
    start: date,
    end: date,
    providers: Iterable[str] = (),
    *,
    only: str | None = None,
) -> KnownSpend:
    """Known daily totals in [start, end) for the configured and ever-synced providers, or for
    the one provider `only` names."""
    with store.reading() as reader:
        runs = reader.last_runs()
        fetched = reader.fetched_at(start, end)
        daily = reader.daily_spend(start, end)
    if only is not None:
        providers = [p for p in providers if p == only]
        runs = {p: r for p, r in runs.items() if p == only}
        fetched = {key: at for key, at in fetched.items() if key[0] == only}
        daily = [d for d in daily if d.provider == only]
    coverage = Coverage.of(set(providers) | set(runs) | {r.provider for r in daily}, fetched)
    return KnownSpend(coverage.team_totals(per_day(daily), start, end), coverage, start, end)
