"""Building the configured billing sources from settings.

The CLI, the Slack app and the demo all get their sources here, so each is built one way (the
store is opened in `store.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import SecretStr

from billing_adapters import AnthropicBilling, OpenAIBilling, OpenRouterBilling, RetryPolicy
from billing_adapters.azure import AzureBilling, TokenSource
from billing_adapters.base import HTTPSource
from billing_adapters.bedrock import BedrockBilling
from billing_adapters.gcp import GcpBillingExport

from ..services.sync import BillingSource
from ..settings import Settings

__all__ = [
    "PROVIDERS",
    "SOURCES",
    "Source",
    "billing_sources",
]


@dataclass(frozen=True, slots=True)
class Source:
    """A billing source: the setting that turns it on, and how it is built when it is set."""

    setting: str
    build: Callable[[Settings, RetryPolicy | None], BillingSource | None]


def _http(adapter: type[HTTPSource], key_field: str, url_field: str) -> Source:
    """An HTTP source configured by a key (unset = not configured) and a base URL."""

    def build(settings: Settings, retry: RetryPolicy | None) -> BillingSource | None:
        key: SecretStr | None = getattr(settings, key_field)
        if key is None:
            return None
        return adapter(
            api_key=key.get_secret_value(), base_url=getattr(settings, url_field), retry=retry
        )

    return Source(adapter.key_setting, build)


def _bedrock(settings: Settings, retry: RetryPolicy | None) -> BillingSource | None:
    if not settings.aws_bedrock:
        return None
    return BedrockBilling(profile=settings.aws_profile, endpoint_url=settings.aws_endpoint_url)


def _gcp(settings: Settings, retry: RetryPolicy | None) -> BillingSource | None:
    if not settings.gcp_billing_table:
        return None
    return GcpBillingExport(
        table=settings.gcp_billing_table,
        project=settings.gcp_project,
        services=settings.gcp_services,
        endpoint=settings.gcp_endpoint_url,
    )


def _azure(settings: Settings, retry: RetryPolicy | None) -> BillingSource | None:
    if not settings.azure_scope:
        return None
    return AzureBilling(
        scope=settings.azure_scope,
        credential=_LazyAzureCredential(settings),
        base_url=settings.azure_base_url,
        services=settings.azure_services,
        retry=retry,
    )


class _LazyAzureCredential:
    """azure-identity (the `azure` extra) is imported at the first token, not at start-up."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._credential: TokenSource | None = None

    def get_token(self, *scopes: str) -> object:
        if self._credential is None:
            from azure.identity import ClientSecretCredential, DefaultAzureCredential

            s = self._settings
            if s.azure_client_secret is not None and s.azure_tenant_id and s.azure_client_id:
                self._credential = ClientSecretCredential(
                    s.azure_tenant_id, s.azure_client_id, s.azure_client_secret.get_secret_value()
                )
            else:
                self._credential = DefaultAzureCredential()
        return self._credential.get_token(*scopes)


# Each AI billing source and what configures it. One line per source, so a new one is
# registered here and nowhere else in the wiring.
SOURCES: dict[str, Source] = {
    "openai": _http(OpenAIBilling, "openai_admin_key", "openai_base_url"),
    "anthropic": _http(AnthropicBilling, "anthropic_admin_key", "anthropic_base_url"),
    "openrouter": _http(OpenRouterBilling, "openrouter_management_key", "openrouter_base_url"),
    "aws-bedrock": Source("AICOST_AWS_BEDROCK", _bedrock),
    "azure": Source("AICOST_AZURE_SCOPE", _azure),
    "gcp-vertex": Source("AICOST_GCP_BILLING_TABLE", _gcp),
}
PROVIDERS = tuple(SOURCES)


def billing_sources(
    settings: Settings, *, only: str | None = None, retry: RetryPolicy | None = None
) -> list[BillingSource]:
    """The configured sources (those whose setting is set), or only the one named."""
    sources: list[BillingSource] = []
    for name, source in SOURCES.items():
        if only in (None, name) and (built := source.build(settings, retry)) is not None:
            sources.append(built)
    return sources
