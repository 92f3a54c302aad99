"""The governance loop's clock: sync (then alerts) every few hours, the digest once a week.

APScheduler only ticks (every minute); what is due is decided here from the last runs stored
in the database. That keeps the rules testable with any `now`, and makes catch-up after downtime
exact: a sync or digest missed while the process was down runs once on the next tick, never
N times and never not at all. APScheduler 3 has no cross-process locking, so every `serve`
process ticks but only the leader runs the jobs (`LeaderTicks`): on PostgreSQL the holder of an
advisory lock (bot/db/leader_lock.py), on SQLite the one process there is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from ..core.clock import timer_now
from ..db.job_runs import JobRuns
from ..db.leader_lock import Leadership
from ..settings import Settings, parse_weekly

__all__ = [
    "DIGEST",
    "LEADING",
    "STANDING_BY",
    "SYNC",
    "GovernanceJobs",
    "LeaderTicks",
    "Schedule",
    "due_jobs",
    "start_scheduler",
]

SYNC = "sync"  # sync every provider, then evaluate and post alerts
DIGEST = "digest"
LEADING = "scheduler: leading (this process runs sync, alerts and digest)"
STANDING_BY = "scheduler: standing by (another process leads; taking over if it stops)"
log = logging.getLogger("aicost.scheduler")


@dataclass(frozen=True, slots=True)
class Schedule:
    sync_every: timedelta
    digest: CronTrigger

    @classmethod
    def from_settings(cls, settings: Settings) -> Schedule:
        day, hour, minute = parse_weekly(settings.digest_schedule)
        trigger = CronTrigger(day_of_week=day, hour=hour, minute=minute, timezone=settings.tz)
        return cls(timedelta(hours=float(settings.sync_every_hours)), trigger)

    def digest_due_since(self, last: datetime, now: datetime) -> bool:
        """Whether a digest time fell after `last` and at or before `now`."""
        after = last + timedelta(microseconds=1)
        fire = self.digest.get_next_fire_time(None, after.astimezone(self.digest.timezone))
        return fire is not None and fire <= now


def due_jobs(
    schedule: Schedule, *, last_sync: datetime | None, last_digest: datetime | None, now: datetime
) -> list[str]:
    """The jobs to run now, in order. A first start syncs at once; its first digest waits for
    the schedule (`last_digest` None means 'never baselined' and is treated as due never)."""
    due = []
    if last_sync is None or now - last_sync >= schedule.sync_every:
        due.append(SYNC)
    if last_digest is not None and schedule.digest_due_since(last_digest, now):
        due.append(DIGEST)
    return due


class GovernanceJobs:
    """Runs what is due. The job bodies are passed in (the real ones sync, alert and post)."""

    def __init__(
        self,
        runs: JobRuns,
        schedule: Schedule,
        *,
        sync_and_alert: Callable[[datetime], None],
        digest: Callable[[datetime], None],
        clock: Callable[[], datetime],
    ) -> None:
        self.runs = runs
        self.schedule = schedule
        self.sync_and_alert = sync_and_alert
        self.digest = digest
        self.clock = clock

    def tick(self) -> list[str]:
        """One scheduler tick: run every due job once, recording each run before the next."""
        now = self.clock()
        last_digest = self.runs.last(DIGEST)
        if last_digest is None:  # first start: digests begin at the next scheduled time
            self.runs.record(DIGEST, now)
            last_digest = now
        ran = []
        for job in due_jobs(
            self.schedule, last_sync=self.runs.last(SYNC), last_digest=last_digest, now=now
        ):
            body = self.sync_and_alert if job == SYNC else self.digest
            try:
                body(now)
            except Exception:  # noqa: BLE001 - a failing job must not stop the scheduler
                log.exception("scheduled %s failed; it runs again at its next time", job)
            # Recorded even after a failure: the job bodies keep their own pending work
            # (alerts and digests are delivered on the next run), and retrying every minute
            # would hammer a provider or Slack that is down.
            self.runs.record(job, now)
            ran.append(job)
        return ran


class LeaderTicks:
    """Each tick asks for the lead first (taking it over from a leader that is gone), and runs
    the due jobs only while it holds it; says so whenever that changes."""

    def __init__(self, jobs: GovernanceJobs, leadership: Leadership) -> None:
        self.jobs = jobs
        self.leadership = leadership
        self.leading: bool | None = None  # not yet asked

    def tick(self) -> list[str]:
        leading = self.leadership.lead()
        if leading != self.leading:
            self.leading = leading
            log.info(LEADING if leading else STANDING_BY)
        return self.jobs.tick() if leading else []


def start_scheduler(ticks: LeaderTicks, *, tz: ZoneInfo, every_seconds: float) -> object:
    """A BackgroundScheduler ticking every few seconds, the first tick at once (catch-up on
    start); at exit it stops ticking and gives up the lead, so a standby takes over at once."""
    import atexit

    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = BackgroundScheduler(timezone=tz)
    scheduler.add_job(
        ticks.tick,
        IntervalTrigger(seconds=every_seconds, timezone=tz),
        id="aicost-tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        next_run_time=timer_now(),  # at once, in real time, whatever the pinned clock says
    )
    scheduler.start()

    def stop() -> None:
        scheduler.shutdown(wait=False)
        ticks.leadership.release()

    atexit.register(stop)
    return scheduler
