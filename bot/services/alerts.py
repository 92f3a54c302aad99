"""Running the alert rules against the store and delivering what is owed, once.

`run_alerts` is what `aicost alerts` and the scheduler call: gather the figures, assess them,
record the result in the ledger, then post pending alerts and recoveries. Posting never raises:
a failed post stays pending with its reason, to be delivered on the next run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..core.alerts.conditions import AlertInputs, Assessment, Condition
from ..core.alerts.rules import assess, spike_baseline, with_spike_drivers
from ..core.breakeven_report import BreakEvenSummary
from ..core.clock import timer_now
from ..core.money import ZERO
from ..core.posting import Posted, Poster, PostError
from ..core.records import per_day
from ..core.status import StatusReport, unsettled_days
from ..db.alerts import AlertLedger, StoredAlert
from ..db.store import SpendStore
from ..render.alert_blocks import alert_blocks, alert_text, recovery_blocks, recovery_text
from ..render.wording import freshness_lines, money_notes
from ..settings import Settings
from . import checkpoints
from .breakeven import NoDataError, answer_breakeven
from .status import configured_providers, team_status
from .teams import team_alert_figures, team_channels
from .why import explain_spike_day

__all__ = [
    "AlertRun",
    "Snoozed",
    "gather_inputs",
    "run_alerts",
]

log = logging.getLogger("aicost.alerts")

HISTORY_MARGIN_SECONDS = 300  # clock skew between this machine and Slack's message times
HISTORY_DAYS = 60  # the spike baseline needs 7 + 28 days; a little more costs nothing


@dataclass(frozen=True, slots=True)
class AlertRun:
    """One run: every condition with where it stands, and what this run sent."""

    as_of: datetime
    conditions: list[Condition]
    states: dict[str, str]  # key -> "new", "sent 20 Nov 14:02", "pending: <reason>", ...
    posted: list[str] = field(default_factory=list)  # alert keys posted this run
    recovered: list[str] = field(default_factory=list)  # recovery messages posted this run
    cleared: list[str] = field(default_factory=list)  # conditions that cleared this run
    pending: list[str] = field(default_factory=list)  # alerts still waiting to be posted
    errors: list[str] = field(default_factory=list)  # one line per failed post
    failed: list[str] = field(default_factory=list)  # one line per rule that could not run

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "alerts": [
                {**c.as_dict(), "state": self.states.get(c.key, "")} for c in self.conditions
            ],
            "posted": self.posted,
            "recovered": self.recovered,
            "cleared": self.cleared,
            "pending": self.pending,
            "errors": self.errors,
            "failed_rules": self.failed,
        }


class _InputFailed(Exception):
    """A figure the rules need could not be worked out; only the rules that read it skip."""


def _breakeven(store: SpendStore, settings: Settings, now: datetime) -> BreakEvenSummary | None:
    try:
        report, _ = answer_breakeven(store, settings, now=now)
    except NoDataError:
        return None  # nothing billed in the last four weeks: no break-even rules
    except Exception as exc:  # an absurd assumption, a bug: the other rules still run
        raise _InputFailed(
            f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        ) from exc
    return BreakEvenSummary.of(report)


def gather_inputs(
    store: SpendStore, settings: Settings, *, now: datetime
) -> tuple[AlertInputs, StatusReport, dict[str, str]]:
    """The rules' inputs from the store, the status they came from (for its freshness), and
    the inputs that could not be worked out (rule -> why), whose rules are then not judged."""
    failed: dict[str, str] = {}
    try:
        breakeven = _breakeven(store, settings, now)
    except _InputFailed as exc:
        breakeven, failed["break-even"] = None, str(exc)
    today = now.astimezone(settings.tz).date()
    status = team_status(store, settings, now=now)
    start, end = today - timedelta(days=HISTORY_DAYS), today + timedelta(days=1)
    fetched = store.fetched_at(start, end)
    # A synced day without a row is a known $0; a day never synced stays absent.
    daily = dict.fromkeys((day for _, day in fetched), ZERO) | per_day(
        store.daily_spend(start, end)
    )
    inputs = AlertInputs(
        now=now,
        today=today,
        month_to_date_usd=status.month_to_date_usd,
        budget_usd=settings.monthly_budget_usd,
        projection=None if status.forecast is None else status.forecast.month_end,
        growth=status.growth,
        daily=daily,
        incomplete_days=unsettled_days(fetched),
        breakeven=breakeven,
        spike_factor=settings.spike_factor,
        spike_floor_usd=settings.spike_floor_usd,
        stale=tuple(status.stale),
        synced_providers=frozenset(
            f.provider for f in status.freshness if f.last_success_at is not None
        ),
        stale_after_hours=settings.stale_after_hours,
        teams=team_alert_figures(
            store,
            status,
            providers=configured_providers(settings),
            fetched_at=fetched,
            start=start,
            end=end,
        ),
    )
    return inputs, status, failed


class _Outbox:
    """Posts one message at a time, `pace` seconds apart; a failure is recorded, not raised."""

    def __init__(self, poster: Poster, ledger: AlertLedger, *, pace: float):
        self.poster, self.ledger, self.pace = poster, ledger, pace
        self.errors: list[str] = []
        self._sent_before = False

    def send(
        self, alert: StoredAlert, text: str, blocks: list[dict[str, Any]], *, key: str, channel: str
    ) -> Posted | None:
        """Post one message, once: if an earlier post of it was started and never recorded
        (a crash, a lost response), the channel is searched for it first (by `key`, carried in
        the message's metadata), and it is recorded rather than posted again."""
        if alert.post_started_at is not None:
            found = self._already_posted(alert, key, channel)
            if found is not None:
                return found
        if self._sent_before and self.pace > 0:
            time.sleep(self.pace)
        self._sent_before = True
        self.ledger.mark_posting(alert.key, at=timer_now())
        try:
            posted = self.poster.post(channel, text=text, blocks=blocks, key=key)
            checkpoints.reached("alerts", "posted")  # tests kill here: posted, not yet recorded
            return posted
        except PostError as exc:
            reason = str(exc)
        except Exception as exc:  # noqa: BLE001 - a scheduler run must outlive one bad post
            log.exception("posting alert %s failed", alert.key)
            reason = f"unexpected {type(exc).__name__} while posting"
        self.ledger.mark_failed(alert.key, reason)
        self.errors.append(f"{alert.key}: {reason}")
        return None

    def _already_posted(self, alert: StoredAlert, key: str, channel: str) -> Posted | None:
        assert alert.post_started_at is not None
        since = alert.post_started_at.timestamp() - HISTORY_MARGIN_SECONDS
        try:
            found = self.poster.find(channel, key, since=since)
        except PostError as exc:  # e.g. missing_scope: at least once, rather than never
            log.warning(
                "could not check whether alert %s was already posted (%s); posting it again. "
                "Add the channels:history and groups:history scopes for exactly once.",
                alert.key,
                exc,
            )
            return None
        if found is not None:
            log.info("alert %s was already posted (%s); recorded, not posted again", key, found.ts)
        return found


def _explained(store: SpendStore, assessment: Assessment, inputs: AlertInputs) -> Assessment:
    """Each spike alert with the project-and-model lines that drove it (a team's: among its
    projects), before it is recorded.

    The explanation is a nicety: if it cannot be worked out, the alert goes out without it.
    """
    conditions = []
    teams = {team.name: team for team in inputs.teams}
    for condition in assessment.conditions:
        team = teams.get(condition.team)
        if condition.kind == "spike" or (condition.kind == "team-spike" and team is not None):
            day = date.fromisoformat(condition.period)
            daily, projects = (inputs.daily, None) if team is None else (team.daily, team.projects)
            try:
                drivers = explain_spike_day(store, day, spike_baseline(daily, day), projects)
            except Exception:  # noqa: BLE001 - the alert matters more than its explanation
                log.exception("explaining spike %s failed", condition.key)
                drivers = ""
            condition = with_spike_drivers(condition, drivers)
        conditions.append(condition)
    return replace(assessment, conditions=conditions)


def _states(ledger: AlertLedger, keys: list[str], now: datetime, tz: ZoneInfo) -> dict[str, str]:
    """Where each condition stands: new, sent, pending (and why), snoozed or closed."""
    stored, snoozed = ledger.lookup(keys), ledger.snoozes(now)
    return {key: _state(stored.get(key), snoozed, tz) for key in keys}


def _state(alert: StoredAlert | None, snoozed: dict[str, datetime], tz: ZoneInfo) -> str:
    if alert is None:
        return "new"
    if alert.delivered_at is not None:
        return f"sent {alert.delivered_at.astimezone(tz):%d %b %H:%M}"
    if alert.state != "firing":
        return alert.state
    if alert.scope in snoozed:
        return f"snoozed until {snoozed[alert.scope].astimezone(tz):%d %b %H:%M}"
    return f"pending: {alert.last_error}" if alert.last_error else "pending"


def _router(store: SpendStore, settings: Settings) -> Callable[[StoredAlert], str | None]:
    """Where each alert goes: a team's to its team's channel, falling back (no channel of its
    own, or the team is gone) to AICOST_ALERT_CHANNEL, like every other alert."""
    channels = team_channels(store)

    def route(alert: StoredAlert) -> str | None:
        team = alert.condition.team
        return (channels.get(team) if team else None) or settings.alert_channel

    return route


def run_alerts(
    store: SpendStore,
    settings: Settings,
    *,
    now: datetime,
    poster: Poster | None,
    post: bool,
    pace: float = 1.0,
) -> AlertRun:
    """Assess the rules now; with `post`, record them and deliver what is owed.

    Without `post` nothing is written: the run only shows each condition and whether it has
    been sent. With `post` but no poster, or no channel for an alert (a team's goes to its
    team's channel, else to AICOST_ALERT_CHANNEL like every other), it is recorded and stays
    pending. `pace` seconds pass between posts (Slack allows about one a second).
    """
    inputs, status, failed = gather_inputs(store, settings, now=now)
    assessment = _explained(store, assess(inputs), inputs)
    failed |= assessment.failed
    for rule, why in failed.items():
        log.error("alert rule %s could not be evaluated: %s", rule, why)
    unevaluated = [f"{rule} rules not evaluated: {why}" for rule, why in failed.items()]
    ledger = AlertLedger(store.engine)
    keys = [c.key for c in assessment.conditions]
    if not post:
        states = _states(ledger, keys, now, settings.tz)
        return AlertRun(
            as_of=now, conditions=assessment.conditions, states=states, failed=unevaluated
        )

    synced = ledger.sync(assessment, now=now)
    context = [f"As of {now.astimezone(settings.tz):%d %b %H:%M} {settings.timezone}"]
    context += freshness_lines(status)
    context += money_notes(status)
    posted: list[str] = []
    recovered: list[str] = []
    errors: list[str] = []
    if poster is not None:
        outbox = _Outbox(poster, ledger, pace=pace)
        route = _router(store, settings)
        for alert in ledger.pending_deliveries(now):
            channel = route(alert)
            if channel is None:
                continue  # no channel to send it to yet: it stays pending
            sent = outbox.send(
                alert,
                alert_text(alert.condition),
                alert_blocks(alert.condition, context=context),
                key=alert.key,
                channel=channel,
            )
            if sent is not None:
                ledger.mark_delivered(alert.key, sent, now=now)
                posted.append(alert.key)
        for alert in ledger.pending_recoveries(now):
            note = alert.recovery_note
            channel = route(alert)
            if channel is None:
                continue
            sent = outbox.send(
                alert,
                recovery_text(alert.condition, note),
                recovery_blocks(alert.condition, note, context=context[:1]),
                key=f"{alert.key}#recovery",
                channel=channel,
            )
            if sent is not None:
                ledger.mark_recovery_delivered(alert.key, sent, now=now)
                recovered.append(alert.key)
        errors = outbox.errors
    return AlertRun(
        as_of=now,
        conditions=assessment.conditions,
        states=_states(ledger, keys, now, settings.tz),
        posted=posted,
        recovered=recovered,
        cleared=synced.cleared,
        pending=[a.key for a in ledger.pending_deliveries(now)],
        errors=errors,
        failed=unevaluated,
    )


@dataclass(frozen=True, slots=True)
class Snoozed:
    kind: str
    until: datetime
    label: str  # "7 days"
    team: str = ""  # the team whose alerts of `kind` are quiet; "": the organisation's
