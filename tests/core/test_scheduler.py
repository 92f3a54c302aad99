"""The schedule driven by a controllable clock through weeks, a month boundary and downtime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.db.engine import connect
from bot.db.job_runs import JobRuns
from bot.runtime.scheduler import DIGEST, SYNC, GovernanceJobs, Schedule, due_jobs
from bot.settings import load_settings

BERLIN = ZoneInfo("Europe/Berlin")


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def schedule(every_hours: str = "6", weekly: str = "mon 09:00", tz: str = "Europe/Berlin"):
    settings = load_settings(
        AICOST_SYNC_EVERY_HOURS=every_hours, AICOST_DIGEST_SCHEDULE=weekly, AICOST_TIMEZONE=tz
    )
    return Schedule.from_settings(settings)


def harness(tmp_path, start: datetime) -> tuple[GovernanceJobs, Clock, list[tuple[str, datetime]]]:
    calls: list[tuple[str, datetime]] = []
    clock = Clock(start)
    jobs = GovernanceJobs(
        JobRuns(connect(f"sqlite:///{tmp_path / 'jobs.db'}")),
        schedule(),
        sync_and_alert=lambda now: calls.append((SYNC, now)),
        digest=lambda now, kind: calls.append((DIGEST, now)),
        clock=clock,
    )
    return jobs, clock, calls


def run_hours(jobs: GovernanceJobs, clock: Clock, hours: int, step_minutes: int = 60) -> None:
    for _ in range(hours * 60 // step_minutes):
        jobs.tick()
        clock.now += timedelta(minutes=step_minutes)


def test_first_start_syncs_at_once_and_waits_for_the_digest(tmp_path) -> None:
    # Wednesday 2026-11-25 12:00 UTC.
    jobs, clock, calls = harness(tmp_path, datetime(2026, 11, 25, 12, tzinfo=UTC))
    assert jobs.tick() == [SYNC]
    assert jobs.tick() == []


def test_four_weeks_across_a_month_boundary(tmp_path) -> None:
    # From Wed 25 Nov 2026 to Wed 23 Dec 2026: Mondays 30 Nov, 7, 14, 21 Dec.
    start = datetime(2026, 11, 25, 12, tzinfo=UTC)
    jobs, clock, calls = harness(tmp_path, start)
    run_hours(jobs, clock, 28 * 24, step_minutes=15)

    syncs = [at for job, at in calls if job == SYNC]
    digests = [at.astimezone(BERLIN) for job, at in calls if job == DIGEST]
    assert len(syncs) == 28 * 24 // 6  # every 6 hours, never twice
    assert all(b - a == timedelta(hours=6) for a, b in zip(syncs, syncs[1:], strict=False))
    # One digest a week, on the first tick at or after Monday 09:00 Berlin time.
    assert [(d.date().isoformat(), d.hour, d.minute) for d in digests] == [
        ("2026-11-30", 9, 0),
        ("2026-12-07", 9, 0),
        ("2026-12-14", 9, 0),
        ("2026-12-21", 9, 0),
    ]


def test_downtime_catches_up_once(tmp_path) -> None:
    start = datetime(2026, 11, 27, 12, tzinfo=UTC)  # Friday
    jobs, clock, calls = harness(tmp_path, start)
    run_hours(jobs, clock, 24)
    calls.clear()
    # Down from Saturday 28 Nov 12:00 to Tuesday 8 Dec 12:00: two Mondays (30 Nov, 7 Dec) and
    # forty 6-hour syncs were missed.
    clock.now += timedelta(days=10)
    assert jobs.tick() == [SYNC, DIGEST]  # once each: not 40 syncs, not a digest per week
    assert jobs.tick() == []
    assert [job for job, _ in calls] == [SYNC, DIGEST]


def test_a_restart_keeps_the_last_runs(tmp_path) -> None:
    start = datetime(2026, 11, 30, 7, tzinfo=UTC)  # Monday 08:00 Berlin
    jobs, clock, calls = harness(tmp_path, start)
    assert jobs.tick() == [SYNC]
    clock.now += timedelta(hours=2)  # 10:00 Berlin: the digest is due
    restarted = GovernanceJobs(
        JobRuns(connect(f"sqlite:///{tmp_path / 'jobs.db'}")),
        schedule(),
        sync_and_alert=lambda now: calls.append((SYNC, now)),
        digest=lambda now, kind: calls.append((DIGEST, now)),
        clock=clock,
    )
    assert restarted.tick() == [DIGEST]  # the sync ran 2 h ago: not due again
    assert restarted.tick() == []


def test_a_failing_job_does_not_stop_the_others(tmp_path) -> None:
    clock = Clock(datetime(2026, 11, 30, 9, tzinfo=UTC))
    runs = JobRuns(connect(f"sqlite:///{tmp_path / 'jobs.db'}"))
    runs.record(DIGEST, clock.now - timedelta(days=7))
    digests: list[datetime] = []

    def broken_sync(now: datetime) -> None:
        raise RuntimeError("provider down")

    jobs = GovernanceJobs(
        runs,
        schedule(),
        sync_and_alert=broken_sync,
        digest=lambda now, kind: digests.append(now),
        clock=clock,
    )
    assert jobs.tick() == [SYNC, DIGEST]
    assert digests == [clock.now]
    assert runs.last(SYNC) == clock.now  # not retried every minute while the provider is down


def test_due_jobs_is_plain_arithmetic() -> None:
    s = schedule(every_hours="0.5", weekly="fri 17:30", tz="UTC")
    friday = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
    assert due_jobs(s, last_sync=None, last_digests={}, now=friday) == [SYNC]
    last = friday - timedelta(minutes=29)
    assert due_jobs(
        s, last_sync=last, last_digests={DIGEST: friday - timedelta(days=1)}, now=friday
    ) == [DIGEST]
    assert due_jobs(s, last_sync=last, last_digests={DIGEST: friday}, now=friday) == []
    assert s.sync_every == timedelta(minutes=30) and Decimal("0.5") * 60 == 30
