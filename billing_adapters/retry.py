"""The one retry policy every provider call goes through.

Billing endpoints are polled rarely and their data is not urgent, so we wait rather than fail:
`Retry-After` is honoured on 429, 5xx and timeouts back off exponentially with full jitter, and
after a bounded number of tries the caller gets an error naming the provider. 401/403 are never
retried: a wrong key does not become right by asking again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

__all__ = ["RETRYABLE_STATUS", "RetryPolicy"]

# 529 is Anthropic's "overloaded_error".
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504, 529})


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_base: float = 1.0
    backoff_max: float = 30.0
    # A provider asking us to wait longer than this is treated as unavailable for this run;
    # the next scheduled sync picks the window up again.
    max_retry_after: float = 120.0
    sleep: Callable[[float], None] = field(default=time.sleep)
    jitter: Callable[[float, float], float] = field(default=random.uniform)
    # Retry-After as an HTTP date is a real moment on the provider's clock, so it is measured
    # against the real one (never aicost's pinnable clock); injectable for tests.
    wall_clock: Callable[[], float] = field(default=time.time)

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential backoff for the given 1-based attempt number."""
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1)))
        return self.jitter(0.0, ceiling)

    def retry_after(self, header: str | None) -> float | None:
        """Seconds from a Retry-After header (delta-seconds or HTTP date); None if absent/bad."""
        if header is None:
            return None
        header = header.strip()
        try:
            return max(0.0, float(header))
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - self.wall_clock())
