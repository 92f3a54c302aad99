"""Google Vertex AI and the Gemini API through the Cloud Billing export to BigQuery.

Google has no spend REST API for either (PROVIDER_APIS.md §3): their costs reach the billing
account's export table (`gcp_billing_export_v1_<ID>`, the standard usage-cost export), which the
user names. One query a sync reads the window's daily cost per project and SKU for the AI
services (`service.description`, by default "Vertex AI", "Generative Language API" and "Gemini
API"; a setting, since labels differ between exports), net of credits:

- `cost` is FLOAT64 in the export; each is cast to NUMERIC before summing, so the sum is exact
  to the export's own digits instead of gathering float error;
- credits (negative amounts) are added, so the figure is what the account pays;
- a day counts in UTC (`DATE(usage_start_time)`), like every other provider's billing day;
- a cost in another currency than USD is refused, never summed as dollars.

Query parameters carry the window and the services; the table name cannot be a parameter, so it
is checked against BigQuery's naming rules before it is quoted into the query.
google-cloud-bigquery is an optional extra (`aicost[gcp]`), imported only when this source runs.
The identity needs BigQuery Data Viewer on the dataset and BigQuery Job User on the project.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from .base import StreamedSource
from .collect import MAX_LINE_AMOUNT, to_currency, to_decimal, to_text
from .errors import ProviderAuthError, ProviderResponseError, ProviderUnavailable
from .records import CostLine, FetchResult

__all__ = ["DEFAULT_SERVICES", "GcpBillingExport", "billing_query"]

PROVIDER = "gcp-vertex"
DEFAULT_SERVICES = ("Vertex AI", "Generative Language API", "Gemini API")
TABLE = re.compile(r"[A-Za-z0-9_.:-]+\.[A-Za-z0-9_]+\.[A-Za-z0-9_$-]+")
ROLES_HINT = (
    "the identity (Application Default Credentials) needs BigQuery Data Viewer on the export's "
    "dataset and BigQuery Job User on the project the query runs in"
)
DEADLINE_SECONDS = 120.0  # the client's own retries give up after this; the next sync tries again


def billing_query(table: str) -> str:
    """The daily AI cost query over a billing export table (checked: it is quoted into SQL)."""
    if not TABLE.fullmatch(table):
        raise ProviderResponseError(
            PROVIDER, f"AICOST_GCP_BILLING_TABLE {table[:80]!r} is not project.dataset.table"
        )
    return f"""
SELECT
  DATE(usage_start_time) AS day,
  IFNULL(project.id, '') AS project,
  service.description AS service,
  sku.description AS sku,
  currency,
  SUM(CAST(cost AS NUMERIC))
    + SUM(IFNULL((SELECT SUM(CAST(c.amount AS NUMERIC)) FROM UNNEST(credits) AS c), 0)) AS cost
FROM `{table}`
WHERE usage_start_time >= @start AND usage_start_time < @end
  AND service.description IN UNNEST(@services)
GROUP BY day, project, service, sku, currency
ORDER BY day, project, service, sku
""".strip()


class GcpBillingExport(StreamedSource):
    """Reads the AI services' daily costs from a Cloud Billing export table in BigQuery."""

    name = PROVIDER

    def __init__(
        self,
        *,
        table: str,
        project: str | None = None,
        services: Sequence[str] = DEFAULT_SERVICES,
        endpoint: str | None = None,
        credentials: Any = None,
        deadline: float = DEADLINE_SECONDS,
    ) -> None:
        self.table = table
        self.deadline = deadline
        self.project = project or table.split(".")[0].split(":")[-1]
        self.services = list(services)
        self._endpoint = endpoint
        self._credentials = credentials

    def _rows(self, start: date, end: date) -> list[Any]:
        from google.api_core import exceptions as api  # the optional extra, imported here
        from google.auth import exceptions as auth
        from google.cloud import bigquery
        from google.cloud.bigquery.retry import DEFAULT_JOB_RETRY, DEFAULT_RETRY

        query = billing_query(self.table)
        config = bigquery.QueryJobConfig(
            query_parameters=[
                bigquery.ScalarQueryParameter(
                    "start", "TIMESTAMP", datetime.combine(start, time(0), tzinfo=UTC)
                ),
                bigquery.ScalarQueryParameter(
                    "end", "TIMESTAMP", datetime.combine(end, time(0), tzinfo=UTC)
                ),
                bigquery.ArrayQueryParameter("services", "STRING", self.services),
            ]
        )
        try:
            client = bigquery.Client(
                project=self.project,
                credentials=self._credentials,
                client_options={"api_endpoint": self._endpoint} if self._endpoint else None,
            )
            rows = client.query_and_wait(
                query,
                job_config=config,
                retry=DEFAULT_RETRY.with_deadline(self.deadline),
                job_retry=DEFAULT_JOB_RETRY.with_deadline(self.deadline),
            )
            return list(rows)
        except auth.DefaultCredentialsError:
            raise ProviderAuthError(
                PROVIDER, f"no Google credentials found; {ROLES_HINT}"
            ) from None
        except (api.Forbidden, api.Unauthorized) as exc:
            raise ProviderAuthError(
                PROVIDER, f"HTTP {exc.code}: the query was refused; {ROLES_HINT}"
            ) from None
        except api.NotFound:
            raise ProviderResponseError(
                PROVIDER, f"table {self.table} not found (AICOST_GCP_BILLING_TABLE)"
            ) from None
        except api.BadRequest as exc:
            raise ProviderResponseError(
                PROVIDER, f"the query was rejected ({exc.message[:120]})"
            ) from None
        except (api.GoogleAPICallError, api.RetryError) as exc:
            raise ProviderUnavailable(
                PROVIDER, f"BigQuery unavailable ({type(exc).__name__}); will retry next sync"
            ) from None

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]:
        """The window in one result: the query answers for every day of it."""
        if progress:
            progress(f"{PROVIDER}: querying {self.table} for {start}..{end}")
        lines: dict[tuple[object, ...], CostLine] = {}
        for row in self._rows(start, end):
            line = _line(row, start, end)
            if line is not None:
                held = lines.get(line.key)
                lines[line.key] = line if held is None else held.plus(line)
        result = FetchResult(provider=PROVIDER)
        result.days = {start + timedelta(days=n) for n in range((end - start).days)}
        result.costs = sorted(lines.values(), key=lambda c: c.key)
        yield result


def _line(row: Any, start: date, end: date) -> CostLine | None:
    day = row.get("day")
    if not isinstance(day, date):
        raise ProviderResponseError(PROVIDER, f"a row's day {day!r} is not a date")
    if not start <= day < end:
        return None
    currency = to_currency(PROVIDER, row.get("currency"), "currency", day=day)
    amount: Decimal = to_decimal(PROVIDER, row.get("cost"), "cost", day=day)
    if abs(amount) >= MAX_LINE_AMOUNT:
        raise ProviderResponseError(PROVIDER, f"amount {amount} on {day} is out of range")
    service = to_text(PROVIDER, row.get("service"), "service")
    sku = to_text(PROVIDER, row.get("sku"), "sku")
    return CostLine(
        provider=PROVIDER,
        day=day,
        project=to_text(PROVIDER, row.get("project"), "project"),
        line_item=to_text(PROVIDER, f"{service}: {sku}", "sku"),
        amount=amount,
        currency=currency,
    )
