"""Running the real `aicost` command in a subprocess, with a clean environment."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.process import OURS, aicost_command, clean_env

__all__ = ["OURS", "Run", "aicost_command", "clean_env", "run_aicost"]

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_aicost(tmp_path: Path) -> Run:
    """Run `aicost ARGS` in tmp_path (so no stray .env or aicost.db is picked up)."""

    def run(*args: str, timeout: float = 120, **settings: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            aicost_command(*args),
            cwd=tmp_path,
            env=clean_env(**settings),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
