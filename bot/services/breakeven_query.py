"""The what-if arguments of `breakeven`, defined once for the CLI and for Slack.

`--monthly-spend USD`, `--profile NAME` (or `--compare`, every profile side by side),
`--provider NAME` and `--set key=value` (repeatable) mean the same in
`aicost breakeven` and `/aicost breakeven`; Slack gets a parser that raises instead of exiting.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..core.breakeven import PROFILES
from ..errors import AicostError

__all__ = ["BreakEvenQuery", "QueryError", "add_query_arguments", "parse_slack_query", "query_from"]


class QueryError(AicostError, ValueError):
    """The what-if arguments could not be read; the message says how to write them."""


@dataclass(frozen=True, slots=True)
class BreakEvenQuery:
    profile: str | None = None
    monthly_spend: Decimal | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    compare: bool = False  # every profile on the same workload, instead of one
    provider: str | None = None  # one provider's workload alone


def _spend(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().removeprefix("$").replace(",", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount like 20000") from None
    if not value.is_finite() or value <= 0 or value > Decimal("1e10"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a monthly bill above $0")
    return value


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not key=value (e.g. gpu_hour_usd=1.80)")
    return key.strip(), value.strip()


def _provider(text: str) -> str:
    name = text.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,31}", name):
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a provider name like anthropic")
    return name


def add_query_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--monthly-spend", type=_spend, metavar="USD", help="what if our monthly API bill were USD?"
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--profile", choices=sorted(PROFILES), help="hardware and model profile")
    which.add_argument(
        "--compare", action="store_true", help="every profile side by side on the same workload"
    )
    parser.add_argument(
        "--provider",
        type=_provider,
        metavar="NAME",
        help="one provider's workload alone (its spend, tokens and hours), e.g. anthropic",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        type=_pair,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one assumption (repeatable), e.g. --set eng_hours_per_week=4",
    )


def query_from(args: argparse.Namespace) -> BreakEvenQuery:
    return BreakEvenQuery(
        args.profile, args.monthly_spend, dict(args.overrides), args.compare, args.provider
    )


class _RaisingParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise QueryError(message)


def parse_slack_query(words: Sequence[str]) -> BreakEvenQuery:
    """The same arguments typed after `/aicost breakeven`."""
    parser = _RaisingParser(prog="/aicost breakeven", add_help=False, exit_on_error=False)
    add_query_arguments(parser)
    try:
        args = parser.parse_args(list(words))
    except argparse.ArgumentError as exc:
        raise QueryError(str(exc)) from None
    return query_from(args)
