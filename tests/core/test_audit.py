"""The audit log on SQLite and PostgreSQL: a change and its entry commit together, or neither."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bot.core.alerts.conditions import Assessment, Condition, current_periods
from bot.db.alerts import AlertLedger
from bot.db.audit import (
    ACK,
    CLI_ACTOR,
    REVENUE_IMPORT,
    REVENUE_SET,
    SNOOZE,
    AuditEntry,
    AuditLog,
    ack_entry,
    hours_entry,
    revenue_entry,
    slack_actor,
    snooze_entry,
)
from bot.db.engine import connect
from bot.db.hours import HoursLog
from bot.db.revenue import RevenueStore

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
NAIVE = datetime(2026, 11, 20, 12)  # refused by every UTC column: makes a write fail mid-way
OCTOBER = date(2026, 10, 1)
KEY = "budget:80:2026-11"


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = connect(database_url)
    yield db
    db.dispose()


def revenue(engine: sa.Engine) -> dict[date, Decimal]:
    return {r.month: r.amount_usd for r in RevenueStore(engine).months(OCTOBER, date(2027, 1, 1))}


def record_budget_alert(engine: sa.Engine) -> AlertLedger:
    ledger = AlertLedger(engine)
    budget = Condition(KEY, "budget", "2026-11", "80 % used", {}, "because", "warning")
    ledger.sync(
        Assessment([budget], frozenset(), current_periods(NOW.date())),
        now=NOW,
    )
    return ledger


def test_revenue_and_its_entry_commit_together(engine: sa.Engine) -> None:
    amounts = [(OCTOBER, Decimal("125000"))]
    audit = revenue_entry(REVENUE_SET, amounts, actor=CLI_ACTOR, at=NOW)
    RevenueStore(engine).set_months(amounts, source="manual", at=NOW, by="cli", audit=audit)

    assert revenue(engine) == {OCTOBER: Decimal("125000")}
    (entry,) = AuditLog(engine).latest(15)
    assert entry == AuditEntry(
        NOW, "cli", "revenue.set", "2026-10", "set revenue for 2026-10 to $125,000.00"
    )


def test_a_failing_change_leaves_no_entry(engine: sa.Engine) -> None:
    amounts = [(OCTOBER, Decimal("125000"))]
    audit = revenue_entry(REVENUE_SET, amounts, actor=CLI_ACTOR, at=NOW)
    with pytest.raises(sa.exc.StatementError):
        RevenueStore(engine).set_months(amounts, source="manual", at=NAIVE, audit=audit)
    assert revenue(engine) == {}
    assert AuditLog(engine).latest(15) == []

    with pytest.raises(sa.exc.StatementError):
        HoursLog(engine).add(
            Decimal(2), at=NAIVE, audit=hours_entry(Decimal(2), "", actor="cli", at=NOW)
        )
    assert HoursLog(engine).entries() == []
    assert AuditLog(engine).latest(15) == []


def test_a_failing_entry_undoes_the_change(engine: sa.Engine) -> None:
    """The other direction: a change is never committed without its entry."""
    broken = AuditEntry(NAIVE, "cli", REVENUE_SET, "2026-10", "set revenue")
    with pytest.raises(sa.exc.StatementError):
        RevenueStore(engine).set_months(
            [(OCTOBER, Decimal(1))], source="manual", at=NOW, audit=broken
        )
    assert revenue(engine) == {}
    assert AuditLog(engine).latest(15) == []


def test_hours_and_their_entry_commit_together(engine: sa.Engine) -> None:
    note = "upgraded vLLM " + "x" * 600  # a long note: the entry is cut to fit, not refused
    audit = hours_entry(Decimal("2.5"), note, actor=slack_actor("U1"), at=NOW)
    HoursLog(engine).add(Decimal("2.5"), at=NOW, note=note, user_id="U1", audit=audit)

    (logged,) = HoursLog(engine).entries()
    assert logged.hours == Decimal("2.5") and logged.user_id == "U1"
    (entry,) = AuditLog(engine).latest(15)
    assert entry.actor == "slack:U1" and entry.action == "hours.log"
    assert entry.target == "eng_hours_per_week"
    assert entry.detail.startswith("logged 2.5 h of operations: upgraded vLLM")


def test_snooze_and_each_person_s_acknowledgement_are_audited_once(engine: sa.Engine) -> None:
    ledger = record_budget_alert(engine)
    until = NOW + timedelta(days=7)
    alert = ledger.get(KEY)
    assert alert is not None
    snoozed = snooze_entry(alert.condition, label="7 days", until=until, actor="slack:U1", at=NOW)
    ledger.snooze("budget", until=until, by="U1", audit=snoozed)
    assert ledger.snoozes(NOW) == {"budget": until}

    later = NOW + timedelta(minutes=5)
    ledger.acknowledge(KEY, by="U2", now=later, audit=ack_entry(KEY, actor="slack:U2", at=later))
    # Someone else taking it on too is recorded; the same person pressing again changes
    # nothing, so it is not audited; nor is an unknown alert.
    again = NOW + timedelta(minutes=6)
    ledger.acknowledge(KEY, by="U3", now=again, audit=ack_entry(KEY, actor="slack:U3", at=again))
    ledger.acknowledge(KEY, by="U2", now=again, audit=ack_entry(KEY, actor="slack:U2", at=again))
    gone = "budget:80:1999-01"
    assert (
        ledger.acknowledge(gone, by="U3", now=again, audit=ack_entry(gone, actor="x", at=again))
        is None
    )

    entries = AuditLog(engine).latest(15)
    assert [(e.action, e.actor, e.target) for e in entries] == [
        (ACK, "slack:U3", KEY),
        (ACK, "slack:U2", KEY),
        (SNOOZE, "slack:U1", "budget"),
    ]
    assert "snoozed budget alerts for 7 days (until 2026-11-27 12:00 UTC)" in entries[2].detail


def test_latest_is_newest_first_and_limited(engine: sa.Engine) -> None:
    log = AuditLog(engine)
    for n in range(5):
        months = [(date(2026, n + 1, 1), Decimal(n))]
        log.record(revenue_entry(REVENUE_IMPORT, months, actor="cli", at=NOW + timedelta(hours=n)))
    latest = log.latest(3)
    assert [e.target for e in latest] == ["2026-05", "2026-04", "2026-03"]
    assert latest[0].detail == "imported revenue for 2026-05 (1 month, $4.00 in all)"
