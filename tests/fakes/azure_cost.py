"""A loopback stand-in for Azure's Cost Management Query API and an Entra ID token source.

The query answers in the documented table form (columns, rows, `UsageDate` as YYYYMMDD, cost
as a JSON number in its `Currency`), pages through `nextLink` (the same body POSTed again),
checks the bearer token, and throttles like Cost Management: a 429 with `Retry-After` and the
`x-ms-ratelimit-microsoft.costmanagement-*-retry-after` headers.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer, QuietHandler

TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.test-token-for-aicost"
SUBSCRIPTION = "subscriptions/00000000-0000-0000-0000-000000000001"
IDENTITY_HEADER = "aicost-test-identity-header"


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_on: int


class StaticToken:
    """A token source as azure-identity's credentials are one: `get_token(scope)`."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken(self.token, 4_102_444_800)


class BrokenToken:
    def get_token(self, *scopes: str) -> AccessToken:
        raise RuntimeError("AADSTS7000215: Invalid client secret provided")


class CostManagement(LoopbackServer):
    def __init__(self, *, rows_per_page: int = 1000) -> None:
        # rows[(day, meter, resource id, service)] = (cost, currency)
        self.costs: list[tuple[date, str, str, str, float | str, str]] = []
        self.calls: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.throttle: list[dict[str, str]] = []  # headers of the 429s to answer first
        self.rows_per_page = rows_per_page
        self.next_origin: str | None = None  # where nextLink points (default: this server)
        self._lock = threading.Lock()
        super().__init__(self._handler())

    def add(
        self,
        day: date,
        meter: str,
        resource: str,
        cost: float | str,
        *,
        service: str = "Cognitive Services",
        currency: str = "USD",
    ) -> None:
        with self._lock:
            self.costs.append((day, meter, resource, service, cost, currency))

    def _answer(self, path: str, query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        period = body["timePeriod"]
        first = date.fromisoformat(period["from"][:10])
        last = date.fromisoformat(period["to"][:10])
        wanted = set(body["dataset"]["filter"]["dimensions"]["values"])
        grouping = [g["name"] for g in body["dataset"]["grouping"]]
        rows = [
            [cost, int(day.strftime("%Y%m%d")), meter, resource, currency]
            for day, meter, resource, service, cost, currency in sorted(self.costs, key=str)
            if first <= day <= last and service in wanted
        ]
        skip = int(query.get("$skiptoken", ["0"])[0])
        chunk = rows[skip : skip + self.rows_per_page]
        more = skip + self.rows_per_page < len(rows)
        scope = path.split("/providers/")[0].strip("/")
        return {
            "id": f"{scope}/providers/Microsoft.CostManagement/query/x",
            "name": "x",
            "type": "microsoft.costmanagement/Query",
            "properties": {
                "nextLink": (
                    f"{self.next_origin or self.origin}/{scope}"
                    "/providers/Microsoft.CostManagement/query"
                    f"?api-version=2023-11-01&$skiptoken={skip + self.rows_per_page}"
                    if more
                    else None
                ),
                "columns": [
                    {"name": "PreTaxCost", "type": "Number"},
                    {"name": "UsageDate", "type": "Number"},
                    {"name": grouping[0], "type": "String"},
                    {"name": grouping[1], "type": "String"},
                    {"name": "Currency", "type": "String"},
                ],
                "rows": chunk,
            },
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                """A managed identity's token endpoint (App Service's IDENTITY_ENDPOINT), as
                azure-identity calls it: `?api-version=2019-08-01&resource=...`."""
                path, query, headers = self.request_parts()
                if path != "/msi/token" or headers.get("x-identity-header") != IDENTITY_HEADER:
                    self.reply(401, {"error": "unauthorized"})
                    return
                resource = query.get("resource", [""])[0]
                self.reply(
                    200,
                    {
                        "access_token": TOKEN,
                        "expires_on": "4102444800",
                        "resource": resource,
                        "token_type": "Bearer",
                    },
                )

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                path, query, headers = self.request_parts()
                body = json.loads(self.rfile.read(int(headers.get("content-length", "0"))))
                with api._lock:
                    api.calls.append((path, headers, body))
                    throttled = api.throttle.pop(0) if api.throttle else None
                if headers.get("authorization") != f"Bearer {TOKEN}":
                    error = {"error": {"code": "AuthenticationFailed", "message": "bad token"}}
                    self.reply(401, json.dumps(error).encode())
                    return
                if query.get("api-version") != ["2023-11-01"]:
                    self.reply(400, b'{"error": {"code": "BadRequest", "message": "api-version"}}')
                    return
                if throttled is not None:
                    error = {
                        "error": {"code": "429", "message": "Too many requests. Please retry."}
                    }
                    self.reply(429, json.dumps(error).encode(), throttled)
                    return
                if not path.endswith("/providers/Microsoft.CostManagement/query"):
                    self.reply(404, b'{"error": {"code": "NotFound", "message": "no route"}}')
                    return
                self.reply(200, json.dumps(api._answer(path, query, body)).encode())

        return Handler


def days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=k) for k in range(n)]
