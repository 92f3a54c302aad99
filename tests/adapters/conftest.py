"""Adapter fixtures: the loopback provider API and a retry policy that records its waits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from billing_adapters import RetryPolicy
from tests.fakes.provider_api import ProviderAPI


@pytest.fixture
def api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def retry(sleeps: list[float]) -> RetryPolicy:
    """The production policy, except that waits are recorded instead of slept through.

    Jitter returns its upper bound so the recorded backoff is the policy's ceiling.
    """
    return RetryPolicy(max_attempts=4, sleep=sleeps.append, jitter=lambda low, high: high)
