"""HTTP for billing adapters: one GET-JSON call with the shared retry policy, and cursor paging.

Both OpenAI and Anthropic page the same way (`has_more` + `next_page`, sent back as `page`),
so the pager lives here once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from .errors import ProviderAuthError, ProviderResponseError, ProviderUnavailable
from .redaction import redact
from .retry import RETRYABLE_STATUS, RetryPolicy

__all__ = ["NEXT_PAGE", "BillingHTTP", "Cursor", "MAX_PAGES"]

MAX_PAGES = 10_000

# What a rejected key should have been; OpenAI and Anthropic both need an organization admin key.
ADMIN_KEY_HINT = "it must be an organization admin key with access to usage and cost reports"

Params = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a paged list keeps the cursor to its next page, and which parameter sends it back."""

    param: str
    read: Callable[[dict[str, Any]], object]
    missing: str  # finishes "<path> says has_more but ..." when the cursor is absent


NEXT_PAGE = Cursor("page", lambda page: page.get("next_page"), "gives no next_page cursor")


class BillingHTTP:
    """A provider's HTTP endpoint: base URL, auth headers, retries, and secret-safe errors."""

    def __init__(
        self,
        *,
        provider: str,
        base_url: str,
        headers: Mapping[str, str],
        key_setting: str,
        secrets: list[str],
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        key_hint: str = ADMIN_KEY_HINT,
        auth: httpx.Auth | None = None,
        retry_after_headers: tuple[str, ...] = ("retry-after",),
    ) -> None:
        self.provider = provider
        self.key_setting = key_setting
        self.key_hint = key_hint
        # Azure sends several retry headers (per tenant, per query unit, ...): the longest wins.
        self.retry_after_headers = retry_after_headers
        self._secrets = secrets
        self.retry = retry or RetryPolicy()
        self._client = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            headers={"User-Agent": "aicost/0.1 (+https://github.com/aicost/aicost)", **headers},
            timeout=timeout,
            transport=transport,
            auth=auth,
        )

    def close(self) -> None:
        self._client.close()

    def get_json(self, path: str, params: Params) -> dict[str, Any]:
        """GET path and return its JSON object, retrying what is worth retrying."""
        return self._json("GET", path, params, None)

    def post_json(
        self, path: str, body: Mapping[str, Any], *, params: Params | None = None
    ) -> dict[str, Any]:
        """POST a JSON body to path (or to an absolute URL on the same host, a next link)."""
        return self._json("POST", path, params, body)

    def _retry_after(self, response: httpx.Response) -> float | None:
        waits = [self.retry.retry_after(response.headers.get(h)) for h in self.retry_after_headers]
        known = [w for w in waits if w is not None]
        return max(known) if known else None

    def _json(
        self, method: str, path: str, params: Params | None, body: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        last_problem = "no attempt made"
        absolute = path.startswith(("http://", "https://"))
        if absolute and not path.startswith(str(self._client.base_url)):
            # A next link elsewhere would carry our credentials to another host.
            raise ProviderResponseError(self.provider, "a next link points to another host")
        target = path if absolute else path.lstrip("/")
        for attempt in range(1, self.retry.max_attempts + 1):
            wait: float | None = None
            try:
                response = self._client.request(method, target, params=params, json=body)
            except httpx.TimeoutException:
                last_problem = "timed out"
            except httpx.TransportError as exc:
                last_problem = f"connection failed ({type(exc).__name__})"
            else:
                status = response.status_code
                if status in (401, 403):
                    raise ProviderAuthError(
                        self.provider,
                        f"HTTP {status}: the key in {self.key_setting} was rejected; "
                        f"{self.key_hint}",
                    )
                if status == 200:
                    try:
                        # parse_float=Decimal: amounts stay exactly what the provider sent.
                        body = json.loads(response.content, parse_float=Decimal)
                    except (json.JSONDecodeError, UnicodeDecodeError):
                        last_problem = "returned a page that is not valid JSON (truncated?)"
                    else:
                        if isinstance(body, dict):
                            return body
                        last_problem = "returned JSON that is not an object"
                elif status in RETRYABLE_STATUS:
                    last_problem = f"HTTP {status}{self._detail(response)}"
                    wait = self._retry_after(response)
                    if wait is not None and wait > self.retry.max_retry_after:
                        raise ProviderUnavailable(
                            self.provider,
                            f"rate limited; asked to wait {wait:.0f}s, more than the "
                            f"{self.retry.max_retry_after:.0f}s we allow; will retry next sync",
                        )
                else:
                    raise ProviderResponseError(
                        self.provider, f"HTTP {status} for {path}{self._detail(response)}"
                    )
            if attempt == self.retry.max_attempts:
                break
            self.retry.sleep(wait if wait is not None else self.retry.backoff(attempt))
        raise ProviderUnavailable(
            self.provider, f"{path} {last_problem}; gave up after {self.retry.max_attempts} tries"
        )

    def iter_pages(
        self,
        path: str,
        params: Params,
        *,
        on_page: Callable[[int], None] | None = None,
        cursor: Cursor | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield every page of a cursor-paged list until `has_more` ends.

        The cursor is the `next_page` token (OpenAI, Anthropic) unless `cursor` says otherwise
        (Stripe pages from the last row's id). A missing or repeated cursor, or more than
        MAX_PAGES pages, is a ProviderResponseError: a list that never ends is a broken one.
        """
        cursor = cursor or NEXT_PAGE
        token: str | None = None
        seen: set[str] = set()
        for number in range(1, MAX_PAGES + 1):
            page_params = dict(params)
            if token is not None:
                page_params[cursor.param] = token
            page = self.get_json(path, page_params)
            if not isinstance(page.get("data"), list):
                raise ProviderResponseError(self.provider, f"{path} page has no 'data' list")
            if on_page is not None:
                on_page(number)
            yield page
            if not page.get("has_more"):
                return
            token = cursor.read(page)
            if not isinstance(token, str) or not token:
                raise ProviderResponseError(
                    self.provider, f"{path} says has_more but {cursor.missing}"
                )
            if token in seen:
                raise ProviderResponseError(self.provider, f"{path} repeated a page cursor")
            seen.add(token)
        raise ProviderResponseError(self.provider, f"{path} returned more than {MAX_PAGES} pages")

    def _detail(self, response: httpx.Response) -> str:
        """The provider's own error message, if any, with secrets removed."""
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return ""
        error = body.get("error") if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        if not isinstance(message, str) or not message:
            return ""
        return ": " + redact(message, self._secrets)[:200]
