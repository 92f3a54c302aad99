"""Named points inside a sync where a test can hold the process, to kill it exactly there.

Crash safety is only proven by killing a sync at each of the moments that matter (while cost
pages stage, between cost and usage pages, while usage pages stage, inside the swap's
transaction, just after its commit), not at whatever moment a timer happens to land on. With
`AICOST_TEST_PAUSE_AT="openai:swap=/tmp/marker"` in its environment, a sync that reaches that
point writes its pid to the marker file and waits to be killed. Unset, which is always the
case outside the tests, every checkpoint is a dictionary look-up and nothing more.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

__all__ = ["ENV", "STAGES", "reached"]

ENV = "AICOST_TEST_PAUSE_AT"
STAGES = ("costs", "between", "usage", "swap", "committed")
HOLD_SECONDS = 120  # the test kills long before; never hang a forgotten process for ever

_point, _, _marker = (os.environ.get(ENV) or "").partition("=")


def reached(provider: str, stage: str) -> None:
    """Hold here if the environment names this provider's stage; otherwise return at once."""
    if not _point or _point != f"{provider}:{stage}":
        return
    # Written aside, then renamed: the test waits for the marker to exist and then reads it,
    # and a file opened for writing exists before its pid is in it (a flake seen under load).
    staged = Path(f"{_marker}.writing")
    staged.write_text(str(os.getpid()))
    os.replace(staged, _marker)
    time.sleep(HOLD_SECONDS)
    raise SystemExit(f"aicost: held at {_point} for {HOLD_SECONDS} s and never killed")
