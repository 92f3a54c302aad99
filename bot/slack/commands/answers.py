"""One function per `/aicost` subcommand: parse, ack within Slack's 3 seconds, then answer.

Input errors are answered in the ack (nothing slow has happened yet); everything that touches
the database happens after the ack and is answered through response_url.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, Respond
from sqlalchemy.exc import OperationalError

from ...core.breakeven import AssumptionError
from ...core.clock import utc_now
from ...core.user_input import (
    HoursInputError,
    RevenueInputError,
    clean_note,
    parse_amount,
    parse_hours,
    parse_month,
)
from ...core.why_period import PeriodInputError, resolve_period
from ...db.audit import request_key
from ...messages import (
    ADMINS_ONLY,
    AUDIT_USAGE,
    BREAKEVEN_USAGE,
    FAILED,
    HOURS_USAGE,
    LOCKED,
    NOTHING_CHANGED,
    NOTHING_LOGGED,
    REVENUE_USAGE,
    SETTINGS_REFUSED,
    SETTINGS_USAGE,
    WHY_USAGE,
    hours_logged,
    revenue_set,
)
from ...render.audit_render import audit_blocks, audit_fallback
from ...render.breakeven_blocks import breakeven_blocks, breakeven_fallback
from ...render.breakeven_compare import compare_blocks, compare_fallback
from ...render.forecast_render import forecast_blocks, forecast_fallback
from ...render.share import SHAREABLE, shared_by, with_share_button
from ...render.status_blocks import status_blocks, status_fallback
from ...render.why_render import why_blocks, why_fallback
from ...services.breakeven import NoDataError
from ...services.breakeven_query import QueryError, parse_slack_query
from ..deferred import Defer, run_now
from ..replies import deliver
from ..settings_modals import MODALS, open_settings_modal
from ..team_modal import open_team_modal

__all__ = [
    "AUDIT_SHOWN",
    "SlashRequest",
    "answer_audit",
    "answer_breakeven",
    "answer_forecast",
    "answer_log_hours",
    "answer_revenue",
    "answer_settings",
    "answer_status",
    "answer_why",
]

AUDIT_SHOWN = 15

Message = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SlashRequest:
    """One `/aicost` invocation: the words after the subcommand and bolt's reply channels."""

    services: Any
    words: list[str]
    command: dict[str, Any]
    ack: Ack
    respond: Respond
    logger: logging.Logger
    defer: Defer = run_now  # where the slow part runs: serve's WorkPool, after the ack
    sharer: str | None = None  # set: the answer goes to the channel, shared by this user
    client: Any = None  # bolt's WebClient, for what opens a view (`settings`)

    @property
    def user_id(self) -> str:
        return str(self.command.get("user_id", ""))

    def reply_now(self, text: str) -> None:
        """Answer in the ack itself: for input errors, where nothing slow has happened."""
        self.ack(text=text, response_type="ephemeral")

    @property
    def change_key(self) -> str | None:
        """This request's key for a change it makes: the same for Slack's retries of it."""
        return request_key(str(self.command.get("trigger_id") or ""))

    def answer_later(self, what: str, work: Callable[[], Message | None]) -> None:
        """Ack at once, and leave the slow work to the pool: the ack never waits for it."""
        self.ack()
        self.defer(lambda: self._answer(what, work))

    def _answer(self, what: str, work: Callable[[], Message | None]) -> None:
        """Do the work and answer through response_url; a failure still gets an answer.

        Work that returns None has nothing to say (a retried change already confirmed).
        """
        try:
            message = work()
        except (NoDataError, AssumptionError) as exc:
            message = {"text": str(exc)}
        except OperationalError as exc:
            if "locked" not in str(exc.orig):
                self.logger.exception("/aicost %s failed", what)
                message = {"text": FAILED.format(kind=type(exc).__name__)}
            else:  # SQLite: a sync's swap held the write lock past the busy timeout
                self.logger.warning("/aicost %s: the database stayed locked by a writer", what)
                message = {"text": LOCKED}
        except Exception as exc:  # noqa: BLE001
            self.logger.exception("/aicost %s failed", what)
            message = {"text": FAILED.format(kind=type(exc).__name__)}
        if message is None:
            return
        changed = bool(message.pop("changed", False))  # ours, not a message field
        blocks = message.get("blocks")
        if self.sharer is not None:
            if blocks:
                message["blocks"] = shared_by(blocks, self.sharer)
            shown = {**message, "response_type": "in_channel", "replace_original": False}
            deliver(self.respond, shown, what=f"{what} (shared)")
            return
        if blocks and what in SHAREABLE:
            message["blocks"] = with_share_button(blocks, [what, *self.words])
        delivered = deliver(self.respond, {**message, "response_type": "ephemeral"}, what=what)
        key = self.change_key
        if delivered and changed and key is not None:
            self.services.mark_answered(key)

    def answer_change(self, what: str, change: Callable[[], bool], done: str) -> None:
        """A change from Slack, applied once per request: a retry or replay of one already
        applied changes nothing, and is answered only if the first answer never got through."""
        key = self.change_key

        def work() -> Message | None:
            if change():
                return {"text": done, "changed": True}
            if key is not None and self.services.change_answered(key):
                self.logger.info("/aicost %s: a repeat of a change already made; not applied", what)
                return None
            return {"text": done, "changed": True}  # made before, never confirmed: confirm now

        self.answer_later(what, work)


