"""How fresh each provider's data is: its last successful sync, its last error, whether stale.

Plain functions over stored sync records; `bot/services/freshness.py` reads those records for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from .coverage import ProviderFreshness
from .records import SyncRecord

__all__ = ["provider_freshness", "stale_providers"]


def provider_freshness(
    names: Iterable[str],
    *,
    last_success: Mapping[str, SyncRecord | None],
    last_runs: Mapping[str, SyncRecord],
) -> list[ProviderFreshness]:
    """When each provider (named, or ever synced) last synced, and its latest error if failing."""
    freshness = []
    for name in sorted(set(names) | set(last_runs)):
        success = last_success.get(name)
        latest = last_runs.get(name)
        freshness.append(
            ProviderFreshness(
                provider=name,
                last_success_at=success.finished_at if success else None,
                last_error=latest.message if latest is not None and not latest.ok else None,
            )
        )
    return freshness


def stale_providers(
    freshness: Iterable[ProviderFreshness], *, now: datetime, hours: Decimal
) -> list[ProviderFreshness]:
    """Providers that did sync once but not for more than `hours`: their figures have stopped.
    A provider never synced is not stale, it is new; status says "never synced" for it."""
    limit = timedelta(hours=float(hours))
    return [
        f for f in freshness if f.last_success_at is not None and now - f.last_success_at > limit
    ]
