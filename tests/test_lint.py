"""`make lint`'s ruff half, in the suite so that CI holds the code to it (a too-long line once
landed because only `make lint` checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")


@pytest.mark.parametrize("check", [["check", "."], ["format", "--check", "."]])
def test_ruff(check: list[str]) -> None:
    done = subprocess.run(
        [str(RUFF), *check], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