def answer_status(request: SlashRequest) -> None:
    def work() -> Message:
        report = request.services.status()
        return {"blocks": status_blocks(report), "text": status_fallback(report)}

    request.answer_later("status", work)


def answer_forecast(request: SlashRequest) -> None:
    def work() -> Message:
        report = request.services.forecast()
        return {"blocks": forecast_blocks(report), "text": forecast_fallback(report)}

    request.answer_later("forecast", work)


def answer_why(request: SlashRequest) -> None:
    """The period is read in the ack (a malformed one is answered there, with the usage);
    the breakdown is worked out after it."""
    if len(request.words) > 1:
        request.reply_now(WHY_USAGE)
        return
    try:
        period = resolve_period(
            request.words[0] if request.words else None,
            now=utc_now(),
            tz=request.services.settings_last_read.tz,  # no database read in the ack
        )
    except PeriodInputError as exc:
        request.reply_now(f"{exc}\n{WHY_USAGE}")
        return

    def work() -> Message:
        report = request.services.why(period)
        return {"blocks": why_blocks(report), "text": why_fallback(report)}

    request.answer_later("why", work)


def answer_breakeven(request: SlashRequest) -> None:
    try:
        query = parse_slack_query(request.words)
    except QueryError as exc:
        request.reply_now(f"{exc}\n{BREAKEVEN_USAGE}")
        return

    def work() -> Message:
        if query.compare:
            answers = request.services.compare(query)
            return {"blocks": compare_blocks(answers), "text": compare_fallback(answers)}
        report, answer = request.services.breakeven(query)
        return {
            "blocks": breakeven_blocks(report, answer),
            "text": breakeven_fallback(report, answer),
        }

    request.answer_later("breakeven", work)


def answer_revenue(request: SlashRequest) -> None:
    words = request.words
    if [w.lower() for w in words] == ["show"]:
        # Revenue figures are the business's: shown to those who may set them.
        if not request.services.is_admin(request.user_id):
            request.reply_now(ADMINS_ONLY.format(what="see revenue"))
            return

        def show() -> Message:
            lines, none = request.services.revenue()
            if not lines:
                return {"text": none}
            return {"text": "*Monthly revenue stored*\n```" + "\n".join(lines) + "```"}

        request.answer_later("revenue show", show)
        return
    if len(words) != 3 or words[0].lower() != "set":
        request.reply_now(REVENUE_USAGE)
        return
    if not request.services.is_admin(request.user_id):
        request.reply_now(ADMINS_ONLY.format(what="set revenue"))
        return
    try:
        month, amount = parse_month(words[1]), parse_amount(words[2])
    except RevenueInputError as exc:
        request.reply_now(f"{exc}. {NOTHING_CHANGED}\n{REVENUE_USAGE}")
        return

    request.answer_change(
        "revenue set",
        lambda: request.services.set_revenue(
            month, amount, user_id=request.user_id, request=request.change_key
        ),
        revenue_set(month, amount),
    )


def answer_log_hours(request: SlashRequest) -> None:
    if not request.words:
        request.reply_now(HOURS_USAGE)
        return
    if not request.services.is_admin(request.user_id):
        # Logged hours change the break-even assumption eng_hours_per_week for everyone.
        request.reply_now(ADMINS_ONLY.format(what="log hours"))
        return
    try:
        hours = parse_hours(request.words[0])
    except HoursInputError as exc:
        request.reply_now(f"{exc}. {NOTHING_LOGGED}")
        return
    note = clean_note(" ".join(request.words[1:]))

    request.answer_change(
        "log-hours",
        lambda: request.services.log_hours(
            hours, note, user_id=request.user_id, request=request.change_key
        ),
        hours_logged(hours),
    )


def answer_audit(request: SlashRequest) -> None:
    """The latest changes (revenue, hours, snoozes, acknowledgements) and who made them."""
    if request.words:
        request.reply_now(AUDIT_USAGE)
        return

    def work() -> Message:
        entries = request.services.latest_changes(AUDIT_SHOWN)
        tz = request.services.settings.tz
        return {"blocks": audit_blocks(entries, tz=tz), "text": audit_fallback(entries)}

    request.answer_later("audit", work)


def answer_settings(request: SlashRequest) -> None:
    """Open a settings modal. Opened right after the ack, on this thread: the command's
    trigger is good for 3 seconds only, so it must not wait behind other answers."""
    which = request.words[0].lower() if request.words else "budget"
    team = which == "team"  # `settings team [NAME]`: a team's form (a new one without NAME)
    if (len(request.words) > 1 and not team) or (which not in MODALS and not team):
        request.reply_now(SETTINGS_USAGE)
        return
    if not request.services.is_admin(request.user_id):
        request.reply_now(SETTINGS_REFUSED)
        return
    request.ack()
    if team:
        open_team_modal(
            request.services,
            request.client,
            name=" ".join(request.words[1:]),
            trigger_id=str(request.command.get("trigger_id") or ""),
            user_id=request.user_id,
            logger=request.logger,
        )
        return
    open_settings_modal(
        request.services,
        request.client,
        which=which,
        trigger_id=str(request.command.get("trigger_id") or ""),
        user_id=request.user_id,
        logger=request.logger,
    )
