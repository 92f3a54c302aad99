"""The governance loop's clock: sync (then alerts) every few hours, digests on their cadences.

Each cadence in use (AICOST_DIGEST_CADENCE) is its own job with its own last run: the weekly
digest at AICOST_DIGEST_SCHEDULE, the daily one every day and the monthly one on the 1st, both
at that setting's time of day.

APScheduler only ticks (every minute); what is due is decided here from the last runs stored
in the database. That keeps the rules testable with any `now`, and makes catch-up after downtime
exact: a sync or digest missed while the process was down runs once on the next tick, never
N times and never not at all. APScheduler 3 has no cross-process locking, so every `serve`
process ticks but only the leader runs the jobs (`LeaderTicks`): on PostgreSQL the holder of an
advisory lock (bot/db/leader_lock.py), on SQLite the one process there is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from ..core.clock import timer_now
from ..core.digest_period import DAILY, KINDS, MONTHLY, WEEKLY
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
    "digest_job",
    "due_jobs",
    "start_scheduler",
]

SYNC = "sync"  # sync every provider, then evaluate and post alerts
DIGEST = "digest"
LEADING = "scheduler: leading (this process runs sync, alerts and digest)"
STANDING_BY = "scheduler: standing by (another process leads; taking over if it stops)"
log = logging.getLogger("aicost.scheduler")


def digest_job(kind: str) -> str:
    """The job's name in job_runs; the weekly one keeps the name it always had."""
    return DIGEST if kind == WEEKLY else f"{DIGEST}:{kind}"


@dataclass(frozen=True, slots=True)
class Schedule:
    sync_every: timedelta
    digests: dict[str, CronTrigger]  # by job name (`digest_job`), the cadences in use only

    @classmethod
    def from_settings(cls, settings: Settings) -> Schedule:
        day, hour, minute = parse_weekly(settings.digest_schedule)
        at = {"hour": hour, "minute": minute, "timezone": settings.tz}
        triggers = {
            WEEKLY: CronTrigger(day_of_week=day, **at),
            DAILY: CronTrigger(**at),
            MONTHLY: CronTrigger(day=1, **at),
        }
        kinds = set(settings.digest_cadences.values()) or {WEEKLY}
        digests = {digest_job(k): triggers[k] for k in KINDS if k in kinds}
        return cls(timedelta(hours=float(settings.sync_every_hours)), digests)

    def digest_due_since(self, job: str, last: datetime, now: datetime) -> bool:
        """Whether one of `job`'s times fell after `last` and at or before `now`."""
        trigger = self.digests[job]
        after = last + timedelta(microseconds=1)
        fire = trigger.get_next_fire_time(None, after.astimezone(trigger.timezone))
        return fire is not None and fire <= now


def due_jobs(
    schedule: Schedule,
    *,
    last_sync: datetime | None,
    last_digests: Mapping[str, datetime | None],
    now: datetime,
) -> list[str]:
    """The jobs to run now, in order. A first start syncs at once; its first digests wait for
    the schedule (a job's last run None means 'never baselined' and is treated as due never)."""
    due = []
    if last_sync is None or now - last_sync >= schedule.sync_every:
        due.append(SYNC)
    for job in schedule.digests:
        last = last_digests.get(job)
        if last is not None and schedule.digest_due_since(job, last, now):
            due.append(job)
    return due


class GovernanceJobs:
    """Runs what is due. The job bodies are passed in (the real ones sync, alert and post)."""

    def __init__(
        self,
        runs: JobRuns,
        schedule: Schedule | Callable[[], Schedule],
        *,
        sync_and_alert: Callable[[datetime], None],
        digest: Callable[[datetime, str], None],
        clock: Callable[[], datetime],
    ) -> None:
        self.runs = runs
        # A callable is asked at every tick: the digest's schedule and cadence set in Slack
        # are in force from the next tick, without a restart.
        self._schedule = schedule if callable(schedule) else (lambda: schedule)
        self.sync_and_alert = sync_and_alert
        self.digest = digest
        self.clock = clock

    @property
    def schedule(self) -> Schedule:
        return self._schedule()

    def tick(self) -> list[str]:
        """One scheduler tick: run every due job once, recording each run before the next."""
        now = self.clock()
        schedule = self.schedule
        kinds = {digest_job(k): k for k in KINDS if digest_job(k) in schedule.digests}
        last_digests = {}
        for job in kinds:
            last = self.runs.last(job)
            if last is None:  # first start (of this cadence): it begins at its next time
                self.runs.record(job, now)
                last = now
            last_digests[job] = last
        ran = []
        for job in due_jobs(
            schedule, last_sync=self.runs.last(SYNC), last_digests=last_digests, now=now
        ):
            try:
                if job == SYNC:
                    self.sync_and_alert(now)
                else:
                    self.digest(now, kinds[job])
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
