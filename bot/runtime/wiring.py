"""Building the real parts from settings: the store and the configured billing sources.

The CLI, the Slack app and the demo all get their parts here, so each is built one way.
"""

from __future__ import annotations

from billing_adapters import AnthropicBilling, OpenAIBilling, RetryPolicy

from ..db.engine import connect
from ..db.store import SpendStore
from ..services.sync import BillingSource
from ..settings import Settings

__all__ = [
    "PROVIDERS",
    "billing_sources",
    "open_store",
]

PROVIDERS = ("openai", "anthropic")


def open_store(settings: Settings) -> SpendStore:
    """The store on DATABASE_URL, migrated to the current schema."""
    return SpendStore(connect(settings.database_url))


def billing_sources(
    settings: Settings, *, only: str | None = None, retry: RetryPolicy | None = None
) -> list[BillingSource]:
    sources: list[BillingSource] = []
    if settings.openai_admin_key is not None and only in (None, "openai"):
        sources.append(
            OpenAIBilling(
                api_key=settings.openai_admin_key.get_secret_value(),
                base_url=settings.openai_base_url,
                retry=retry,
            )
        )
    if settings.anthropic_admin_key is not None and only in (None, "anthropic"):
        sources.append(
            AnthropicBilling(
                api_key=settings.anthropic_admin_key.get_secret_value(),
                base_url=settings.anthropic_base_url,
                retry=retry,
            )
        )
    return sources
