"""The retry policy's arithmetic, and secret redaction."""

from __future__ import annotations

import time
from email.utils import formatdate

from billing_adapters import RetryPolicy, redact


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff_base=1, backoff_max=5, jitter=lambda low, high: high)
    assert [policy.backoff(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]


def test_jitter_is_drawn_below_the_ceiling() -> None:
    seen: list[tuple[float, float]] = []
    policy = RetryPolicy(jitter=lambda low, high: seen.append((low, high)) or low)
    assert policy.backoff(3) == 0.0
    assert seen == [(0.0, 4.0)]


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    policy = RetryPolicy()
    assert policy.retry_after("12") == 12.0
    assert policy.retry_after(None) is None
    assert policy.retry_after("soon") is None
    in_a_minute = policy.retry_after(formatdate(time.time() + 60, usegmt=True))
    assert in_a_minute is not None and 55 <= in_a_minute <= 60


def test_redact_removes_whole_secrets_and_echoed_fragments() -> None:
    secret = "sk-admin-0123456789abcdef"
    text = f"bad key {secret}; also Incorrect API key provided: sk-admin-0123****"
    cleaned = redact(text, [secret])
    assert "0123456789" not in cleaned and "sk-admin-0123" not in cleaned
    assert cleaned.startswith("bad key [redacted]")
