"""Billing adapters: each turns a provider's API pages into small records in exact USD:
`CostLine` and `TokenUsage` for AI providers, `MonthlyRevenue` for Stripe.
Depends on httpx and the standard library only."""

from .anthropic import AnthropicBilling
from .errors import (
    ProviderAuthError,
    ProviderError,
    ProviderResponseError,
    ProviderUnavailable,
)
from .openai import OpenAIBilling
from .openrouter import OpenRouterBilling
from .records import Balance, CostLine, FetchResult, TokenUsage
from .redaction import redact
from .retry import RetryPolicy
from .revisions import REVISION_DAYS, revision_days
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
