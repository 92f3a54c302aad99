"""The alert ledger: every alert recorded before it is sent, so each is sent once.

An alert row's life: `firing` (recorded; pending until `delivered_at` is set) → `resolved` (its
condition cleared; a recovery message is owed if the alert had been delivered) → `closed`
(nothing more to send: recovered, superseded by a higher step, or its period is over). A key is
unique, so a condition seen again in the same period finds its row and is not alerted twice,
whether the run is repeated, the process restarted or Slack failed in between.

Delivery is at least once only across a crash between Slack's answer and `mark_delivered`;
a failed post (429s are retried by the poster first) stays pending for the next run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Engine, select
from sqlalchemy.orm import Session

from ..core.alerts.conditions import RECOVERY_TITLES, Assessment, Condition
from ..core.records import AuditEntry
from .audit import add_audit
from .models import AlertAckRow, AlertRow, SnoozeRow

if TYPE_CHECKING:
    from ..core.posting import Posted

__all__ = [
    "CLOSED",
    "FIRING",
    "RESOLVED",
    "Acknowledgement",
    "AlertLedger",
    "StoredAlert",
    "SyncResult",
]

FIRING, RESOLVED, CLOSED = "firing", "resolved", "closed"
_OPEN = (FIRING, RESOLVED)


@dataclass(frozen=True, slots=True)
class StoredAlert:
    condition: Condition  # as last recorded (as sent, once delivered)
    state: str
    first_seen_at: datetime
    delivered_at: datetime | None
    attempts: int
    last_error: str
    slack_channel: str
    slack_ts: str
    resolved_at: datetime | None
    recovery_note: str  # the figure that cleared it, for the recovery message
    recovery_delivered_at: datetime | None
    acknowledged_by: str
    post_started_at: datetime | None = None  # a post was started then and never recorded

    @property
    def key(self) -> str:
        return self.condition.key

    @property
    def kind(self) -> str:
        return self.condition.kind

    @property
    def scope(self) -> str:
        """What a snooze of this alert quiets: its kind, for its team alone ("budget:Search")
        or for the organisation ("budget"). Snoozing one team's budget alert must not silence
        another team's channel."""
        return self.condition.judged_as


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """One person's press of Acknowledge: when they took the alert on, whether this press
    recorded it (`new`) and whether they were the first."""

    alert: StoredAlert
    at: datetime
    new: bool
    first: bool = False


@dataclass(frozen=True, slots=True)
class SyncResult:
    new: list[str]  # keys recorded for the first time
    cleared: list[str]  # keys whose condition cleared this run
    closed: list[str]  # keys closed this run (superseded, over, or cleared before anyone saw them)


def _stored(row: AlertRow) -> StoredAlert:
    payload = json.loads(row.payload)  # never empty: every row is written with `_payload`
    condition = Condition.from_dict(
        {**payload, "key": row.key, "kind": row.kind, "period": row.period, "title": row.title}
    )
    return StoredAlert(
        condition=condition,
        state=row.state,
        first_seen_at=row.first_seen_at,
        delivered_at=row.delivered_at,
        attempts=row.attempts,
        last_error=row.last_error,
        slack_channel=row.slack_channel,
        slack_ts=row.slack_ts,
        resolved_at=row.resolved_at,
        recovery_note=payload.get("recovery_note", ""),
        recovery_delivered_at=row.recovery_delivered_at,
        acknowledged_by=row.acknowledged_by,
        post_started_at=row.post_started_at,
    )


def _payload(condition: Condition, recovery_note: str = "") -> str:
    data = condition.as_dict()
    for column in ("key", "kind", "period", "title"):
        data.pop(column)
    if recovery_note:
        data["recovery_note"] = recovery_note
    return json.dumps(data)


