"""Running the real `aicost` in a child process, with none of the developer's own settings."""

from __future__ import annotations

import os
import sys

__all__ = ["OURS", "aicost_command", "clean_env"]

# Every variable aicost (or bolt, for Slack) reads: a developer's own keys and database must
# never reach a test's aicost.
OURS = ("OPENAI_", "ANTHROPIC_", "SLACK_", "AICOST_", "STRIPE_", "DATABASE_URL", "PORT")


def clean_env(**settings: str) -> dict[str, str]:
    """The current environment minus every aicost setting, plus the given ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    return {**env, "PYTHONUNBUFFERED": "1", **settings}


def aicost_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]
