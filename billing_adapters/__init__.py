"""Billing adapters: each turns a provider's API pages into small records in exact USD:
`CostLine` and `TokenUsage` for AI providers, `MonthlyRevenue` for Stripe.
Depends on httpx and the standard library only.

The records, errors, redaction and retry policy load with the package; the adapters (and
httpx with them, about 0.1 s) load when first named, so a command that only reads the store,
such as `aicost status`, never imports an HTTP client.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import (
    ProviderAuthError,
    ProviderError,
    ProviderResponseError,
    ProviderUnavailable,
)
from .records import Balance, CostLine, FetchResult, TokenUsage
from .redaction import redact
from .retry import RetryPolicy
from .revisions import REVISION_DAYS, revision_days

if TYPE_CHECKING:
    from .anthropic import AnthropicBilling
    from .openai import OpenAIBilling
    from .openrouter import OpenRouterBilling
    from .stripe import MonthlyRevenue, StripeRevenue

__all__ = [
    "AnthropicBilling",
    "Balance",
    "CostLine",
    "FetchResult",
    "MonthlyRevenue",
    "OpenAIBilling",
    "OpenRouterBilling",
    "ProviderAuthError",
    "ProviderError",
    "ProviderResponseError",
    "ProviderUnavailable",
    "REVISION_DAYS",
    "RetryPolicy",
    "StripeRevenue",
    "TokenUsage",
    "redact",
    "revision_days",
]

# Each adapter's name and the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "AnthropicBilling": ".anthropic",
    "OpenAIBilling": ".openai",
    "OpenRouterBilling": ".openrouter",
    "MonthlyRevenue": ".stripe",
    "StripeRevenue": ".stripe",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value
