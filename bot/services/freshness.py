"""How fresh each provider's data is: its last successful sync, its last error, whether stale.

Status, the forecast, break-even and the alerts all say how fresh their figures are; this is
the one place that reads it from the stored sync runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.coverage import ProviderFreshness
from ..core.freshness import provider_freshness
from ..db.store import SpendStore

__all__ = ["load_freshness"]


def load_freshness(store: SpendStore, providers: Iterable[str]) -> list[ProviderFreshness]:
    """`provider_freshness` from the stored sync runs, for answers that need no more of status."""
    providers = list(providers)
    runs, success = store.latest_syncs(providers)
    return provider_freshness(set(providers) | set(runs), last_success=success, last_runs=runs)
