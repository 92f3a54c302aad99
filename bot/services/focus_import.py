"""`aicost import focus FILE`: a FOCUS export's AI charges swapped in, provider by provider.

The whole file is read and checked before anything is stored, so a malformed row or a foreign
currency stores nothing. Each provider's covered days are then replaced in one transaction (the
same swap a sync makes), with a run recorded, so freshness and `status` treat an import like a
sync of that provider, and importing the same file twice leaves the same rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from billing_adapters.focus import read_focus_file

from ..core.fx import billed
from ..core.records import SyncRecord
from ..db.store import SpendStore, sync_run

__all__ = ["ImportedProvider", "import_focus"]


@dataclass(frozen=True, slots=True)
class ImportedProvider:
    provider: str
    first_day: date
    last_day: date
    lines: int
    billed: dict[str, Decimal]  # per currency


def import_focus(
    store: SpendStore, path: Path, *, now: datetime, services: str | None = None
) -> tuple[list[ImportedProvider], int, int]:
    """Import path; returns each provider's covered days and AI total, and (rows, kept)."""
    pattern = re.compile(services, re.IGNORECASE) if services else None
    found = read_focus_file(path, services=pattern)
    imported = []
    for provider, result in sorted(found.results.items()):
        first, last = min(result.days), max(result.days)
        total = billed((c.currency, c.amount) for c in result.costs)
        message = f"FOCUS import of {path.name}: {len(result.days)} days, {len(result.costs)} lines"
        record = SyncRecord(
            provider, now, now, first, last + timedelta(days=1), ok=True, message=message
        )
        staged = store.stage(provider)
        try:
            staged.add(result)
        except BaseException:
            staged.discard()
            raise
        staged.swap(fetched_at=now, sync_run=sync_run(record))
        imported.append(ImportedProvider(provider, first, last, len(result.costs), total))
    return imported, found.rows, found.kept
