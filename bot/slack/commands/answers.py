"""One function per `/aicost` subcommand: parse, ack within Slack's 3 seconds, then answer.

Input errors are answered in the ack (nothing slow has happened yet); everything that touches
the database happens after the ack and is answered through response_url.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond

from ...breakeven import AssumptionError
from ...breakeven_query import QueryError, parse_slack_query
from ...breakeven_service import NoDataError
from ...money import format_usd
from ...render.breakeven_blocks import breakeven_blocks, breakeven_fallback
from ...render.forecast_render import forecast_blocks, forecast_fallback
from ...render.status_blocks import status_blocks, status_fallback
from ...user_input import (
    HoursInputError,
    RevenueInputError,
    parse_amount,
    parse_hours,
    parse_month,
)

__all__ = [
    "answer_breakeven",
    "answer_forecast",
    "answer_log_hours",
    "answer_revenue",
    "answer_status",
]

FAILED = (
    "Sorry, I couldn't work that out just now ({kind}). Nothing was changed; try again in a "
    "minute, and check the aicost logs if it persists."
)


def _reply(ack: Ack, text: str) -> None:
    ack(text=text, response_type="ephemeral")


def _after_ack(
    respond: Respond, logger: logging.Logger, what: str, work: Callable[[], Any]
) -> None:
    """Run slow work after the ack; a failure still gets the user an answer, not silence."""
    try:
        work()
    except NoDataError as exc:
        respond(text=str(exc), response_type="ephemeral")
    except Exception as exc:  # noqa: BLE001
        logger.exception("/aicost %s failed", what)
        respond(text=FAILED.format(kind=type(exc).__name__), response_type="ephemeral")


def answer_status(
    services: Any,
    words: list[str],
    command: dict,
    ack: Ack,
    respond: Respond,
    logger: logging.Logger,
) -> None:
    ack()

    def work() -> None:
        report = services.status()
        respond(
            blocks=status_blocks(report), text=status_fallback(report), response_type="ephemeral"
        )

    _after_ack(respond, logger, "status", work)


def answer_forecast(
    services: Any,
    words: list[str],
    command: dict,
    ack: Ack,
    respond: Respond,
    logger: logging.Logger,
) -> None:
    ack()

    def work() -> None:
        report = services.forecast()
        respond(
            blocks=forecast_blocks(report),
            text=forecast_fallback(report),
            response_type="ephemeral",
        )

    _after_ack(respond, logger, "forecast", work)


def answer_breakeven(
    services: Any,
    words: list[str],
    command: dict,
    ack: Ack,
    respond: Respond,
    logger: logging.Logger,
) -> None:
    try:
        query = parse_slack_query(words)
    except QueryError as exc:
        _reply(
            ack,
            f"{exc}\n*Usage:* `/aicost breakeven [--monthly-spend USD] [--profile NAME] "
            "[--set key=value ...]`",
        )
        return
    ack()

    def work() -> None:
        try:
            report, answer = services.breakeven(query)
        except AssumptionError as exc:
            respond(text=f"{exc}", response_type="ephemeral")
            return
        respond(
            blocks=breakeven_blocks(report, answer),
            text=breakeven_fallback(report, answer),
            response_type="ephemeral",
        )

    _after_ack(respond, logger, "breakeven", work)


REVENUE_USAGE = (
    "*Usage:* `/aicost revenue set YYYY-MM AMOUNT` (e.g. `/aicost revenue set 2026-10 125000`)"
)


def answer_revenue(
    services: Any,
    words: list[str],
    command: dict,
    ack: Ack,
    respond: Respond,
    logger: logging.Logger,
) -> None:
    if len(words) != 3 or words[0].lower() != "set":
        _reply(ack, REVENUE_USAGE)
        return
    user = command.get("user_id", "")
    if not services.is_admin(user):
        _reply(
            ack,
            "Only aicost admins can set revenue (their Slack user ids are listed in "
            "AICOST_ADMINS). Nothing was changed.",
        )
        return
    try:
        month, amount = parse_month(words[1]), parse_amount(words[2])
    except RevenueInputError as exc:
        _reply(ack, f"{exc}. Nothing was changed.\n{REVENUE_USAGE}")
        return
    ack()

    def work() -> None:
        services.set_revenue(month, amount, user_id=user)
        respond(
            text=f"Revenue for {month:%Y-%m} set to {format_usd(amount)}.",
            response_type="ephemeral",
        )

    _after_ack(respond, logger, "revenue set", work)


def answer_log_hours(
    services: Any,
    words: list[str],
    command: dict,
    ack: Ack,
    respond: Respond,
    logger: logging.Logger,
) -> None:
    if not words:
        _reply(
            ack,
            "*Usage:* `/aicost log-hours HOURS [note]` (e.g. `/aicost log-hours 1.5 vLLM upgrade`)",
        )
        return
    try:
        hours = parse_hours(words[0])
    except HoursInputError as exc:
        _reply(ack, f"{exc}. Nothing was logged.")
        return
    note = " ".join(words[1:])[:500]
    ack()

    def work() -> None:
        services.log_hours(hours, note, user_id=command.get("user_id", ""))
        respond(
            text=f"Logged {hours} h of operations. `/aicost breakeven` now uses your "
            "measured weekly average.",
            response_type="ephemeral",
        )

    _after_ack(respond, logger, "log-hours", work)
