"""The checks of `aicost doctor` that need no Slack: sources, database, scheduler.

Each check asks the real thing the cheapest real question (one day from a provider, the
migration revision, the lock table), so a ✓ means the same request will work at the next sync.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from billing_adapters import (
    ProviderAuthError,
    ProviderError,
    ProviderUnavailable,
    RetryPolicy,
    StripeRevenue,
    redact,
)

from ..core.doctor import Check, failed, passed
from ..db.engine import HEAD, current_revision
from ..db.leader_lock import LOCK_OWNER_PREFIX, lock_holder
from .sync import BillingSource

__all__ = ["database_check", "revenue_check", "scheduler_check", "source_checks"]

SOURCES = "sources"
REVENUE = "revenue stripe"
DATABASE = "database"
SCHEDULER = "scheduler"


def source_checks(
    sources: Sequence[BillingSource],
    *,
    settings_by_source: dict[str, str],
    today: date,
    secrets: Iterable[str],
) -> list[Check]:
    """Each configured source asked for yesterday (one day, the cheapest request it makes)."""
    secrets = list(secrets)
    if not sources:
        names = ", ".join(settings_by_source.values())
        return [failed(SOURCES, f"none configured: set one of {names} (or try `aicost demo`)")]
    checks = []
    day = today - timedelta(days=1)
    for source in sources:
        setting = settings_by_source.get(source.name, "its setting")
        checks.append(_source_check(source, day, setting, secrets))
    return checks


def _source_check(source: BillingSource, day: date, setting: str, secrets: list[str]) -> Check:
    def ask() -> None:
        for _batch in source.stream(day, day + timedelta(days=1)):
            pass

    return _asked(
        f"source {source.name}", source, ask, setting, f"{day.isoformat()} fetched", secrets
    )


def revenue_check(
    api_key: str | None, *, base_url: str | None, secrets: Iterable[str]
) -> Check | None:
    """Stripe asked for one balance transaction, when STRIPE_API_KEY is set (serve completes
    last month's revenue with it, see services/revenue.py); None when it is not."""
    if api_key is None:
        return None
    stripe = StripeRevenue(api_key=api_key, base_url=base_url, retry=RetryPolicy(max_attempts=1))
    accepted = "balance transactions readable"
    return _asked(REVENUE, stripe, stripe.check, "STRIPE_API_KEY", accepted, [api_key, *secrets])


def _asked(
    name: str,
    source: object,
    ask: Callable[[], None],
    setting: str,
    accepted: str,
    secrets: list[str],
) -> Check:
    """Ask, then close `source`: a ✓ naming the setting, or one line saying what went wrong."""
    try:
        ask()
    except ProviderAuthError as exc:  # its message names the setting and what to do
        return failed(name, _said(exc, secrets))
    except ProviderUnavailable as exc:
        return failed(name, f"not reachable just now: {_said(exc, secrets)}")
    except ProviderError as exc:
        return failed(name, _said(exc, secrets))
    except Exception as exc:  # noqa: BLE001 - a missing SDK or credential chain: one line
        reason = redact(f"{type(exc).__name__}: {exc}".splitlines()[0], secrets)
        return failed(name, f"could not ask ({reason}); check {setting}")
    finally:
        close = getattr(source, "close", None)
        if callable(close):
            close()
    return passed(name, f"credential accepted ({setting}; {accepted})")


def _said(exc: ProviderError, secrets: list[str]) -> str:
    """The adapter's one line without its "provider: " prefix (the check's name has it)."""
    return redact(str(exc).removeprefix(f"{exc.provider}: "), secrets)


def database_check(engine: Engine, *, where: str, secrets: Iterable[str]) -> Check:
    """Reachable, and migrated to the newest revision this aicost knows."""
    if _missing_sqlite_file(engine):  # connecting would create it, empty: say so instead
        return failed(
            DATABASE, f"{where} does not exist yet: run `aicost db upgrade` (serve also does)"
        )
    try:
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        return failed(DATABASE, f"cannot connect to {where}: {redact(reason, list(secrets))}")
    if revision is None:
        return failed(
            DATABASE,
            f"{where} has no aicost schema yet: run `aicost db upgrade` (serve also does at start)",
        )
    if revision != HEAD:
        return failed(
            DATABASE,
            f"{where} is at migration {revision}, this aicost needs {HEAD}: "
            "run `aicost db upgrade` (serve also does at start)",
        )
    return passed(DATABASE, f"{where}, migrated to {HEAD}")


def _missing_sqlite_file(engine: Engine) -> bool:
    database = engine.url.database
    return (
        engine.dialect.name == "sqlite"
        and bool(database)
        and database != ":memory:"
        and not Path(database).exists()
    )


def scheduler_check(engine: Engine, *, enabled: bool, in_serve: bool) -> Check:
    """Who runs sync, alerts and digest: on PostgreSQL the holder of the leader lock, on
    SQLite the one serve process. Informational: no owner yet is normal before a serve starts."""
    off = (
        "; AICOST_SCHEDULER=off here: this process never runs sync, alerts or the digest"
        if not enabled
        else ""
    )
    if engine.dialect.name != "postgresql":
        owner = "this process" if in_serve else "the serve process"
        return passed(SCHEDULER, f"{owner} (SQLite: single process){off}")
    try:
        holder = lock_holder(engine)
    except SQLAlchemyError:
        return failed(SCHEDULER, "could not read the lock table (pg_locks)")
    if holder is None:
        return passed(
            SCHEDULER,
            "no process holds the leader lock now; the first `aicost serve` to tick takes it" + off,
        )
    holder = holder.removeprefix(LOCK_OWNER_PREFIX).strip()
    return passed(SCHEDULER, f"led by {holder} (PostgreSQL leader lock){off}")
