"""The retry policy's arithmetic, and secret redaction."""

from __future__ import annotations

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
    now = 1_795_000_000.0  # a fixed moment: the answer must not depend on when the test runs
    policy = RetryPolicy(wall_clock=lambda: now)
    assert policy.retry_after("12") == 12.0
    assert policy.retry_after(None) is None
    assert policy.retry_after("soon") is None
    assert policy.retry_after(formatdate(now + 60, usegmt=True)) == 60.0
    assert policy.retry_after(formatdate(now - 60, usegmt=True)) == 0.0  # already past: no wait


def test_redact_removes_whole_secrets_and_echoed_fragments() -> None:
    secret = "sk-admin-0123456789abcdef"
    text = f"bad key {secret}; also Incorrect API key provided: sk-admin-0123****"
    cleaned = redact(text, [secret])
    assert "0123456789" not in cleaned and "sk-admin-0123" not in cleaned
    assert cleaned.startswith("bad key [redacted]")
