"""Small pieces every command module shares."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from functools import cached_property

from ..errors import AicostError

__all__ = ["CommandError", "LazyChoices", "parse_date", "progress"]


class CommandError(AicostError):
    """A user-facing failure: printed as one line, exit status 1."""


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-01") from None


def progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


class LazyChoices(Sequence[str]):
    """An argument's choices, read from `load` only when argparse checks a value or prints them.

    The provider names live with the sources' wiring, whose import brings httpx and pydantic:
    `aicost --help` builds every command's arguments and must not pay for that. Give the
    argument a metavar, or argparse lists the choices (and loads them) while building it.
    """

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load

    @cached_property
    def _names(self) -> Sequence[str]:
        return self._load()

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._names[index]  # Sequence gives `in` and iteration from these two

    def __len__(self) -> int:
        return len(self._names)
