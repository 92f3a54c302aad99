"""Putting a whole fetch into the store in one call, as the tests need to set up a database.

Production syncs stream pages into a `StagedSync` and swap them in at the end; a test usually
holds the whole `FetchResult` already, so this stages it in one piece and swaps it in, through
the same code path and the same single transaction.
"""

from __future__ import annotations

from datetime import datetime

from billing_adapters import FetchResult
from bot.core.records import SyncRecord
from bot.db.store import SpendStore, sync_run

__all__ = ["swap_in"]


def swap_in(
    store: SpendStore,
    result: FetchResult,
    *,
    fetched_at: datetime,
    record: SyncRecord | None = None,
) -> None:
    """Swap in everything `result` holds; `record`, if given, goes into the same transaction."""
    staged = store.stage(result.provider)
    staged.add(result)
    staged.swap(fetched_at=fetched_at, sync_run=None if record is None else sync_run(record))
