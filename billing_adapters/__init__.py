"""Provider billing adapters: each turns a provider's billing API pages into `CostLine` and
`TokenUsage` records in exact USD. Depends on httpx and the standard library only."""

from .anthropic import AnthropicBilling, collect_anthropic
from .errors import (
    ProviderAuthError,
    ProviderError,
    ProviderResponseError,
    ProviderUnavailable,
    redact,
)
from .openai import OpenAIBilling, collect_openai
from .records import CostLine, FetchResult, TokenUsage
from .retry import RetryPolicy

__all__ = [
    "AnthropicBilling",
    "CostLine",
    "FetchResult",
    "OpenAIBilling",
    "ProviderAuthError",
    "ProviderError",
    "ProviderResponseError",
    "ProviderUnavailable",
    "RetryPolicy",
    "TokenUsage",
    "collect_anthropic",
    "collect_openai",
    "redact",
]
