"""Azure OpenAI / Azure AI Foundry spend through the Cost Management Query API (REST, httpx).

`POST {scope}/providers/Microsoft.CostManagement/query?api-version=2023-11-01` answers a table:
`properties.columns` names each position of `properties.rows`; with daily granularity a
`UsageDate` column (20261104 for 4 Nov 2026) is added; the cost is a JSON number in the
currency of its `Currency` column; `properties.nextLink` pages (the same body POSTed to it).
See PROVIDER_APIS.md §5. Daily `PreTaxCost` is asked for, grouped by meter and resource
(resource ids only exist at subscription and resource-group scopes; above them, by
subscription), filtered to the AI services by `ServiceName`: the labels have changed over the
years ("Cognitive Services", "Foundry Models"), so the list is a setting.

Throttling is by query-processing units per tenant: a 429 carries `Retry-After` and several
`x-ms-ratelimit-microsoft.costmanagement-*-retry-after` headers, and the longest is waited.
The token is Microsoft Entra ID's, for `https://management.azure.com/.default`, from
azure-identity (a client secret, or a managed identity): an optional extra, imported only when
this source is built. The identity needs Cost Management Reader on the scope.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

import httpx

from .base import StreamedSource
from .collect import MAX_LINE_AMOUNT, to_currency, to_decimal, to_text
from .errors import ProviderAuthError, ProviderResponseError
from .records import CostLine, FetchResult
from .retry import RetryPolicy
from .transport import BillingHTTP

__all__ = [
    "API_VERSION",
    "DEFAULT_BASE_URL",
    "DEFAULT_SERVICES",
    "AzureBilling",
    "TokenSource",
]

PROVIDER = "azure"
DEFAULT_BASE_URL = "https://management.azure.com"
API_VERSION = "2023-11-01"
TOKEN_SCOPE = "https://management.azure.com/.default"
DEFAULT_SERVICES = ("Cognitive Services", "Foundry Models", "Azure OpenAI")
RETRY_HEADERS = (
    "retry-after",
    "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after",
    "x-ms-ratelimit-microsoft.costmanagement-entity-retry-after",
    "x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after",
    "x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after",
)
SETTING = "the AICOST_AZURE_* settings"
CREDENTIAL_HINT = (
    "the identity (AICOST_AZURE_TENANT_ID, AICOST_AZURE_CLIENT_ID, AICOST_AZURE_CLIENT_SECRET, "
    "or a managed identity) needs Cost Management Reader on the scope"
)


class TokenSource(Protocol):
    """What azure-identity's credentials offer: `get_token(scope).token`."""

    def get_token(self, *scopes: str) -> Any: ...


class _EntraBearer(httpx.Auth):
    """Adds a fresh Entra ID token to every request (the credential caches and renews it)."""

    def __init__(self, credential: TokenSource) -> None:
        self._credential = credential

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        try:
            token = self._credential.get_token(TOKEN_SCOPE).token
        except Exception as exc:  # noqa: BLE001 - any credential failure is the same to a user
            raise ProviderAuthError(
                PROVIDER,
                f"no Entra ID token ({type(exc).__name__}); {CREDENTIAL_HINT}",
            ) from None
        request.headers["Authorization"] = f"Bearer {token}"
        yield request


