"""A loopback stand-in for the BigQuery REST API, as google-cloud-bigquery's `query_and_wait`
calls it: `jobs.query` (POST .../queries), then, when there are more pages, `jobs.get` and
`jobs.getQueryResults` (GET .../queries/{job}?pageToken=...).

It holds rows of a Cloud Billing export (standard usage-cost table) and answers the daily AI
cost query the adapter sends: it checks the table is quoted as named and the query's
parameters, filters and groups the rows as the SQL says, and returns them in BigQuery's
`{"f": [{"v": ...}]}` form, `rows_per_page` at a time. It checks the bearer token, and can refuse
access (403) or fail (500) on the next requests.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.loopback import LoopbackServer, QuietHandler

TOKEN = "ya29.test-token-for-aicost"
TABLE = "billing-proj.billing_export.gcp_billing_export_v1_0123AB_4567CD_89EF01"
FIELDS = ("day", "project", "service", "sku", "currency", "cost")


class BigQueryAPI(LoopbackServer):
    def __init__(self, *, rows_per_page: int = 1000) -> None:
        # (usage_start_time, project id, service, sku, currency, cost float, credits)
        self.export: list[tuple[datetime, str, str, str, str, float, list[float]]] = []
        self.rows_per_page = rows_per_page
        self.calls: list[tuple[str, str, dict[str, Any] | None]] = []
        self.faults: list[int] = []  # statuses for the next requests
        self.results: dict[str, list[list[Any]]] = {}
        self._lock = threading.Lock()
        super().__init__(self._handler())

    def add(
        self,
        at: datetime,
        sku: str,
        cost: float,
        *,
        service: str = "Vertex AI",
        project: str = "ml-prod",
        currency: str = "USD",
        credits: tuple[float, ...] = (),
    ) -> None:
        with self._lock:
            self.export.append((at, project, service, sku, currency, cost, list(credits)))

    def _run(self, body: dict[str, Any]) -> list[list[Any]]:
        """The adapter's query over the export rows, as BigQuery would answer it."""
        assert f"FROM `{TABLE}`" in body["query"], body["query"]
        params = {p["name"]: p for p in body["queryParameters"]}
        start = datetime.fromisoformat(params["start"]["parameterValue"]["value"])
        end = datetime.fromisoformat(params["end"]["parameterValue"]["value"])
        services = {v["value"] for v in params["services"]["parameterValue"]["arrayValues"]}
        groups: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
        for at, project, service, sku, currency, cost, credits in self.export:
            if start <= at < end and service in services:
                net = Decimal(repr(cost)) + sum((Decimal(repr(c)) for c in credits), Decimal(0))
                groups[(at.astimezone(UTC).date(), project, service, sku, currency)] += net
        return [[*key, amount] for key, amount in sorted(groups.items(), key=lambda kv: kv[0])]

    def _page(self, job: str, offset: int, first: bool) -> dict[str, Any]:
        rows = self.results[job]
        chunk = rows[offset : offset + self.rows_per_page]
        page: dict[str, Any] = {
            "kind": "bigquery#queryResponse" if first else "bigquery#getQueryResultsResponse",
            "jobComplete": True,
            "jobReference": {"projectId": "ml-prod", "jobId": job, "location": "US"},
            "schema": {
                "fields": [
                    {"name": "day", "type": "DATE"},
                    {"name": "project", "type": "STRING"},
                    {"name": "service", "type": "STRING"},
                    {"name": "sku", "type": "STRING"},
                    {"name": "currency", "type": "STRING"},
                    {"name": "cost", "type": "NUMERIC"},
                ]
            },
            "rows": [
                {"f": [{"v": v.isoformat() if isinstance(v, date) else str(v)} for v in row]}
                for row in chunk
            ],
            "totalRows": str(len(rows)),
        }
        if offset + self.rows_per_page < len(rows):
            page["pageToken"] = str(offset + self.rows_per_page)
        return page

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(QuietHandler):
            def _answer(self, method: str, body: dict[str, Any] | None) -> None:
                path, query, headers = self.request_parts()
                with api._lock:
                    api.calls.append((method, path, body))
                    fault = api.faults.pop(0) if api.faults else None
                if headers.get("authorization") != f"Bearer {TOKEN}":
                    self.reply(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
                    return
                if fault is not None:
                    reason = "accessDenied" if fault == 403 else "backendError"
                    message = f"Access Denied: Table {TABLE}" if fault == 403 else "Backend error"
                    error = {"code": fault, "message": message, "errors": [{"reason": reason}]}
                    self.reply(fault, {"error": error})
                    return
                if method == "POST" and path.endswith("/queries"):
                    assert body is not None
                    job = f"job{len(api.results) + 1}"
                    api.results[job] = api._run(body)
                    self.reply(200, api._page(job, 0, first=True))
                elif method == "GET" and "/jobs/" in path:
                    job = path.rsplit("/", 1)[-1]
                    self.reply(
                        200,
                        {
                            "kind": "bigquery#job",
                            "id": f"ml-prod:US.{job}",
                            "jobReference": {
                                "projectId": "ml-prod",
                                "jobId": job,
                                "location": "US",
                            },
                            "configuration": {"query": {"query": "..."}},
                            "status": {"state": "DONE"},
                        },
                    )
                elif method == "GET" and "/queries/" in path:
                    job = path.rsplit("/", 1)[-1]
                    offset = int(query.get("pageToken", ["0"])[0])
                    self.reply(200, api._page(job, offset, first=False))
                else:
                    self.reply(404, {"error": {"code": 404, "message": "Not found"}})

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", "0"))
                raw = self.rfile.read(length)
                if self.path == "/token":
                    # A service account's token exchange (its key file's token_uri points here):
                    # a signed JWT assertion in, an access token out.
                    form = parse_qs(raw.decode())
                    if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
                        self.reply(400, {"error": "unsupported_grant_type"})
                        return
                    self.reply(
                        200, {"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"}
                    )
                    return
                self._answer("POST", json.loads(raw or b"{}"))

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._answer("GET", None)

        return Handler


def service_account_file(directory: Path, token_uri: str) -> Path:
    """A service account key file whose token_uri is the stand-in: Application Default
    Credentials (GOOGLE_APPLICATION_CREDENTIALS) then sign a real JWT and exchange it there."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path = directory / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "ml-prod",
                "private_key_id": "test-key-1",
                "private_key": pem,
                "client_email": "aicost@ml-prod.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": token_uri,
            }
        )
    )
    return path