class AlertLedger:
    """The alerts and snoozes tables, one transaction per method."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def sync(self, assessment: Assessment, *, now: datetime) -> SyncResult:
        """Record new conditions, close superseded and past ones, resolve cleared ones.

        Nothing here sends: the caller delivers what `pending_deliveries` and
        `pending_recoveries` then return, and marks each one.
        """
        result = SyncResult(new=[], cleared=[], closed=[])
        with Session(self.engine) as session, session.begin():
            _record(session, assessment.conditions, now, result)
            _settle(session, assessment, now, result)
        return result

    def snoozes(self, now: datetime) -> dict[str, datetime]:
        """Scopes (see StoredAlert.scope) snoozed at `now`, with when each snooze ends."""
        with Session(self.engine) as session:
            rows = session.scalars(select(SnoozeRow).where(SnoozeRow.until > now))
            return {row.kind: row.until for row in rows}

    def pending_deliveries(self, now: datetime) -> list[StoredAlert]:
        """Firing alerts not yet delivered, oldest first, leaving out snoozed kinds."""
        return self._unsnoozed(now, AlertRow.state == FIRING, AlertRow.delivered_at.is_(None))

    def pending_recoveries(self, now: datetime) -> list[StoredAlert]:
        """Delivered alerts that cleared and whose recovery message is not sent yet.

        These are exactly the resolved ones: only a delivered alert is resolved (one that
        clears before anyone saw it is closed), and delivering its recovery closes it.
        """
        return self._unsnoozed(now, AlertRow.state == RESOLVED)

    def _unsnoozed(self, now: datetime, *criteria: ColumnElement[bool]) -> list[StoredAlert]:
        """The alerts meeting `criteria`, oldest first, leaving out scopes snoozed at `now`."""
        quiet = self.snoozes(now)
        query = select(AlertRow).where(*criteria).order_by(AlertRow.id)
        with Session(self.engine) as session:
            alerts = [_stored(r) for r in session.scalars(query)]
        return [a for a in alerts if a.scope not in quiet]

    def mark_delivered(self, key: str, posted: Posted, *, now: datetime) -> None:
        with Session(self.engine) as session, session.begin():
            row = self._row(session, key)
            if row is not None and row.delivered_at is None:
                row.delivered_at, row.last_error = now, ""
                row.slack_channel, row.slack_ts = posted.channel, posted.ts
                row.post_started_at = None

    def mark_recovery_delivered(self, key: str, posted: Posted, *, now: datetime) -> None:
        with Session(self.engine) as session, session.begin():
            row = self._row(session, key)
            if row is not None and row.recovery_delivered_at is None:
                row.recovery_delivered_at, row.state, row.last_error = now, CLOSED, ""
                row.post_started_at = None

    def mark_posting(self, key: str, *, at: datetime) -> None:
        """A post of this alert's message is about to start (`at`: real time, Slack's clock),
        committed first, so that a crash mid-post leaves a trace for the next run to check."""
        with Session(self.engine) as session, session.begin():
            row = self._row(session, key)
            if row is not None:
                row.post_started_at = at

    def mark_failed(self, key: str, error: str) -> None:
        """A post failed: count it and keep the reason; the alert stays pending."""
        with Session(self.engine) as session, session.begin():
            row = self._row(session, key)
            if row is not None:
                row.attempts += 1
                row.last_error = error[:500]

    def snooze(
        self, scope: str, *, until: datetime, by: str, audit: AuditEntry | None = None
    ) -> None:
        """Keep alerts of `scope` (StoredAlert.scope) quiet until `until`, replacing any earlier
        snooze of it.

        `audit`, if given, is written in the same transaction.
        """
        with Session(self.engine) as session, session.begin():
            row = session.get(SnoozeRow, scope)
            if row is None:
                session.add(SnoozeRow(kind=scope, until=until, by=by))
            else:
                row.until, row.by = until, by
            if audit is not None:
                add_audit(session, audit)

    def acknowledge(
        self, key: str, *, by: str, now: datetime, audit: AuditEntry | None = None
    ) -> Acknowledgement | None:
        """Record that `by` took the alert on; None if there is no such alert.

        The alert keeps its first acknowledgement; each later person is recorded beside it,
        once: a second press by the same person changes nothing (`new` is False) and writes no
        audit entry, so a double click or a retried request is never told to the channel twice.
        """
        with Session(self.engine) as session, session.begin():
            row = self._row(session, key)
            if row is None:
                return None
            held = session.get(AlertAckRow, (key, by))
            if held is not None:
                return Acknowledgement(_stored(row), held.acknowledged_at, new=False)
            first = not row.acknowledged_by
            if first:
                row.acknowledged_by, row.acknowledged_at = by, now
            elif row.acknowledged_by == by:  # acknowledged before this table existed
                return Acknowledgement(_stored(row), row.acknowledged_at or now, new=False)
            session.add(AlertAckRow(alert_key=key, user_id=by, acknowledged_at=now))
            if audit is not None:
                add_audit(session, audit)
            return Acknowledgement(_stored(row), now, new=True, first=first)

    def get(self, key: str) -> StoredAlert | None:
        with Session(self.engine) as session:
            row = self._row(session, key)
            return None if row is None else _stored(row)

    def lookup(self, keys: Iterable[str]) -> dict[str, StoredAlert]:
        """The stored alerts among keys (for showing what has been sent without changing it)."""
        with Session(self.engine) as session:
            rows = session.scalars(select(AlertRow).where(AlertRow.key.in_(list(keys))))
            return {r.key: _stored(r) for r in rows}

    def open_alerts(self) -> list[StoredAlert]:
        """Alerts still firing or owed a recovery message, oldest first (snoozed ones too: a
        snooze silences a kind, it does not make its alerts go away)."""
        query = select(AlertRow).where(AlertRow.state.in_(_OPEN)).order_by(AlertRow.id)
        with Session(self.engine) as session:
            return [_stored(r) for r in session.scalars(query)]

    def acknowledgers(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """Everyone who acknowledged each of these alerts, first acknowledger first."""
        wanted = list(keys)
        found: dict[str, list[str]] = {}
        with Session(self.engine) as session:
            for row in session.scalars(select(AlertRow).where(AlertRow.key.in_(wanted))):
                if row.acknowledged_by:  # kept on the alert row, also from before alert_acks
                    found.setdefault(row.key, []).append(row.acknowledged_by)
            query = (
                select(AlertAckRow)
                .where(AlertAckRow.alert_key.in_(wanted))
                .order_by(AlertAckRow.acknowledged_at)
            )
            for ack in session.scalars(query):
                users = found.setdefault(ack.alert_key, [])
                if ack.user_id not in users:
                    users.append(ack.user_id)
        return found

    @staticmethod
    def _row(session: Session, key: str) -> AlertRow | None:
        return session.scalars(select(AlertRow).where(AlertRow.key == key)).first()


def _record(
    session: Session, conditions: list[Condition], now: datetime, result: SyncResult
) -> None:
    """Insert conditions seen for the first time; refresh the ones already recorded."""
    found = {c.key: c for c in conditions}
    rows = {r.key: r for r in session.scalars(select(AlertRow).where(AlertRow.key.in_(found)))}
    for key, condition in found.items():
        row = rows.get(key)
        if row is None:
            session.add(_new_row(condition, now))
            result.new.append(key)
            continue
        row.last_seen_at = now
        unsent = row.delivered_at is None  # it closed before anyone saw it
        unrecovered = row.state == RESOLVED and row.recovery_delivered_at is None
        if row.state != FIRING and (unsent or unrecovered):
            row.state, row.resolved_at = FIRING, None  # back before anyone was told otherwise
        if row.state == FIRING and row.delivered_at is None:
            row.title, row.payload = condition.title, _payload(condition)  # fresher figures


def _settle(session: Session, assessment: Assessment, now: datetime, result: SyncResult) -> None:
    """Close what is superseded or over; resolve recoverable alerts that no longer hold."""
    found = {c.key for c in assessment.conditions}
    moot = {key for c in assessment.conditions for key in c.supersedes} - found
    for row in session.scalars(select(AlertRow).where(AlertRow.state.in_(_OPEN))):
        if row.key in found:
            continue
        if row.key in moot or row.period not in assessment.current.get(row.kind, frozenset()):
            row.state = CLOSED
            result.closed.append(row.key)
            continue
        condition = _stored(row).condition
        recoverable = row.kind in RECOVERY_TITLES and condition.judged_as in assessment.judged
        if row.state != FIRING or not recoverable:
            continue
        row.resolved_at = now
        row.payload = _payload(condition, assessment.readings.get(condition.judged_as, ""))
        result.cleared.append(row.key)
        if row.delivered_at is None:
            row.state = CLOSED  # cleared before anyone saw it: no recovery to send
            result.closed.append(row.key)
        else:
            row.state = RESOLVED


def _new_row(condition: Condition, now: datetime) -> AlertRow:
    """A firing, unsent alert; attempts, error, message id and acknowledgement start at the
    columns' defaults (none yet)."""
    return AlertRow(
        key=condition.key,
        kind=condition.kind,
        period=condition.period,
        state=FIRING,
        title=condition.title,
        payload=_payload(condition),
        first_seen_at=now,
        last_seen_at=now,
    )
