"""What every billing source shares: `fetch` from `stream`; and for HTTP adapters one
`BillingHTTP`, built from a key and a base URL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import ClassVar

import httpx

from .collect import merge_batches
from .records import FetchResult
from .retry import RetryPolicy
from .transport import ADMIN_KEY_HINT, BillingHTTP

__all__ = ["HTTPSource", "StreamedSource"]


class StreamedSource:
    """A source that streams its window page by page; `fetch` gathers it into one result.

    Syncs stream (memory stays flat over a year of pages); `fetch` is for callers that want the
    window whole, such as a test asserting on what one request sequence returned.
    """

    name: str

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]:
        raise NotImplementedError

    def fetch(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> FetchResult:
        """Every day in [start, end) in one FetchResult."""
        return merge_batches(self.name, self.stream(start, end, progress=progress))


class HTTPSource(StreamedSource):
    """Base for adapters: subclasses name the provider, its key setting and its auth headers."""

    name: ClassVar[str]
    key_setting: ClassVar[str]
    default_base_url: ClassVar[str]
    key_hint: ClassVar[str] = ADMIN_KEY_HINT

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = BillingHTTP(
            provider=self.name,
            base_url=base_url or self.default_base_url,
            headers=self.auth_headers(api_key),
            key_setting=self.key_setting,
            secrets=[api_key],
            retry=retry,
            transport=transport,
            key_hint=self.key_hint,
        )

    @staticmethod
    def auth_headers(api_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key}"}

    def close(self) -> None:
        self._http.close()
