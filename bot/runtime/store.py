"""The store on DATABASE_URL, as every command and the Slack app open it.

Apart from the billing sources (`wiring.py`): a command that only reads the store, such as
`aicost status`, then never imports the adapters or their HTTP client.
"""

from __future__ import annotations

from ..db.engine import connect
from ..db.store import SpendStore
from ..settings import Settings

__all__ = ["open_store"]


def open_store(settings: Settings) -> SpendStore:
    """The store on DATABASE_URL, migrated to the current schema."""
    return SpendStore(connect(settings.database_url), settings.fx)
