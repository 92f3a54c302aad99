"""Slow Slack work runs here, off the request thread, so an ack never waits for it.

bolt's default runs each listener (its ack and then its slow work) on one 5-thread pool, with
the request thread waiting up to 3 s for the ack: under load the ack queues behind other
commands' work, and Slack shows the user "operation_timeout" (measured: 221 of 300 acks over
3 s at concurrency 100). aicost runs bolt with `process_before_response=True`, so listeners run
on the request thread, where they parse, check, ack and hand the slow part to a `WorkPool`.

The pool is small on purpose: the answers are CPU-bound Python (one core under the GIL), so more
threads only slow each other and the acks; a few let a database wait overlap with computing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

__all__ = ["ANSWER_WORKERS", "Defer", "WorkPool", "run_now"]

Job = Callable[[], None]
Defer = Callable[[Job], None]  # "run this after the ack": a WorkPool, or run_now in tests
ANSWER_WORKERS = 4

log = logging.getLogger("aicost.slack")


def run_now(job: Job) -> None:
    """Run the job at once, on this thread (bolt's own listener thread when not in serve)."""
    job()


class WorkPool:
    """A bounded set of threads that run jobs after their ack; a failing job is logged, never
    lost silently, and never takes a thread down with it."""

    def __init__(self, workers: int = ANSWER_WORKERS) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="aicost-work")

    def __call__(self, job: Job) -> None:
        self._executor.submit(self._run, job)

    @staticmethod
    def _run(job: Job) -> None:
        try:
            job()
        except Exception:  # noqa: BLE001 - jobs answer their own errors; this is a last guard
            log.exception("work after an ack failed")

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
