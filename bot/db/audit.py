"""The audit log: every change made to aicost, who made it and when.

A store that changes something takes an optional `audit` entry and writes it with `add_audit`
in the same transaction as the change, so the log never shows a change that was rolled back
and never misses one that was committed. The entry builders below keep the wording of each
kind of change in one place for Slack and the CLI alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from billing_adapters.redaction import redact

from ..core.alerts.conditions import Condition
from ..core.money import format_usd
from ..core.records import AuditEntry
from .models import AuditRow

__all__ = [
    "ACK",
    "CLI_ACTOR",
    "CONFIG_SET",
    "CONFIG_UNSET",
    "HOURS_LOG",
    "REVENUE_IMPORT",
    "REVENUE_SET",
    "REVENUE_SYNC",
    "SNOOZE",
    "AuditLog",
    "ack_entry",
    "add_audit",
    "apply_once",
    "config_entry",
    "hours_entry",
    "request_key",
    "revenue_entry",
    "slack_actor",
    "snooze_entry",
]

REVENUE_SET, REVENUE_IMPORT, REVENUE_SYNC = "revenue.set", "revenue.import", "revenue.sync"
HOURS_LOG, SNOOZE, ACK = "hours.log", "alert.snooze", "alert.ack"
CONFIG_SET, CONFIG_UNSET = "config.set", "config.unset"
CLI_ACTOR = "cli"  # the operator at a terminal, with database access; not subject to AICOST_ADMINS
SCHEDULER_ACTOR = "scheduler"  # what `aicost serve` does on its own schedule
MAX_DETAIL = 1000
T = TypeVar("T")


def slack_actor(user_id: str) -> str:
    """The actor for a Slack user: `slack:U123`."""
    return f"slack:{user_id}"


def add_audit(session: Session, entry: AuditEntry) -> None:
    """Write `entry` in `session`, so it commits (or rolls back) with the change it describes."""
    session.add(
        AuditRow(
            at=entry.at,
            actor=entry.actor[:64],
            action=entry.action[:32],
            target=entry.target[:191],
            detail=entry.detail[:MAX_DETAIL],
            request_key=entry.request_key,
            answered_at=entry.answered_at,
        )
    )


def request_key(trigger_id: str) -> str | None:
    """The key of a change asked for in Slack request `trigger_id` (None without one)."""
    return f"slack:{trigger_id}"[:191] if trigger_id else None


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, entry: AuditEntry) -> None:
        """Write one entry on its own, for a change that has no store method to carry it."""
        with Session(self.engine) as session, session.begin():
            add_audit(session, entry)

    def latest(self, limit: int = 15) -> list[AuditEntry]:
        """The `limit` most recent entries, newest first."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
            )
            return [_entry(r) for r in rows]

    def by_request(self, key: str) -> AuditEntry | None:
        """The change already made for Slack request `key`, if any."""
        with Session(self.engine) as session:
            row = session.scalars(select(AuditRow).where(AuditRow.request_key == key)).first()
            return None if row is None else _entry(row)

    def mark_answered(self, key: str, at: datetime) -> None:
        """The person who asked for change `key` has been told it is done."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(AuditRow).where(AuditRow.request_key == key).values(answered_at=at)
            )


def apply_once(
    log: AuditLog, request: str | None, change: Callable[[], T]
) -> tuple[bool, T | None]:
    """(True, what `change` returned), or (False, None) when Slack request `request` was
    applied already. `change` must write an audit entry keyed by `request` in its own
    transaction: the key is unique, so of two copies racing one commits and the other rolls
    back whole."""
    if request is not None and log.by_request(request) is not None:
        return False, None
    try:
        return True, change()
    except IntegrityError:
        if request is not None and log.by_request(request) is not None:
            return False, None  # a concurrent copy of the same request won
        raise


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        row.at, row.actor, row.action, row.target, row.detail, row.request_key, row.answered_at
    )


def _months(months: Sequence[date]) -> str:
    first, last = min(months), max(months)
    return f"{first:%Y-%m}" if first == last else f"{first:%Y-%m}..{last:%Y-%m}"


def revenue_entry(
    action: str,
    amounts: Sequence[tuple[date, Decimal]],
    *,
    actor: str,
    at: datetime,
    origin: str = "",
) -> AuditEntry:
    """Revenue set by hand (one month), imported from a file or synced from Stripe."""
    target = _months([month for month, _ in amounts]) if amounts else ""
    if action == REVENUE_SET and len(amounts) == 1:
        detail = f"set revenue for {target} to {format_usd(amounts[0][1])}"
    else:
        verb = "synced" if action == REVENUE_SYNC else "imported"
        total = format_usd(sum((amount for _, amount in amounts), Decimal(0)))
        count = f"{len(amounts)} month{'s' if len(amounts) != 1 else ''}"
        detail = f"{verb} revenue for {target} ({count}, {total} in all)"
    return AuditEntry(at, actor, action, target, f"{detail}{' from ' + origin if origin else ''}")


def hours_entry(hours: Decimal, note: str, *, actor: str, at: datetime) -> AuditEntry:
    """Hours logged: they change the measured eng_hours_per_week of the break-even answer."""
    detail = f"logged {hours} h of operations{': ' + note if note else ''}"
    return AuditEntry(at, actor, HOURS_LOG, "eng_hours_per_week", detail)


def snooze_entry(
    alert: Condition, *, label: str, until: datetime, actor: str, at: datetime
) -> AuditEntry:
    """The alert's kind silenced for everyone, the organisation's or its team's (from `alert`,
    whose button was pressed); the target is what the ledger keys the snooze by."""
    whose = f" of team {alert.team}" if alert.team else ""
    detail = (
        f"snoozed {alert.kind} alerts{whose} for {label} "
        f"(until {until.astimezone(UTC):%Y-%m-%d %H:%M} UTC), from alert {alert.key}"
    )
    return AuditEntry(at, actor, SNOOZE, alert.judged_as, detail)


def ack_entry(key: str, *, actor: str, at: datetime) -> AuditEntry:
    """An alert taken on."""
    return AuditEntry(at, actor, ACK, key, f"acknowledged alert {key}")


def config_entry(name: str, value: str | None, *, actor: str, at: datetime) -> AuditEntry:
    """A setting stored over the environment (`value`), or removed from storage (None)."""
    if value is None:
        detail = f"removed the stored {name}: the environment's value is in force again"
        return AuditEntry(at, actor, CONFIG_UNSET, name, detail)
    # A key pasted into the wrong box must not be kept in the log.
    return AuditEntry(at, actor, CONFIG_SET, name, f"set {name} to {redact(value)}")
