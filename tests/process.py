"""Running the real `aicost` in a child process, with none of the developer's own settings."""

from __future__ import annotations

import os
import sys

from tests.moment import TEST_NOW, TEST_TIMEZONE

__all__ = ["OURS", "aicost_command", "clean_env"]

# Every variable aicost (or bolt, for Slack) reads: a developer's own keys and database must
# never reach a test's aicost.
OURS = ("OPENAI_", "ANTHROPIC_", "SLACK_", "AICOST_", "STRIPE_", "DATABASE_URL", "PORT")


def clean_env(**settings: str) -> dict[str, str]:
    """The current environment minus every aicost setting, plus the given ones.

    The child's clock is pinned to the suite's moment (AICOST_AS_OF) unless a test pins another.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    pinned = {"AICOST_AS_OF": TEST_NOW.isoformat(), "AICOST_TIMEZONE": TEST_TIMEZONE}
    return {**env, "PYTHONUNBUFFERED": "1", **pinned, **settings}


def aicost_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]
