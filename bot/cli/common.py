"""Small pieces every command module shares."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..errors import AicostError

__all__ = ["CommandError", "parse_date", "progress"]


class CommandError(AicostError):
    """A user-facing failure: printed as one line, exit status 1."""


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-01") from None


def progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)
