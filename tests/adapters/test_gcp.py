"""Vertex AI and the Gemini API from the Cloud Billing export, through the real BigQuery client
against a loopback stand-in of its REST API: exact sums net of credits, paging, and refusals
that say which roles are missing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from google.oauth2.credentials import Credentials

from billing_adapters import ProviderAuthError, ProviderResponseError, ProviderUnavailable
from billing_adapters.gcp import GcpBillingExport
from tests.fakes.bigquery_api import TABLE, TOKEN, BigQueryAPI

NOVEMBER = date(2026, 11, 1)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


@pytest.fixture
def bq() -> Iterator[BigQueryAPI]:
    with BigQueryAPI() as server:
        for day in range(1, 11):
            server.add(at(day), "Gemini 2.5 Pro Input Tokens", 0.1, service="Gemini API")
            server.add(at(day), "Gemini 2.5 Pro Input Tokens", 0.2, service="Gemini API")
            server.add(
                at(day, 3), "Claude Sonnet 4 on Vertex AI Output", 12.345678, credits=(-2.0,)
            )
            server.add(at(day), "N1 Predefined Instance Core", 99.0, service="Compute Engine")
        yield server


def source(bq: BigQueryAPI, **kwargs: object) -> GcpBillingExport:
    return GcpBillingExport(
        table=TABLE,
        endpoint=bq.origin,
        credentials=Credentials(token=TOKEN),
        **kwargs,  # type: ignore[arg-type]
    )


def test_ai_services_are_summed_exactly_net_of_credits(bq: BigQueryAPI) -> None:
    result = source(bq).fetch(NOVEMBER, NOVEMBER + timedelta(days=10))
    assert len(result.days) == 10
    # 0.1 + 0.2 is 0.3 exactly (as NUMERIC, not 0.30000000000000004), and 12.345678 - 2.
    assert sum((c.amount for c in result.costs), Decimal(0)) == Decimal("106.45678")
    first = [(c.project, c.line_item, c.amount) for c in result.costs if c.day == NOVEMBER]
    assert first == [
        ("ml-prod", "Gemini API: Gemini 2.5 Pro Input Tokens", Decimal("0.3")),
        ("ml-prod", "Vertex AI: Claude Sonnet 4 on Vertex AI Output", Decimal("10.345678")),
    ]
    method, path, body = bq.calls[0]
    assert (method, path) == ("POST", "/bigquery/v2/projects/billing-proj/queries")
    assert body is not None and body["useLegacySql"] is False
    assert "CAST(cost AS NUMERIC)" in body["query"]


def test_pages_are_read_to_the_end(bq: BigQueryAPI) -> None:
    bq.rows_per_page = 3
    result = source(bq).fetch(NOVEMBER, NOVEMBER + timedelta(days=10))
    assert len(result.costs) == 20
    assert [m for m, _, _ in bq.calls].count("GET") >= 7  # the job, then 6 more pages


def test_refused_access_names_the_roles(bq: BigQueryAPI) -> None:
    bq.faults.append(403)
    with pytest.raises(ProviderAuthError) as refused:
        source(bq).fetch(NOVEMBER, NOVEMBER + timedelta(days=1))
    assert "BigQuery Data Viewer" in str(refused.value) and TOKEN not in str(refused.value)


def test_a_table_name_that_is_not_one_is_refused_before_any_query(bq: BigQueryAPI) -> None:
    bad = GcpBillingExport(table="x`; DROP TABLE y; --", endpoint=bq.origin)
    with pytest.raises(ProviderResponseError, match="is not project.dataset.table"):
        bad.fetch(NOVEMBER, NOVEMBER + timedelta(days=1))
    assert bq.calls == []


def test_a_billing_account_in_euros_is_kept_in_euros(bq: BigQueryAPI) -> None:
    """Costs come in the billing account's currency: stored as such, converted only when read."""
    bq.add(at(1), "Gemini Flash", 1.25, service="Gemini API", currency="EUR")
    lines = source(bq).fetch(NOVEMBER, NOVEMBER + timedelta(days=1)).costs
    assert [(c.amount, c.currency) for c in lines if c.currency != "USD"] == [
        (Decimal("1.25"), "EUR")
    ]


def test_a_row_without_a_currency_is_refused(bq: BigQueryAPI) -> None:
    bq.add(at(1), "Gemini Flash", 1.0, service="Gemini API", currency="")
    with pytest.raises(ProviderResponseError, match="currency on 2026-11-01 '' is not a curr"):
        source(bq).fetch(NOVEMBER, NOVEMBER + timedelta(days=1))


def test_a_failing_service_is_reported_after_the_client_s_retries(bq: BigQueryAPI) -> None:
    bq.faults.extend([500] * 200)
    with pytest.raises(ProviderUnavailable, match="BigQuery unavailable"):
        source(bq, deadline=1.0).fetch(NOVEMBER, NOVEMBER + timedelta(days=1))
