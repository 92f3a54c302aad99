"""Running the real `aicost` command in a subprocess, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

OURS = ("OPENAI_", "ANTHROPIC_", "SLACK_", "AICOST_", "DATABASE_URL", "PORT")

Run = Callable[..., subprocess.CompletedProcess[str]]


def clean_env(**settings: str) -> dict[str, str]:
    """The current environment minus every aicost setting, plus the given ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    env.update(settings)
    return env


def aicost_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


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
