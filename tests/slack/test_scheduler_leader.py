"""Two real `aicost serve` processes on one PostgreSQL database run one scheduler loop.

Both start at the same moment on a new database (so both reach for its migrations) and run in
HTTP mode against the loopback Slack stand-in, with nothing configured to say which one
schedules: the first to take the advisory lock leads and syncs (seen in the database, as its
lock connection and as job_runs moving on), the other answers Slack and stands by. When the
leader is killed with SIGKILL (no chance to let go of anything), the survivor takes over within
a bounded time and the loop goes on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.db.engine import connect
from bot.db.leader_lock import LOCK_OWNER_PREFIX
from bot.runtime.scheduler import LEADING, STANDING_BY
from tests.conftest import fresh_database
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.serve_harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    ServeProcess,
    clean_env,
    redact,
    start_serve,
)

TICK_SECONDS = 1
SYNC_EVERY_HOURS = "0.0005"  # 1.8 s: several syncs within the test
TAKEOVER_LIMIT = 15.0  # seconds; a tick is 1 s, and the killed leader's socket closes at once


@pytest.fixture
def database_url(tmp_path: Path, postgres_admin: sa.Engine | None) -> Iterator[str]:
    with fresh_database("postgresql", tmp_path, postgres_admin) as url:
        yield url


@pytest.fixture
def env(database_url: str, slack_api: FakeSlackAPI) -> dict[str, str]:
    return clean_env(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.url,
        AICOST_AS_OF="",  # the real clock: the schedule must move on in real time
        AICOST_SYNC_EVERY_HOURS=SYNC_EVERY_HOURS,
        AICOST_SCHEDULER_TICK_SECONDS=str(TICK_SECONDS),
    )


def lock_holder_pids(engine: sa.Engine) -> list[int]:
    """The OS process ids (from application_name) of connections holding the scheduler lock."""
    with engine.connect() as connection:
        names = connection.execute(
            sa.text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a "
                "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                "AND a.datname = current_database()"
            )
        ).scalars()
        return [int(n.rpartition(":")[2]) for n in names if n.startswith(LOCK_OWNER_PREFIX)]


def last_sync(engine: sa.Engine) -> datetime | None:
    with engine.connect() as connection:
        value = connection.execute(
            sa.text("SELECT last_run_at FROM job_runs WHERE name = 'sync'")
        ).scalar()
    if value is None:
        return None
    if isinstance(value, str):  # never on PostgreSQL, but keep the comparison honest
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def wait_until(condition, timeout: float, what: str, *processes: ServeProcess) -> float:
    """Seconds until condition() held; fails, with the processes' output, after timeout."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            printed = "\n---\n".join(p.stderr_path.read_text() for p in processes)
            pytest.fail(f"{what} not within {timeout} s:\n{redact(printed)}")
        time.sleep(0.1)
    return time.monotonic() - started


def test_two_serve_processes_run_one_loop_and_the_survivor_takes_over(
    env: dict[str, str], tmp_path: Path
) -> None:
    with ThreadPoolExecutor(2) as pool:
        started = list(pool.map(lambda _: start_serve(env, tmp_path), range(2)))
    engine = connect(env["DATABASE_URL"], migrate=False)
    try:
        pids = {s.process.pid: s for s in started}
        wait_until(lambda: len(lock_holder_pids(engine)) == 1, 20, "a leader", *started)
        first = pids[lock_holder_pids(engine)[0]]
        second = next(s for s in started if s is not first)
        wait_until(lambda: STANDING_BY in second.stderr_path.read_text(), 20, "standby", second)

        # For several sync intervals: one lock holder, always the first; the loop moves on.
        # The first sync may still be running when the standby speaks (a loaded machine).
        wait_until(lambda: last_sync(engine) is not None, 20, "a first sync", first)
        synced_before = last_sync(engine)
        assert synced_before is not None
        for _ in range(30):
            assert lock_holder_pids(engine) == [first.process.pid]
            time.sleep(0.1)
        wait_until(lambda: last_sync(engine) > synced_before, 10, "another sync", first)
        assert LEADING in first.stderr_path.read_text()
        assert LEADING not in second.stderr_path.read_text()
        # Standing by is not idle: the second answers Slack like the first.
        assert httpx.get(f"{second.base_url}/healthz", timeout=5).status_code == 200

        # The leader dies without a word; the survivor leads and the loop goes on.
        first.process.kill()
        first.process.wait(timeout=10)
        killed_at = datetime.now(UTC)
        survivor = second.process.pid
        took = wait_until(
            lambda: lock_holder_pids(engine) == [survivor], TAKEOVER_LIMIT, "a takeover", second
        )
        wait_until(lambda: last_sync(engine) > killed_at, 10, "a sync by the survivor", second)
        assert LEADING in second.stderr_path.read_text()
        print(f"takeover after SIGKILL: {took:.2f} s")
    finally:
        engine.dispose()
        for serve in started:
            serve.stop()
