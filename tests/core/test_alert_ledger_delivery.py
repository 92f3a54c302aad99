"""The alert ledger's delivery bookkeeping on real databases: what is owed, what was sent, why not.

Each alert is posted once: the ledger says what is pending, oldest first, and keeps what Slack
answered (channel and message id, to update the message when a button is pressed), how many posts
failed and the last reason, so `aicost alerts` can tell a team why an alert has not arrived.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.core.posting import Posted
from bot.db.alerts import CLOSED, FIRING, RESOLVED, AlertLedger, StoredAlert
from bot.db.engine import connect
from tests.core.test_alert_ledger import NOW, SENT, assessment, condition, pending

LATER = NOW + timedelta(hours=1)
RESENT = Posted(channel="C999", ts="1763643600.000200")


def _reverse_unordered_selects(connection: object, _record: object) -> None:
    """SQLite's own check for code that relies on an order it never asked for."""
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA reverse_unordered_selects = ON")
    cursor.close()


@pytest.fixture
def ledger(database_url: str) -> Iterator[AlertLedger]:
    """A ledger whose SQLite database returns unordered rows backwards, as it is free to.

    PostgreSQL's order without ORDER BY changes as rows are updated; on SQLite the pragma makes
    the same freedom visible, so an order the ledger promises must come from its query.
    """
    engine = connect(database_url)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _reverse_unordered_selects)
        engine.dispose()  # the migration's pooled connections predate the pragma
    yield AlertLedger(engine)
    engine.dispose()


def stored(ledger: AlertLedger, key: str) -> StoredAlert:
    alert = ledger.get(key)
    assert alert is not None, key
    return alert


def test_a_new_alert_is_pending_with_nothing_sent_yet(ledger: AlertLedger) -> None:
    """Recorded before it is sent: firing, no delivery, no attempt, no error, no message id."""
    budget = condition("budget:80:2026-11")
    ledger.sync(assessment(budget), now=NOW)
    alert = stored(ledger, budget.key)
    assert alert.condition == budget
    assert (alert.state, alert.first_seen_at, alert.delivered_at) == (FIRING, NOW, None)
    assert (alert.attempts, alert.last_error) == (0, "")
    assert (alert.slack_channel, alert.slack_ts) == ("", "")
    assert (alert.resolved_at, alert.recovery_note, alert.recovery_delivered_at) == (None, "", None)
    assert alert.acknowledged_by == ""


def test_failed_posts_are_counted_and_the_last_reason_kept(ledger: AlertLedger) -> None:
    """Two failures: two attempts and the second reason; a delivery then clears the reason."""
    budget = condition("budget:80:2026-11")
    ledger.sync(assessment(budget), now=NOW)
    ledger.mark_failed(budget.key, "could not reach Slack (URLError)")
    ledger.mark_failed(budget.key, "Slack said: channel_not_found")
    alert = stored(ledger, budget.key)
    assert (alert.attempts, alert.last_error) == (2, "Slack said: channel_not_found")
    assert pending(ledger) == [budget.key]  # a failure leaves it pending for the next run

    ledger.mark_delivered(budget.key, SENT, now=LATER)
    alert = stored(ledger, budget.key)
    assert (alert.delivered_at, alert.last_error, alert.attempts) == (LATER, "", 2)
    assert (alert.slack_channel, alert.slack_ts) == ("C123", "1763640000.000100")
    assert pending(ledger) == []


def test_a_long_error_is_kept_to_its_first_500_characters(ledger: AlertLedger) -> None:
    """An HTML error page from a proxy must not bloat the row: 500 characters are kept."""
    ledger.sync(assessment(condition("budget:80:2026-11")), now=NOW)
    error = "x" * 499 + "yz" + "z" * 99  # 600 characters; the 500th is "y"
    ledger.mark_failed("budget:80:2026-11", error)
    kept = stored(ledger, "budget:80:2026-11").last_error
    assert len(kept) == 500 and kept == "x" * 499 + "y"


def test_a_second_delivery_mark_keeps_the_first_message(ledger: AlertLedger) -> None:
    """Buttons update the message that was sent first; a repeated mark must not repoint them."""
    budget = condition("budget:80:2026-11")
    ledger.sync(assessment(budget), now=NOW)
    ledger.mark_delivered(budget.key, SENT, now=NOW)
    ledger.mark_delivered(budget.key, RESENT, now=LATER)
    alert = stored(ledger, budget.key)
    assert (alert.delivered_at, alert.slack_channel, alert.slack_ts) == (NOW, SENT.channel, SENT.ts)


def test_marks_for_an_alert_not_in_the_ledger_change_nothing(ledger: AlertLedger) -> None:
    """A post answered after the row was gone (or a stray key) is ignored, not an error."""
    budget = condition("budget:80:2026-11")
    ledger.sync(assessment(budget), now=NOW)
    gone = "budget:80:1999-01"
    ledger.mark_failed(gone, "boom")
    ledger.mark_delivered(gone, SENT, now=NOW)
    ledger.mark_recovery_delivered(gone, SENT, now=NOW)
    assert ledger.get(gone) is None and ledger.lookup([gone]) == {}
    alert = stored(ledger, budget.key)
    assert (alert.attempts, alert.last_error, alert.delivered_at) == (0, "", None)


