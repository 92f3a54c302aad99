"""`aicost doctor`: check the set-up end to end, one line a check; `serve` runs the same at start.

Slack (token, scopes, channels), each billing source's credential, Stripe's when revenue is
synced from it, the database's migration and who runs the scheduler: each found wrong now,
rather than at the first sync or digest.
"""

from __future__ import annotations

import argparse
import json
import logging
import threading
from typing import TYPE_CHECKING, Any

from ..core.clock import utc_now
from ..core.doctor import Check, DoctorReport, failed
from ..db.credentials import without_password
from ..render.doctor_text import check_line, doctor_text

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["add_commands", "check_in_background", "log_checks", "run_checks"]

log = logging.getLogger("aicost.doctor")


def add_commands(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check the set-up: Slack token, scopes and channels, each source's credential, "
        "the database's migration, the scheduler's owner (exit 1 if anything is to fix)",
    )
    doctor.add_argument("--json", action="store_true", help="the checks as JSON")
    doctor.set_defaults(handler=cmd_doctor)


def run_checks(settings: Settings, *, in_serve: bool = False) -> DoctorReport:
    """Every check, in the order a set-up is done: Slack, sources, database, scheduler."""
    from billing_adapters import RetryPolicy

    from ..db.engine import DatabaseURLError, connect
    from ..runtime.wiring import SOURCES, billing_sources
    from ..services.doctor import database_check, revenue_check, scheduler_check, source_checks
    from ..slack.doctor import slack_checks

    checks: list[Check] = list(slack_checks(settings))
    checks += source_checks(
        # One try a source: a doctor waits seconds, not a sync's minutes of backoff, for an outage.
        billing_sources(settings, retry=RetryPolicy(max_attempts=1)),
        settings_by_source={name: source.setting for name, source in SOURCES.items()},
        today=utc_now().date(),
        secrets=settings.secret_values(),
    )
    key = settings.stripe_api_key
    revenue = revenue_check(
        None if key is None else key.get_secret_value(),
        base_url=settings.stripe_base_url,
        secrets=settings.secret_values(),
    )
    checks += [revenue] if revenue is not None else []
    where = without_password(settings.database_url)
    try:
        engine = connect(settings.database_url, migrate=False)
    except DatabaseURLError as exc:
        return DoctorReport((*checks, failed("database", str(exc))))
    try:
        checks.append(database_check(engine, where=where, secrets=settings.secret_values()))
        checks.append(
            scheduler_check(engine, enabled=settings.scheduler_enabled, in_serve=in_serve)
        )
    finally:
        engine.dispose()
    return DoctorReport(tuple(checks))


def log_checks(settings: Settings) -> None:
    """`serve` at start: one log line a check; a ✗ is a warning and the start goes on."""
    try:
        report = run_checks(settings, in_serve=True)
    except Exception as exc:  # noqa: BLE001 - a check's own bug must not stop serve
        log.warning("doctor: the start-up checks failed (%s); run `aicost doctor`", exc)
        return
    for check in report.checks:
        log.log(logging.INFO if check.ok else logging.WARNING, "doctor: %s", check_line(check))


def check_in_background(settings: Settings) -> threading.Thread:
    """The start-up checks on their own thread: a slow provider (one try, up to its timeout)
    must not hold up listening for Slack, whose acks have 3 seconds."""
    thread = threading.Thread(target=log_checks, args=(settings,), name="aicost-doctor")
    thread.daemon = True
    thread.start()
    return thread


def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    report = run_checks(settings)
    print(json.dumps(report.as_dict(), indent=2) if args.json else doctor_text(report))
    return 0 if report.ok else 1
