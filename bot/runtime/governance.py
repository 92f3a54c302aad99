"""The scheduled jobs' bodies: what `aicost serve` does on its own, between slash commands.

After every sync last month's Stripe revenue is completed if it was synced before the month
ended, the alert rules run (alerts are about fresh data) and a digest that Slack refused is
retried; the weekly digest runs on its schedule. Nothing here raises for a provider
or Slack failure: each part keeps its own pending work for the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from billing_adapters import ProviderError, redact

from ..core.clock import utc_now
from ..core.digest_period import WEEKLY, digest_key, period_for
from ..core.posting import Poster
from ..db.digests import DigestLog
from ..db.job_runs import JobRuns
from ..db.store import SpendStore
from ..services.alerts import run_alerts
from ..services.digest_posting import retry_pending_digest, run_digest
from ..services.month_close import post_month_closes
from ..services.revenue import complete_last_month
from ..services.sync import run_sync
from ..settings import Settings
from .scheduler import GovernanceJobs, Schedule
from .wiring import billing_sources

__all__ = ["build_jobs", "describe_schedule"]

log = logging.getLogger("aicost.governance")


def sync_and_alert(
    store: SpendStore,
    settings: Settings,
    poster: Poster | None,
    now: datetime,
    *,
    pace: float = 1.0,
) -> None:
    sources = billing_sources(settings)
    for outcome in run_sync(
        store,
        sources,
        now=now,
        today_local=now.astimezone(settings.tz).date(),
        secrets=settings.secret_values(),
    ):
        if outcome.ok:
            log.info("sync %s: %s", outcome.provider, outcome.message)
        else:
            log.warning("sync %s failed: %s", outcome.provider, outcome.message)
    try:
        completed = complete_last_month(store.engine, settings, now=now)
    except ProviderError as exc:  # names the setting; redacted like every sync error
        why = redact(str(exc), settings.secret_values())
        log.warning("revenue sync failed (growth waits for the next run): %s", why)
    else:
        if completed is not None:
            log.info("revenue synced from Stripe: %d months", len(completed))
    if settings.alert_channel and poster is not None:
        run = run_alerts(store, settings, now=now, poster=poster, post=True, pace=pace)
        for key in run.posted:
            log.info("alert posted: %s", key)
        for error in run.errors:
            log.warning("alert not delivered yet: %s", error)
    retry_pending_digest(store, settings, now=now, poster=poster)
    for run in post_month_closes(store, settings, now=now, poster=poster):
        log.info("month-close %s: %s %s", f"{run.month:%Y-%m}", run.outcome, run.error)


def scheduled_digests(
    store: SpendStore, settings: Settings, poster: Poster | None, now: datetime, kind: str
) -> None:
    """The `kind` digest to every channel on that cadence."""
    channels = [c for c, k in settings.digest_cadences.items() if k == kind]
    if poster is None or not channels:
        # Kept pending, not counted as sent: once the channel is set, the next sync posts it.
        digests = DigestLog(store.engine)
        start = period_for(kind, now.astimezone(settings.tz).date()).start
        for channel in channels or ([None] if kind == WEEKLY else []):
            key = digest_key(kind, start, channel or "", legacy_channel=settings.digest_channel)
            if channel is None:
                key = digest_key(kind, start, "", legacy_channel="")
            if digests.claim(key, now):
                digests.update(key, error="not posted: SLACK_BOT_TOKEN or a digest channel unset")
        log.info("%s digest not posted: set SLACK_BOT_TOKEN and AICOST_DIGEST_CHANNEL", kind)
        return
    for channel in channels:
        run = run_digest(
            store,
            settings,
            now=now,
            poster=poster,
            post=True,
            chart_path=None,
            kind=kind,
            channel=channel,
        )
        log.info("%s digest to %s: %s", kind, channel, run.outcome)


def build_jobs(
    store: SpendStore,
    settings: Settings | Callable[[], Settings],
    *,
    poster: Poster | None,
    clock: Callable[[], datetime] = utc_now,
    pace: float = 1.0,
) -> GovernanceJobs:
    """The scheduler's jobs over one store; `pace` is the pause between alert posts (Slack
    allows about one message a second per channel). Given a callable (`serve`'s LiveSettings),
    each tick and each job reads the settings in force when it runs."""
    current = settings if callable(settings) else (lambda: settings)
    built: list[tuple[Settings, Schedule]] = []

    def schedule() -> Schedule:
        # Built again only when the settings change (LiveSettings keeps one object a version).
        s = current()
        if not built or built[0][0] is not s:
            built[:] = [(s, Schedule.from_settings(s))]
        return built[0][1]

    def in_force() -> tuple[SpendStore, Settings]:
        s = current()
        return SpendStore(store.engine, s.fx), s

    return GovernanceJobs(
        JobRuns(store.engine),
        schedule,
        sync_and_alert=lambda now: sync_and_alert(*in_force(), poster, now, pace=pace),
        digest=lambda now, kind: scheduled_digests(*in_force(), poster, now, kind),
        clock=clock,
    )


def describe_schedule(settings: Settings) -> str:
    if not settings.scheduler_enabled:
        return "scheduler off (AICOST_SCHEDULER=off): this process never leads sync, alerts, digest"
    return (
        f"scheduler on: sync and alerts every {settings.sync_every_hours} h, "
        f"digest {_cadences(settings)} at {settings.digest_schedule} {settings.timezone}; "
        "one process leads (see 'scheduler: leading')"
    )


def _cadences(settings: Settings) -> str:
    cadences = settings.digest_cadences
    return ", ".join(f"{c} {k}" for c, k in cadences.items()) or "(no channel)"
