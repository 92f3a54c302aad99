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
    "redact",
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


def redact(text: str, secrets: list[str]) -> str:
    """Remove every secret, and any long fragment of one, from text before it is shown.

    Providers echo part of a bad key back ("Incorrect API key provided: sk-admin-ab**...").
    We replace whole secrets and any 8+ character slice of them, which covers those echoes.
    """
    for secret in secrets:
        if not secret:
            continue
        text = text.replace(secret, "[redacted]")
        for size in (16, 12, 8):
            for start in range(0, max(len(secret) - size + 1, 0)):
                fragment = secret[start : start + size]
                if fragment in text:
                    text = text.replace(fragment, "[redacted]")
    return text
