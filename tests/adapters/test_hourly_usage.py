"""Hourly token usage (`bucket_width=1h`) from both providers, over loopback HTTP.

The busiest hour is measured from these, so an hour must be read exactly (every model's tokens
in it summed), an empty hour is a known zero, and a malformed hour stops the read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from billing_adapters import AnthropicBilling, OpenAIBilling, ProviderResponseError, RetryPolicy
from billing_adapters.anthropic import PAGES as ANTHROPIC_PAGES
from billing_adapters.openai import PAGES as OPENAI_PAGES
from tests.fakes.provider_api import (
    ANTHROPIC_KEY,
    OPENAI_KEY,
    ProviderAPI,
    anthropic_usage,
    openai_usage,
)

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
NO_WAIT = RetryPolicy(max_attempts=2, sleep=lambda seconds: None)
OPENAI_USAGE = "/v1/organization/usage/completions"
ANTHROPIC_USAGE = "/v1/organizations/usage_report/messages"


@pytest.fixture
def api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as server:
        yield server


def openai(api: ProviderAPI) -> OpenAIBilling:
    return OpenAIBilling(api_key=OPENAI_KEY, base_url=api.openai_base_url, retry=NO_WAIT)


def anthropic(api: ProviderAPI) -> AnthropicBilling:
    return AnthropicBilling(api_key=ANTHROPIC_KEY, base_url=api.anthropic_base_url, retry=NO_WAIT)


def test_openai_pages_four_weeks_of_hours_at_the_documented_maximum(api: ProviderAPI) -> None:
    hour = START + timedelta(hours=30)
    api.add_hour("openai", hour, openai_usage("gpt-4o", 900, 100, 70, 3))
    api.add_hour("openai", hour, openai_usage("gpt-4o-mini", 100, 0, 30, 1))
    hours = list(openai(api).hours(START, START + timedelta(days=28)))
    assert len(hours) == 672  # every hour answered, the quiet ones as known zeros
    by_hour = {h.hour: h for h in hours}
    assert (by_hour[hour].input_tokens, by_hour[hour].output_tokens) == (1000, 100)
    assert sum(h.output_tokens for h in hours) == 100
    seen = api.requests_to(OPENAI_USAGE)
    assert len(seen) == 4  # 672 hours, 168 a page
    assert {s.query["bucket_width"][0] for s in seen} == {"1h"}
    assert {s.query["limit"][0] for s in seen} == {"168"}
    assert "group_by" not in seen[0].query  # the organisation's total, not per model
    assert seen[0].query["start_time"] == [str(int(START.timestamp()))]


def test_anthropic_hours_sum_every_input_kind(api: ProviderAPI) -> None:
    hour = START + timedelta(hours=5)
    api.add_hour("anthropic", hour, anthropic_usage("claude-sonnet-4", 10, 20, 3, 2, 40))
    hours = list(anthropic(api).hours(START, START + timedelta(hours=24)))
    assert len(hours) == 24
    (busy,) = [h for h in hours if h.output_tokens]
    assert (busy.hour, busy.input_tokens, busy.output_tokens) == (hour, 35, 40)
    (seen,) = api.requests_to(ANTHROPIC_USAGE)
    assert seen.query["starting_at"] == ["2026-11-02T00:00:00Z"]
    assert seen.query["ending_at"] == ["2026-11-03T00:00:00Z"]
    assert seen.query["bucket_width"] == ["1h"] and seen.query["limit"] == ["24"]


def test_a_bucket_off_the_hour_is_refused() -> None:
    page = {
        "object": "page",
        "data": [
            {
                "object": "bucket",
                "start_time": int(START.timestamp()) + 1800,
                "end_time": int(START.timestamp()) + 5400,
                "results": [],
            }
        ],
        "has_more": False,
        "next_page": None,
    }
    with pytest.raises(ProviderResponseError, match="hourly bucket starts at 00:30:00"):
        list(OPENAI_PAGES.hours([page], start=START, end=START + timedelta(days=1)))


def test_an_hour_twice_is_refused() -> None:
    bucket = {
        "starting_at": "2026-11-02T03:00:00Z",
        "ending_at": "2026-11-02T04:00:00Z",
        "results": [],
    }
    pages = [{"data": [bucket], "has_more": True}, {"data": [bucket], "has_more": False}]
    with pytest.raises(ProviderResponseError, match="came twice"):
        list(ANTHROPIC_PAGES.hours(pages, start=START, end=START + timedelta(days=1)))


def test_hours_outside_the_window_are_left_out() -> None:
    buckets = [
        {
            "starting_at": f"2026-11-0{d}T00:00:00Z",
            "ending_at": f"2026-11-0{d}T01:00:00Z",
            "results": [anthropic_usage("m", 1, 0, 0, 0, 5)],
        }
        for d in (1, 2, 3)
    ]
    pages = [{"data": buckets, "has_more": False}]
    hours = list(ANTHROPIC_PAGES.hours(pages, start=START, end=START + timedelta(days=1)))
    assert [h.hour for h in hours] == [START]
