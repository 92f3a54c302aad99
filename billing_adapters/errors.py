"""Errors an adapter raises. Every message names the provider and never contains a secret.

ProviderError
 ├── ProviderAuthError      401/403: the key is wrong; retrying cannot help
 ├── ProviderUnavailable    429/5xx/timeouts that outlasted the retry policy
 └── ProviderResponseError  a page we could not read (truncated, not JSON, wrong shape)
"""

from __future__ import annotations

__all__ = [
    "ProviderAuthError",
    "ProviderError",
    "ProviderResponseError",
    "ProviderUnavailable",
]


class ProviderError(Exception):
    """A provider could not be read; `str(error)` is one line fit to show a user."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider


class ProviderAuthError(ProviderError):
    pass


class ProviderUnavailable(ProviderError):
    pass


class ProviderResponseError(ProviderError):
    pass