def test_a_recovery_is_marked_once_and_closes_the_alert(ledger: AlertLedger) -> None:
    """Delivering the recovery closes the alert and clears the error of a failed recovery post."""
    projection = condition("projection:2026-11")
    ledger.sync(assessment(projection, judged=("projection",)), now=NOW)
    ledger.mark_delivered(projection.key, SENT, now=NOW)
    ledger.sync(assessment(judged=("projection",)), now=NOW)
    ledger.mark_failed(projection.key, "Slack said: ratelimited")
    assert [a.key for a in ledger.pending_recoveries(NOW)] == [projection.key]

    ledger.mark_recovery_delivered(projection.key, SENT, now=LATER)
    alert = stored(ledger, projection.key)
    assert (alert.state, alert.recovery_delivered_at, alert.last_error) == (CLOSED, LATER, "")
    ledger.mark_recovery_delivered(projection.key, RESENT, now=LATER + timedelta(hours=1))
    assert stored(ledger, projection.key).recovery_delivered_at == LATER
    assert ledger.pending_recoveries(LATER) == []


def test_pending_deliveries_come_oldest_first(ledger: AlertLedger) -> None:
    """Alerts go out in the order they were first seen, whatever order the database keeps."""
    keys = ["spike:2026-11-18", "budget:50:2026-11", "projection:2026-11", "spike:2026-11-19"]
    for seen in range(1, len(keys) + 1):  # one more each run, as conditions appear
        ledger.sync(assessment(*(condition(k) for k in keys[:seen])), now=NOW)
    ledger.mark_failed(keys[0], "timed out")  # an update moves a row on PostgreSQL
    assert pending(ledger) == keys


def test_pending_recoveries_come_oldest_first(ledger: AlertLedger) -> None:
    """Recoveries go out in the order the alerts were first seen."""
    keys = ["projection:2026-11", "growth:2026-10", "share:2026-10"]
    kinds = ("projection", "growth", "share")
    ledger.sync(assessment(*(condition(k) for k in keys), judged=kinds), now=NOW)
    for key in keys:
        ledger.mark_delivered(key, SENT, now=NOW)
    assert sorted(ledger.sync(assessment(judged=kinds), now=NOW).cleared) == sorted(keys)
    assert [a.key for a in ledger.pending_recoveries(NOW)] == keys


def test_a_snooze_ends_at_its_moment(ledger: AlertLedger) -> None:
    """Snoozed until 13:00 means quiet at 12:59:59 and pending again at 13:00 exactly."""
    ledger.sync(assessment(condition("spike:2026-11-18")), now=NOW)
    ledger.snooze("spike", until=LATER, by="U1")
    assert pending(ledger, LATER - timedelta(seconds=1)) == []
    assert ledger.snoozes(LATER) == {} and pending(ledger, LATER) == ["spike:2026-11-18"]


def test_a_snooze_holds_back_recoveries_of_its_kind_too(ledger: AlertLedger) -> None:
    """A snoozed kind is quiet both ways: no alert and no all-clear until the snooze ends."""
    projection = condition("projection:2026-11")
    ledger.sync(assessment(projection, judged=("projection",)), now=NOW)
    ledger.mark_delivered(projection.key, SENT, now=NOW)
    ledger.snooze("projection", until=LATER, by="U1")
    ledger.sync(assessment(judged=("projection",)), now=NOW)
    assert ledger.pending_recoveries(NOW) == []
    assert [a.key for a in ledger.pending_recoveries(LATER)] == [projection.key]


def test_a_teams_snooze_quiets_that_team_alone(ledger: AlertLedger) -> None:
    """Snoozing one team's budget alert leaves the other team's and the organisation's going:
    each goes to its own channel, and nobody there asked for quiet."""
    longest = "T" * 64  # a team name at its longest still fits the snooze's key
    org = condition("budget:80:2026-11")
    search = replace(condition("budget:80:Search:2026-11"), team="Search")
    other = replace(condition("budget:80:other:2026-11"), team=longest)
    ledger.sync(assessment(org, search, other), now=NOW)
    assert [stored(ledger, c.key).scope for c in (org, search, other)] == [
        "budget",
        "budget:Search",
        f"budget:{longest}",
    ]
    ledger.snooze("budget:Search", until=LATER, by="U1")
    assert pending(ledger) == [org.key, other.key]
    ledger.snooze(f"budget:{longest}", until=LATER, by="U1")
    assert pending(ledger) == [org.key]
    assert pending(ledger, LATER) == [org.key, search.key, other.key]


def test_lookup_gives_the_stored_alerts_among_the_keys(ledger: AlertLedger) -> None:
    """Each known key with its stored alert, unknown keys left out, nothing changed."""
    budget, spike = condition("budget:80:2026-11"), condition("spike:2026-11-18")
    ledger.sync(assessment(budget, spike), now=NOW)
    ledger.mark_delivered(spike.key, SENT, now=NOW)
    found = ledger.lookup(iter([spike.key, "budget:50:2026-11"]))
    assert list(found) == [spike.key]
    assert found[spike.key].condition == spike and found[spike.key].slack_ts == SENT.ts
    assert ledger.lookup([]) == {} and pending(ledger) == [budget.key]


def test_resolved_alerts_wait_for_their_recovery(ledger: AlertLedger) -> None:
    """A cleared, delivered alert stays resolved until its recovery is sent, not re-cleared."""
    projection = condition("projection:2026-11")
    ledger.sync(assessment(projection, judged=("projection",)), now=NOW)
    ledger.mark_delivered(projection.key, SENT, now=NOW)
    ledger.sync(assessment(judged=("projection",)), now=NOW)
    again = ledger.sync(assessment(judged=("projection",)), now=LATER)
    assert (again.new, again.cleared, again.closed) == ([], [], [])
    alert = stored(ledger, projection.key)
    assert (alert.state, alert.resolved_at) == (RESOLVED, NOW)
    assert alert.recovery_note == "projected month end $4,900.00, budget $5,000.00"
