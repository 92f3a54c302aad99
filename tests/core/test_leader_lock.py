"""The scheduler's leader lock on a real PostgreSQL: one holder, and a takeover when it is gone.

The two-process version (real `aicost serve` processes, one killed) is in
tests/slack/test_scheduler_leader.py; here the lock's own rules, each in one process.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.db.engine import connect
from bot.db.job_runs import JobRuns
from bot.db.leader_lock import LOCK_OWNER_PREFIX, AdvisoryLock, SingleProcess, leadership_for
from bot.runtime.scheduler import SYNC, GovernanceJobs, LeaderTicks, Schedule
from bot.settings import load_settings
from tests.conftest import fresh_database

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path, postgres_admin: sa.Engine | None) -> Iterator[sa.Engine]:
    with fresh_database("postgresql", tmp_path, postgres_admin) as url:
        engine = connect(url)
        yield engine
        engine.dispose()


def lock_holders(engine: sa.Engine) -> list[str]:
    """application_name of every connection holding an advisory lock in this database."""
    with engine.connect() as connection:
        return list(
            connection.execute(
                sa.text(
                    "SELECT a.application_name FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted "
                    "AND l.database = (SELECT oid FROM pg_database "
                    "WHERE datname = current_database())"
                )
            ).scalars()
        )


def test_one_holder_until_it_lets_go(engine: sa.Engine) -> None:
    first, second = AdvisoryLock(engine), AdvisoryLock(engine)
    try:
        assert first.lead() is True
        assert second.lead() is False
        assert first.lead() is True  # kept, not re-taken
        assert second.lead() is False
        holders = lock_holders(engine)
        assert len(holders) == 1 and holders[0].startswith(LOCK_OWNER_PREFIX)
        first.release()
        assert second.lead() is True
        assert first.lead() is False
    finally:
        first.release()
        second.release()


def test_a_leader_whose_connection_dies_stops_leading(
    engine: sa.Engine, postgres_admin: sa.Engine
) -> None:
    leader, standby = AdvisoryLock(engine), AdvisoryLock(engine)
    try:
        assert leader.lead() is True
        assert standby.lead() is False
        # The server ends the leader's lock connection (a failover, an admin, a network cut).
        with engine.connect() as connection:
            killed = connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(l.pid) FROM pg_locks l "
                    "WHERE l.locktype = 'advisory' AND l.granted "
                    "AND l.database = (SELECT oid FROM pg_database "
                    "WHERE datname = current_database())"
                )
            ).scalars()
            assert list(killed) == [True]
        deadline = time.monotonic() + 10
        while not standby.lead():
            assert time.monotonic() < deadline, "the lock was not released"
            time.sleep(0.05)
        assert leader.lead() is False  # it noticed, and does not lead beside the new leader
    finally:
        leader.release()
        standby.release()


def test_only_the_leader_runs_the_jobs(engine: sa.Engine) -> None:
    ran: list[str] = []
    settings = load_settings(AICOST_SYNC_EVERY_HOURS="6")

    def ticks(name: str) -> LeaderTicks:
        jobs = GovernanceJobs(
            JobRuns(engine),
            Schedule.from_settings(settings),
            sync_and_alert=lambda now: ran.append(name),
            digest=lambda now, kind: ran.append(f"{name} digest"),
            clock=lambda: NOW,
        )
        return LeaderTicks(jobs, AdvisoryLock(engine))

    first, second = ticks("first"), ticks("second")
    try:
        assert first.tick() == [SYNC]
        assert second.tick() == []
        assert (first.leading, second.leading) == (True, False)
        assert ran == ["first"]
    finally:
        first.leadership.release()
        second.leadership.release()


def test_sqlite_is_one_process_that_always_leads(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'one.db'}")
    leadership = leadership_for(engine)
    assert isinstance(leadership, SingleProcess)
    assert leadership.lead() is True
    engine.dispose()
