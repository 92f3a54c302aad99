"""The alert ledger on real databases (SQLite and PostgreSQL): once per period, across restarts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.alerts.conditions import Assessment, Condition, current_periods
from bot.core.posting import Posted
from bot.db.alerts import CLOSED, FIRING, RESOLVED, AlertLedger
from bot.db.engine import connect

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
TODAY = date(2026, 11, 20)
SENT = Posted(channel="C123", ts="1763640000.000100")


def condition(key: str, *, supersedes: tuple[str, ...] = ()) -> Condition:
    """budget:80:2026-11 is kind budget, period 2026-11."""
    return Condition(
        key=key,
        kind=key.partition(":")[0],
        period=key.rpartition(":")[2],
        title=f"title of {key}",
        numbers={"Month to date": "$4,100.00"},
        why="because",
        severity="warning",
        supersedes=supersedes,
    )


def assessment(
    *conditions: Condition, judged: tuple[str, ...] = (), today: date = TODAY
) -> Assessment:
    return Assessment(
        conditions=list(conditions),
        judged=frozenset(judged),
        current=current_periods(today),
        readings={"projection": "projected month end $4,900.00, budget $5,000.00"},
    )


@pytest.fixture
def ledger(database_url: str) -> Iterator[AlertLedger]:
    engine = connect(database_url)
    yield AlertLedger(engine)
    engine.dispose()


def pending(ledger: AlertLedger, now: datetime = NOW) -> list[str]:
    return [a.key for a in ledger.pending_deliveries(now)]


def test_an_alert_is_recorded_once_per_period(ledger: AlertLedger) -> None:
    budget = condition("budget:80:2026-11")
    first = ledger.sync(assessment(budget), now=NOW)
    assert first.new == ["budget:80:2026-11"]
    assert pending(ledger) == ["budget:80:2026-11"]
    ledger.mark_delivered(budget.key, SENT, now=NOW)

    for hours in (1, 6, 48):
        again = ledger.sync(assessment(budget), now=NOW + timedelta(hours=hours))
        assert again.new == [] and pending(ledger, NOW + timedelta(hours=hours)) == []
    stored = ledger.get(budget.key)
    assert stored is not None and stored.slack_ts == SENT.ts and stored.condition == budget


def test_a_pending_alert_survives_a_restart(database_url: str) -> None:
    engine = connect(database_url)
    ledger = AlertLedger(engine)
    ledger.sync(assessment(condition("budget:80:2026-11")), now=NOW)
    ledger.mark_failed("budget:80:2026-11", "could not reach Slack (URLError)")
    engine.dispose()

    restarted = AlertLedger(connect(database_url))  # a new process: a new engine
    (alert,) = restarted.pending_deliveries(NOW)
    assert alert.key == "budget:80:2026-11" and alert.state == FIRING
    assert alert.attempts == 1 and alert.last_error == "could not reach Slack (URLError)"
    assert restarted.sync(assessment(condition("budget:80:2026-11")), now=NOW).new == []
    restarted.mark_delivered(alert.key, SENT, now=NOW)
    assert restarted.pending_deliveries(NOW) == []
    restarted.engine.dispose()


def test_a_snoozed_kind_stays_quiet_until_the_snooze_ends(ledger: AlertLedger) -> None:
    ledger.sync(assessment(condition("spike:2026-11-18")), now=NOW)
    ledger.snooze("spike", until=NOW + timedelta(days=1), by="U1")
    assert pending(ledger) == [] and pending(ledger, NOW + timedelta(hours=23)) == []
    assert ledger.snoozes(NOW) == {"spike": NOW + timedelta(days=1)}
    assert pending(ledger, NOW + timedelta(days=1, seconds=1)) == ["spike:2026-11-18"]
    ledger.snooze("spike", until=NOW + timedelta(days=7), by="U2")  # a second snooze replaces it
    assert pending(ledger, NOW + timedelta(days=2)) == []


def test_a_cleared_condition_gets_one_recovery(ledger: AlertLedger) -> None:
    projection = condition("projection:2026-11")
    ledger.sync(assessment(projection, judged=("projection",)), now=NOW)
    ledger.mark_delivered(projection.key, SENT, now=NOW)

    later = NOW + timedelta(hours=6)
    cleared = ledger.sync(assessment(judged=("projection",)), now=later)
    assert cleared.cleared == ["projection:2026-11"]
    (recovery,) = ledger.pending_recoveries(later)
    assert recovery.state == RESOLVED and recovery.resolved_at == later
    assert recovery.recovery_note == "projected month end $4,900.00, budget $5,000.00"
    ledger.mark_recovery_delivered(projection.key, SENT, now=later)

    for hours in (12, 18):
        again = ledger.sync(assessment(judged=("projection",)), now=NOW + timedelta(hours=hours))
        assert again.cleared == [] and ledger.pending_recoveries(NOW) == []
    # Back over budget the same month: not alerted again (flapping is the spam users hate).
    back = ledger.sync(assessment(projection, judged=("projection",)), now=NOW + timedelta(days=1))
    assert back.new == [] and pending(ledger) == []


def test_a_kind_that_was_not_judged_does_not_recover(ledger: AlertLedger) -> None:
    projection = condition("projection:2026-11")
    ledger.sync(assessment(projection, judged=("projection",)), now=NOW)
    ledger.mark_delivered(projection.key, SENT, now=NOW)
    assert ledger.sync(assessment(), now=NOW).cleared == []  # e.g. no projection today
    assert ledger.pending_recoveries(NOW) == []


def test_budget_steps_and_spikes_never_recover(ledger: AlertLedger) -> None:
    spike = condition("spike:2026-11-18")
    ledger.sync(assessment(spike), now=NOW)
    ledger.mark_delivered(spike.key, SENT, now=NOW)
    assert ledger.sync(assessment(judged=("spike", "budget")), now=NOW).cleared == []


def test_cleared_before_anyone_saw_it_is_dropped_silently(ledger: AlertLedger) -> None:
    ledger.sync(assessment(condition("projection:2026-11"), judged=("projection",)), now=NOW)
    result = ledger.sync(assessment(judged=("projection",)), now=NOW)
    assert result.closed == ["projection:2026-11"]
    assert pending(ledger) == [] and ledger.pending_recoveries(NOW) == []
    # If it comes back the same month it is still news: nobody has been told yet.
    back = ledger.sync(assessment(condition("projection:2026-11"), judged=("projection",)), now=NOW)
    assert back.new == [] and pending(ledger) == ["projection:2026-11"]


def test_a_higher_step_supersedes_an_unsent_lower_one(ledger: AlertLedger) -> None:
    ledger.sync(assessment(condition("budget:50:2026-11")), now=NOW)  # Slack was down
    higher = condition("budget:80:2026-11", supersedes=("budget:50:2026-11",))
    result = ledger.sync(assessment(higher), now=NOW)
    assert result.closed == ["budget:50:2026-11"]
    assert pending(ledger) == ["budget:80:2026-11"]
    stored = ledger.get("budget:50:2026-11")
    assert stored is not None and stored.state == CLOSED


def test_an_alert_whose_period_ended_closes_without_a_recovery(ledger: AlertLedger) -> None:
    projection = condition("projection:2026-11")
    ledger.sync(assessment(projection, judged=("projection",)), now=NOW)
    ledger.mark_delivered(projection.key, SENT, now=NOW)
    december = date(2026, 12, 1)
    result = ledger.sync(assessment(judged=("projection",), today=december), now=NOW)
    assert result.closed == ["projection:2026-11"] and result.cleared == []
    assert ledger.pending_recoveries(NOW) == []


def test_acknowledge_records_everyone_once_and_the_first_owns_it(ledger: AlertLedger) -> None:
    ledger.sync(assessment(condition("budget:80:2026-11")), now=NOW)
    acked = ledger.acknowledge("budget:80:2026-11", by="U1", now=NOW)
    assert acked is not None and acked.new and acked.first
    assert acked.alert.acknowledged_by == "U1"
    later = NOW + timedelta(minutes=3)
    also = ledger.acknowledge("budget:80:2026-11", by="U2", now=later)
    assert also is not None and also.new and not also.first and also.at == later
    assert also.alert.acknowledged_by == "U1"  # the first one owns it
    # The same person again (a double click, a retried request): nothing new, their first time.
    again = ledger.acknowledge("budget:80:2026-11", by="U2", now=later + timedelta(minutes=1))
    assert again is not None and not again.new and again.at == later
    assert ledger.acknowledge("budget:80:1999-01", by="U1", now=NOW) is None


def test_an_unsent_alert_shows_the_latest_figures_and_a_sent_one_what_was_sent(
    ledger: AlertLedger,
) -> None:
    """Slack being down must not mean stale numbers later; once sent, the record is as sent."""
    first = condition("budget:80:2026-11")
    fresher = replace(first, title="Budget 82 % used", numbers={"Month to date": "$4,200.00"})
    ledger.sync(assessment(first), now=NOW)
    ledger.sync(assessment(fresher), now=NOW + timedelta(hours=6))
    stored = ledger.get(first.key)
    assert stored is not None and stored.condition == fresher

    ledger.mark_delivered(first.key, SENT, now=NOW + timedelta(hours=6))
    newest = replace(fresher, title="Budget 84 % used", numbers={"Month to date": "$4,300.00"})
    ledger.sync(assessment(newest), now=NOW + timedelta(hours=12))
    stored = ledger.get(first.key)
    assert stored is not None and stored.condition == fresher


def test_back_before_the_recovery_was_sent_no_recovery_is_owed(ledger: AlertLedger) -> None:
    """Cleared, then over again before the all-clear went out: firing again, nothing to send."""
    projection = condition("projection:2026-11")
    ledger.sync(assessment(projection, judged=("projection",)), now=NOW)
    ledger.mark_delivered(projection.key, SENT, now=NOW)
    ledger.sync(assessment(judged=("projection",)), now=NOW + timedelta(hours=1))  # Slack down
    back = ledger.sync(assessment(projection, judged=("projection",)), now=NOW + timedelta(hours=2))
    assert back.new == [] and back.cleared == []
    stored = ledger.get(projection.key)
    assert stored is not None and (stored.state, stored.resolved_at) == (FIRING, None)
    assert ledger.pending_recoveries(NOW) == [] and pending(ledger) == []  # it was already sent
    # It clears again later: now the recovery is owed, once.
    later = NOW + timedelta(hours=3)
    assert ledger.sync(assessment(judged=("projection",)), now=later).cleared == [projection.key]
    assert [a.key for a in ledger.pending_recoveries(later)] == [projection.key]


def test_after_its_recovery_an_alert_stays_closed_for_the_period(ledger: AlertLedger) -> None:
    """Over, all-clear sent, over again, clear again: no second alert and no second recovery."""
    projection = condition("projection:2026-11")
    ledger.sync(assessment(projection, judged=("projection",)), now=NOW)
    ledger.mark_delivered(projection.key, SENT, now=NOW)
    ledger.sync(assessment(judged=("projection",)), now=NOW)
    ledger.mark_recovery_delivered(projection.key, SENT, now=NOW)
    for hours in (1, 2, 3):  # flapping: over, clear, over
        flap = (projection,) if hours % 2 else ()
        result = ledger.sync(
            assessment(*flap, judged=("projection",)), now=NOW + timedelta(hours=hours)
        )
        assert (result.new, result.cleared, result.closed) == ([], [], [])
    stored = ledger.get(projection.key)
    assert stored is not None and stored.state == CLOSED
    assert pending(ledger) == [] and ledger.pending_recoveries(NOW) == []


def test_a_superseded_step_that_shows_again_stays_closed(ledger: AlertLedger) -> None:
    """The 50 % step was sent, the 80 % step made it moot; seeing 50 % again changes nothing."""
    ledger.sync(assessment(condition("budget:50:2026-11")), now=NOW)
    ledger.mark_delivered("budget:50:2026-11", SENT, now=NOW)
    higher = condition("budget:80:2026-11", supersedes=("budget:50:2026-11",))
    ledger.sync(assessment(higher), now=NOW)
    again = ledger.sync(assessment(condition("budget:50:2026-11")), now=NOW + timedelta(hours=1))
    # Budget steps never clear (month-to-date spend does not go down), so 80 % stays owed.
    assert (again.new, again.cleared, again.closed) == ([], [], [])
    stored = ledger.get("budget:50:2026-11")
    assert stored is not None and stored.state == CLOSED
    assert pending(ledger) == ["budget:80:2026-11"]


def test_a_recovery_without_a_reading_has_an_empty_note(ledger: AlertLedger) -> None:
    """No figure for the kind today: the recovery message simply has no extra line."""
    growth = condition("growth:2026-10")
    ledger.sync(assessment(growth, judged=("growth",)), now=NOW)
    ledger.mark_delivered(growth.key, SENT, now=NOW)
    ledger.sync(assessment(judged=("growth",)), now=NOW)
    (recovery,) = ledger.pending_recoveries(NOW)
    assert recovery.recovery_note == "" and recovery.condition == growth


def test_an_alert_of_a_kind_no_rule_knows_any_more_is_closed(ledger: AlertLedger) -> None:
    """An open alert whose kind has no current period (a rule retired by an upgrade) closes
    instead of failing every later run."""
    ledger.sync(assessment(condition("stale:openai:2026-11-20T08:00Z")), now=NOW)
    result = ledger.sync(assessment(), now=NOW)  # these assessments have no "stale" periods
    assert result.closed == ["stale:openai:2026-11-20T08:00Z"] and pending(ledger) == []


def test_one_run_settles_every_open_alert(ledger: AlertLedger) -> None:
    """Still holding, over, not recoverable, cleared: each open alert is settled in the same run,
    whichever order the database hands them over in."""
    keys = [
        "spike:2026-11-18",  # still holding: untouched
        "spike:2026-11-01",  # out of the 7-day spike window on 20 Nov: closed
        "budget:50:2026-11",  # no longer found, but budget steps never recover: untouched
        "projection:2026-11",  # delivered and cleared: resolved, recovery owed
        "spike:2026-11-02",  # out of the window: closed
        "growth:2026-10",  # growth not judged this run: untouched
        "spike:2026-11-19",  # still holding: untouched
    ]
    ledger.sync(assessment(*(condition(k) for k in keys)), now=NOW)
    for key in keys:
        ledger.mark_delivered(key, SENT, now=NOW)
    holding = (condition("spike:2026-11-18"), condition("spike:2026-11-19"))
    result = ledger.sync(assessment(*holding, judged=("projection",)), now=NOW)
    assert result.new == [] and result.cleared == ["projection:2026-11"]
    assert sorted(result.closed) == ["spike:2026-11-01", "spike:2026-11-02"]
    states = {key: alert.state for key, alert in ledger.lookup(keys).items()}
    assert states == {
        "spike:2026-11-18": FIRING,
        "spike:2026-11-01": CLOSED,
        "budget:50:2026-11": FIRING,
        "projection:2026-11": RESOLVED,
        "spike:2026-11-02": CLOSED,
        "growth:2026-10": FIRING,
        "spike:2026-11-19": FIRING,
    }