class AzureBilling(StreamedSource):
    """Reads the AI services' part of an Azure scope's costs."""

    name = PROVIDER

    def __init__(
        self,
        *,
        scope: str,
        credential: TokenSource,
        base_url: str = DEFAULT_BASE_URL,
        services: Sequence[str] = DEFAULT_SERVICES,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.scope = scope.strip("/")
        self.services = list(services)
        self._http = BillingHTTP(
            provider=PROVIDER,
            base_url=base_url,
            headers={"Content-Type": "application/json"},
            key_setting=SETTING,
            secrets=[],
            retry=retry,
            transport=transport,
            key_hint=CREDENTIAL_HINT,
            auth=_EntraBearer(credential),
            retry_after_headers=RETRY_HEADERS,
        )

    def _body(self, start: date, end: date) -> dict[str, Any]:
        by_resource = self.scope.lower().startswith("subscriptions/")
        return {
            "type": "Usage",
            "timeframe": "Custom",
            "timePeriod": {
                "from": f"{start.isoformat()}T00:00:00Z",
                "to": f"{(end - timedelta(days=1)).isoformat()}T23:59:59Z",
            },
            "dataset": {
                "granularity": "Daily",
                "aggregation": {"totalCost": {"name": "PreTaxCost", "function": "Sum"}},
                "grouping": [
                    {"type": "Dimension", "name": "Meter"},
                    {
                        "type": "Dimension",
                        "name": "ResourceId" if by_resource else "SubscriptionName",
                    },
                ],
                "filter": {
                    "dimensions": {"name": "ServiceName", "operator": "In", "values": self.services}
                },
            },
        }

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]:
        """The window in one result (pages gathered: a day's rows may run over two pages)."""
        body = self._body(start, end)
        path = f"{self.scope}/providers/Microsoft.CostManagement/query"
        url: str | None = None
        lines: dict[tuple[object, ...], CostLine] = {}
        for number in range(1, 1001):
            page = (
                self._http.post_json(path, body, params={"api-version": API_VERSION})
                if url is None
                else self._http.post_json(url, body)
            )
            if progress:
                progress(f"{PROVIDER} costs: page {number} ({start}..{end})")
            for line in _read_table(page, start, end):
                held = lines.get(line.key)
                lines[line.key] = line if held is None else held.plus(line)
            url = (page.get("properties") or {}).get("nextLink")
            if not url:
                break
        else:
            raise ProviderResponseError(PROVIDER, "the query passed 1,000 pages")
        result = FetchResult(provider=PROVIDER)
        # The query answers for its whole period: a day without rows is a $0 day (and, inside
        # the revision window, is read again as late records arrive).
        result.days = {start + timedelta(days=n) for n in range((end - start).days)}
        result.costs = sorted(lines.values(), key=lambda c: c.key)
        yield result


def _read_table(page: dict[str, Any], start: date, end: date) -> Iterator[CostLine]:
    props = page.get("properties")
    if not isinstance(props, dict):
        raise ProviderResponseError(PROVIDER, "query answer has no properties")
    columns, rows = props.get("columns"), props.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise ProviderResponseError(PROVIDER, "query answer has no columns or rows")
    names = [c.get("name") if isinstance(c, dict) else None for c in columns]
    at = {name: i for i, name in enumerate(names) if isinstance(name, str)}
    needed = ("PreTaxCost", "UsageDate", "Currency", "Meter")
    missing = [n for n in needed if n not in at]
    if missing:
        raise ProviderResponseError(PROVIDER, f"query answer has no {', '.join(missing)} column")
    other = "ResourceId" if "ResourceId" in at else "SubscriptionName"
    for row in rows:
        if not isinstance(row, list) or len(row) != len(names):
            raise ProviderResponseError(PROVIDER, f"a row does not match the columns: {row!r:.60}")
        raw_day = str(row[at["UsageDate"]])
        try:
            day = date(int(raw_day[:4]), int(raw_day[4:6]), int(raw_day[6:8]))
        except ValueError:
            raise ProviderResponseError(PROVIDER, f"UsageDate {raw_day!r} is not a date") from None
        if not start <= day < end:
            continue
        currency = to_currency(PROVIDER, row[at["Currency"]], "Currency", day=day)
        amount: Decimal = to_decimal(PROVIDER, row[at["PreTaxCost"]], "PreTaxCost", day=day)
        if abs(amount) >= MAX_LINE_AMOUNT:
            raise ProviderResponseError(PROVIDER, f"amount {amount} on {day} is out of range")
        resource = to_text(PROVIDER, row[at[other]] if other in at else "", other)
        yield CostLine(
            provider=PROVIDER,
            day=day,
            project=resource.rsplit("/", 1)[-1] if other == "ResourceId" else resource,
            line_item=to_text(PROVIDER, row[at["Meter"]], "Meter"),
            amount=amount,
            currency=currency,
        )
