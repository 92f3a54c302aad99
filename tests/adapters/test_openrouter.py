"""OpenRouter's activity over loopback HTTP: dollars exact, tokens per model, 30 days answered.

A day the endpoint does not answer (older than its 30 completed days) must stay missing, and a
day it answers with no rows is a known $0 day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing_adapters import OpenRouterBilling, ProviderAuthError, ProviderError, RetryPolicy
from tests.fakes.openrouter_api import (
    INFERENCE_KEY,
    MANAGEMENT_KEY,
    OpenRouterAPI,
    activity_row,
)
from tests.fakes.provider_api import Fault

TODAY = date(2026, 11, 23)
NO_WAIT = RetryPolicy(max_attempts=3, sleep=lambda seconds: None)
ACTIVITY = "/api/v1/activity"


@pytest.fixture
def api() -> Iterator[OpenRouterAPI]:
    with OpenRouterAPI(TODAY) as server:
        yield server


def source(api: OpenRouterAPI, key: str = MANAGEMENT_KEY) -> OpenRouterBilling:
    return OpenRouterBilling(api_key=key, base_url=api.base_url, retry=NO_WAIT)


def test_rows_are_summed_per_day_workspace_and_model_to_the_cent(api: OpenRouterAPI) -> None:
    day = TODAY - timedelta(days=2)
    api.add(
        activity_row(day, "openai/gpt-4.1-2025-04-14", 0.015, prompt=50, completion=125),
        activity_row(
            day, "openai/gpt-4.1-2025-04-14", "1.105", prompt=10, completion=5, endpoint="e2"
        ),
        activity_row(day, "meta-llama/llama-3.3-70b", 0.3, workspace="ws-1", byok=12.5),
    )
    result = source(api).fetch(TODAY - timedelta(days=40), TODAY + timedelta(days=1))
    by_key = {(c.project, c.line_item): c.amount for c in result.costs}
    assert by_key == {
        ("", "openai/gpt-4.1-2025-04-14"): Decimal("1.120"),  # two endpoints, one line
        ("ws-1", "meta-llama/llama-3.3-70b"): Decimal("0.3"),  # BYOK's $12.50 not counted
    }
    gpt = next(u for u in result.usage if u.model == "openai/gpt-4.1-2025-04-14")
    assert (gpt.input_tokens, gpt.output_tokens, gpt.requests) == (60, 130, 2)
    (seen,) = api.seen
    assert seen.query == {"group_by": ["workspace"]}  # one request covers the 30 days


def test_only_the_30_completed_days_are_answered(api: OpenRouterAPI) -> None:
    result = source(api).fetch(TODAY - timedelta(days=45), TODAY + timedelta(days=1))
    assert min(result.days) == TODAY - timedelta(days=30)
    assert max(result.days) == TODAY - timedelta(days=1)  # today is not complete
    assert len(result.days) == 30 and result.costs == []  # answered, and nothing was spent


def test_an_inference_key_is_refused_with_the_setting_named(api: OpenRouterAPI) -> None:
    with pytest.raises(ProviderAuthError) as refused:
        source(api, INFERENCE_KEY).fetch(TODAY - timedelta(days=3), TODAY + timedelta(days=1))
    message = str(refused.value)
    assert "OPENROUTER_MANAGEMENT_KEY" in message and "management key" in message
    assert INFERENCE_KEY not in message


def test_a_429_is_retried_and_a_truncated_body_stores_nothing(api: OpenRouterAPI) -> None:
    api.add(activity_row(TODAY - timedelta(days=1), "openai/gpt-4o", 2))
    api.fail(
        ACTIVITY,
        Fault(429, {"Retry-After": "0"}, '{"error": {"code": 429, "message": "Rate limit"}}'),
    )
    result = source(api).fetch(TODAY - timedelta(days=3), TODAY + timedelta(days=1))
    assert sum(c.amount for c in result.costs) == Decimal(2)
    api.fail(ACTIVITY, *[Fault(truncate=True)] * 3)
    with pytest.raises(ProviderError, match="not valid JSON"):
        source(api).fetch(TODAY - timedelta(days=3), TODAY + timedelta(days=1))


def test_a_malformed_row_is_refused(api: OpenRouterAPI) -> None:
    api.add({**activity_row(TODAY - timedelta(days=1), "m", 1), "usage": "lots"})
    with pytest.raises(ProviderError, match="usage on 2026-11-22 'lots' is not a number"):
        source(api).fetch(TODAY - timedelta(days=3), TODAY + timedelta(days=1))
