"""Building the real parts from settings: the store and the configured billing sources.

The CLI, the Slack app and the demo all get their parts here, so each is built one way.
"""

from __future__ import annotations

from pydantic import SecretStr

from billing_adapters import AnthropicBilling, OpenAIBilling, OpenRouterBilling, RetryPolicy
from billing_adapters.base import HTTPSource

from ..db.engine import connect
from ..db.store import SpendStore
from ..services.sync import BillingSource
from ..settings import Settings

__all__ = [
    "PROVIDERS",
    "SOURCES",
    "billing_sources",
    "open_store",
]

# Each AI billing source: its adapter and the settings that hold its key and base URL. One
# line per source, so a new one is registered here and nowhere else in the wiring.
SOURCES: dict[str, tuple[type[HTTPSource], str, str]] = {
    "openai": (OpenAIBilling, "openai_admin_key", "openai_base_url"),
    "anthropic": (AnthropicBilling, "anthropic_admin_key", "anthropic_base_url"),
    "openrouter": (OpenRouterBilling, "openrouter_management_key", "openrouter_base_url"),
}
PROVIDERS = tuple(SOURCES)


def open_store(settings: Settings) -> SpendStore:
    """The store on DATABASE_URL, migrated to the current schema."""
    return SpendStore(connect(settings.database_url))


def billing_sources(
    settings: Settings, *, only: str | None = None, retry: RetryPolicy | None = None
) -> list[BillingSource]:
    """The configured sources (those whose key is set), or only the one named."""
    sources: list[BillingSource] = []
    for name, (adapter, key_field, url_field) in SOURCES.items():
        key: SecretStr | None = getattr(settings, key_field)
        if key is not None and only in (None, name):
            sources.append(
                adapter(
                    api_key=key.get_secret_value(),
                    base_url=getattr(settings, url_field),
                    retry=retry,
                )
            )
    return sources
