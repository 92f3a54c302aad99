"""Azure OpenAI / AI Foundry through the Cost Management Query API, over loopback HTTP.

Amounts arrive as JSON numbers in their currency column and are kept exact; rows page through
`nextLink`; throttling waits the longest of Azure's retry headers; a token that cannot be had
says what the identity needs, without the secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing_adapters import ProviderAuthError, ProviderResponseError, RetryPolicy
from billing_adapters.azure import AzureBilling
from tests.fakes.azure_cost import SUBSCRIPTION, BrokenToken, CostManagement, StaticToken, days

NOVEMBER = date(2026, 11, 1)
RESOURCE = f"/{SUBSCRIPTION}/resourceGroups/ai/providers/Microsoft.CognitiveServices/accounts/chat"


@pytest.fixture
def api() -> Iterator[CostManagement]:
    with CostManagement() as server:
        for day in days(NOVEMBER, 10):
            server.add(day, "gpt-4o Input Tokens", RESOURCE, 1.2345678901)
            server.add(day, "gpt-4o Output Tokens", RESOURCE, "3.5")
            server.add(day, "Standard D2s v3", RESOURCE, 50.0, service="Virtual Machines")
        yield server


def source(api: CostManagement, waits: list[float] | None = None, **kw: object) -> AzureBilling:
    retry = RetryPolicy(max_attempts=3, sleep=(waits if waits is not None else []).append)
    return AzureBilling(
        scope=SUBSCRIPTION,
        credential=kw.pop("credential", StaticToken()),  # type: ignore[arg-type]
        base_url=api.origin,
        retry=retry,
        **kw,  # type: ignore[arg-type]
    )


def test_ai_meters_are_read_exactly_per_day_and_resource(api: CostManagement) -> None:
    result = source(api).fetch(NOVEMBER, NOVEMBER + timedelta(days=10))
    assert len(result.days) == 10
    assert sum((c.amount for c in result.costs), Decimal(0)) == Decimal("47.345678901")
    first = [(c.project, c.line_item, c.amount) for c in result.costs if c.day == NOVEMBER]
    assert first == [
        ("chat", "gpt-4o Input Tokens", Decimal("1.2345678901")),
        ("chat", "gpt-4o Output Tokens", Decimal("3.5")),
    ]
    ((path, headers, body),) = api.calls
    assert path == f"/{SUBSCRIPTION}/providers/Microsoft.CostManagement/query"
    assert body["timePeriod"] == {"from": "2026-11-01T00:00:00Z", "to": "2026-11-10T23:59:59Z"}
    assert body["dataset"]["granularity"] == "Daily"
    assert body["dataset"]["aggregation"] == {
        "totalCost": {"name": "PreTaxCost", "function": "Sum"}
    }
    assert body["dataset"]["filter"]["dimensions"]["name"] == "ServiceName"
    assert headers["authorization"].startswith("Bearer ")


def test_pages_follow_next_link_with_the_same_body(api: CostManagement) -> None:
    api.rows_per_page = 3
    result = source(api).fetch(NOVEMBER, NOVEMBER + timedelta(days=10))
    assert len(result.costs) == 20 and len(api.calls) == 7
    assert all(body == api.calls[0][2] for _, _, body in api.calls)


def test_a_429_waits_the_longest_of_azure_s_retry_headers(api: CostManagement) -> None:
    api.throttle.append(
        {
            "Retry-After": "2",
            "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after": "9",
            "x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after": "5",
        }
    )
    waits: list[float] = []
    assert source(api, waits).fetch(NOVEMBER, NOVEMBER + timedelta(days=1)).costs
    assert waits == [9.0]


def test_no_token_names_what_the_identity_needs(api: CostManagement) -> None:
    with pytest.raises(ProviderAuthError) as refused:
        source(api, credential=BrokenToken()).fetch(NOVEMBER, NOVEMBER + timedelta(days=1))
    message = str(refused.value)
    assert "Cost Management Reader" in message and "RuntimeError" in message
    assert "AADSTS" not in message  # the credential's own text may carry ids: not repeated
    assert api.calls == []


def test_a_bill_in_euros_is_kept_in_euros(api: CostManagement) -> None:
    """A subscription billed in EUR: the amount is stored as euros, never summed as dollars."""
    api.add(NOVEMBER, "gpt-4o Input Tokens", RESOURCE + "2", 2.5, currency="EUR")
    lines = source(api).fetch(NOVEMBER, NOVEMBER + timedelta(days=1)).costs
    euros = [(c.project, c.amount) for c in lines if c.currency == "EUR"]
    assert euros == [(RESOURCE.rsplit("/", 1)[-1] + "2", Decimal("2.5"))]


def test_a_currency_that_is_not_a_code_is_refused(api: CostManagement) -> None:
    api.add(NOVEMBER, "gpt-4o Input Tokens", RESOURCE + "2", 2.0, currency="euro")
    with pytest.raises(ProviderResponseError, match="Currency on 2026-11-01 'euro' is not a curr"):
        source(api).fetch(NOVEMBER, NOVEMBER + timedelta(days=1))


def test_a_next_link_to_another_host_is_not_followed(api: CostManagement) -> None:
    api.rows_per_page = 3
    api.next_origin = "http://127.0.0.2:9"  # the bearer token must not go there
    with pytest.raises(ProviderResponseError, match="a next link points to another host"):
        source(api).fetch(NOVEMBER, NOVEMBER + timedelta(days=10))
    assert len(api.calls) == 1
