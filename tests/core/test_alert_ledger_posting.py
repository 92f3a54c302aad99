"""The ledger's trace of a post in flight: set before a post starts, kept while nothing records
the post, and cleared once the message (or its recovery) is recorded as delivered.

The next run reads it to decide whether to look in the channel's history before posting again
(tests/cli/test_crash_mid_post.py kills a real process between the two).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db.alerts import AlertLedger
from bot.db.engine import connect
from tests.core.test_alert_ledger import NOW, SENT, assessment, condition

STARTED = NOW + timedelta(minutes=3)  # real time, as timer_now gives it


@pytest.fixture
def ledger(database_url: str) -> AlertLedger:
    return AlertLedger(connect(database_url))


def test_a_started_post_is_remembered_until_it_is_recorded(ledger: AlertLedger) -> None:
    budget = condition("budget:80:2026-11")
    ledger.sync(assessment(budget), now=NOW)
    assert ledger.pending_deliveries(NOW)[0].post_started_at is None  # never tried

    ledger.mark_posting(budget.key, at=STARTED)
    (pending,) = ledger.pending_deliveries(NOW)  # a crash now leaves it pending, with the trace
    assert pending.key == budget.key and pending.post_started_at == STARTED

    ledger.mark_delivered(budget.key, SENT, now=NOW)
    alert = ledger.get(budget.key)
    assert alert is not None and alert.post_started_at is None and alert.slack_ts == SENT.ts


def test_a_recovery_post_leaves_the_same_trace_and_clears_it(ledger: AlertLedger) -> None:
    projection = condition("projection:2026-11")
    ledger.sync(assessment(projection, judged=("projection",)), now=NOW)
    ledger.mark_delivered(projection.key, SENT, now=NOW)
    later = NOW + timedelta(hours=6)
    ledger.sync(assessment(judged=("projection",)), now=later)  # it cleared
    (recovery,) = ledger.pending_recoveries(later)
    assert recovery.post_started_at is None

    ledger.mark_posting(projection.key, at=STARTED)
    (recovery,) = ledger.pending_recoveries(later)
    assert recovery.post_started_at == STARTED
    ledger.mark_recovery_delivered(projection.key, SENT, now=later)
    alert = ledger.get(projection.key)
    assert alert is not None and alert.post_started_at is None and alert.state == "closed"


def test_marking_an_unknown_alert_changes_nothing(ledger: AlertLedger) -> None:
    ledger.mark_posting("budget:80:1999-01", at=STARTED)
    assert ledger.get("budget:80:1999-01") is None
