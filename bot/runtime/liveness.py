"""Whether `aicost serve` is alive, as a container's HEALTHCHECK asks (`aicost healthcheck`).

In HTTP mode the question is answered by the server itself: GET /healthz. Socket Mode has no
port to ask, so the running process touches a file (AICOST_LIVENESS_FILE) every few seconds
while its websocket to Slack is connected, and the check looks at how old the file is: a
process that hangs, dies or stays disconnected lets it go stale.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

__all__ = [
    "MAX_AGE_SECONDS",
    "TOUCH_EVERY_SECONDS",
    "file_problem",
    "http_problem",
    "keep_touching",
]

TOUCH_EVERY_SECONDS = 5.0
# Six missed touches: a reconnect (Slack rotates Socket Mode connections every few hours)
# takes seconds, and must not make the container unhealthy.
MAX_AGE_SECONDS = 30.0


def keep_touching(path: Path, connected: Callable[[], bool]) -> None:
    """Touch `path` every few seconds while `connected()`; runs until the process ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        if connected():
            path.touch()
        time.sleep(TOUCH_EVERY_SECONDS)


def file_problem(path: Path, *, now: float, max_age: float = MAX_AGE_SECONDS) -> str | None:
    """What is wrong with the liveness file at `now` (epoch seconds), or None if it is fresh."""
    try:
        age = now - path.stat().st_mtime
    except FileNotFoundError:
        return f"{path} does not exist: serve has not connected to Slack in Socket Mode"
    if age > max_age:
        return f"{path} is {age:.0f} s old (limit {max_age:.0f} s): not connected to Slack"
    return None


def http_problem(url: str, *, timeout: float = 5.0) -> str | None:
    """What is wrong with GET `url` (the server's /healthz), or None if it answered 200."""
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        return f"{url}: {type(exc).__name__}"
    if response.status_code != 200:
        return f"{url}: HTTP {response.status_code}"
    return None
