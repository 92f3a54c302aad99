"""SIGKILL `aicost sync` at random moments mid-backfill: stored data is always whole.

The providers first bill version A of every day, which is synced to completion; then they revise
every day to version B, and a re-sync is killed at seeded random moments. After each kill the
stored totals must be exactly A or exactly B, per provider, with one row per key; a final run
to completion must give exactly B. (What a killed run staged lives in temporary tables on its
own connection and dies with it: nothing is left to look for.)
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.clock import previous_month_start
from bot.db.engine import connect
from bot.money import to_nanos
from tests.cli.conftest import aicost_command, clean_env
from tests.fakes.provider_api import (
    ANTHROPIC_KEY,
    OPENAI_KEY,
    ProviderAPI,
    anthropic_cost,
    openai_cost,
)

TODAY = datetime.now(UTC).date()
FIRST = previous_month_start(TODAY)
DAYS = [FIRST + timedelta(days=n) for n in range((TODAY - FIRST).days + 1)]
PROJECTS = ("proj_a", "proj_b", "proj_c")
ITEMS = ("gpt-4o, input", "gpt-4o, output", "o3, input")
KILLS = 4


def openai_amount(version: int, n: int, p: int, i: int) -> Decimal:
    return Decimal(f"{version}.{(n * 37 + p * 11 + i * 5) % 1000:03d}123")


def anthropic_cents(version: int, n: int, w: int) -> Decimal:
    return Decimal(f"{version * 100 + n}.{(n + w) % 100:02d}5")


def bill(api: ProviderAPI, version: int) -> dict[str, tuple[int, int]]:
    """Serve `version` of every day; returns what must be stored: (nano-dollars, rows)."""
    openai_total = anthropic_total = 0
    for n, day in enumerate(DAYS):
        api.clear("openai", "costs", day)
        api.clear("anthropic", "costs", day)
        for p, project in enumerate(PROJECTS):
            for i, item in enumerate(ITEMS):
                amount = openai_amount(version, n, p, i)
                api.add("openai", "costs", day, openai_cost(project, item, str(amount)))
                openai_total += to_nanos(amount)
        for w in range(2):
            amount = anthropic_cents(version, n, w)
            api.add("anthropic", "costs", day, anthropic_cost(f"wrk_{w}", "Sonnet", str(amount)))
            anthropic_total += to_nanos(amount / 100)
    return {
        "openai": (openai_total, len(DAYS) * len(PROJECTS) * len(ITEMS)),
        "anthropic": (anthropic_total, len(DAYS) * 2),
    }


def stored(url: str) -> dict[str, tuple[int, int]]:
    engine = connect(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT provider, SUM(amount_nanos), COUNT(*) FROM cost_lines "
                    "WHERE day >= :first GROUP BY provider"
                ),
                {"first": FIRST},
            ).all()
    finally:
        engine.dispose()
    return {p: (int(total), count) for p, total, count in rows}


def start_sync(tmp_path: Path, env: dict[str, str], since: date) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        aicost_command("sync", "--since", since.isoformat()),
        cwd=tmp_path,
        env=clean_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as server:
        server.page_limit = 3  # many small pages, so a kill lands between them too
        yield server


def test_sync_killed_at_random_moments_leaves_before_or_after(
    api: ProviderAPI, database_url: str, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": database_url,
        "OPENAI_ADMIN_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": api.openai_base_url,
        "ANTHROPIC_ADMIN_KEY": ANTHROPIC_KEY,
        "ANTHROPIC_BASE_URL": api.anthropic_base_url,
    }
    before = bill(api, 1)
    first = start_sync(tmp_path, env, FIRST)
    assert first.wait(timeout=60) == 0
    assert stored(database_url) == before

    after = bill(api, 2)
    api.delay = 0.05  # each page answers slowly, so the kills land mid-backfill
    moments = random.Random(5).sample(range(5, 45), KILLS)  # tenths of a second
    outcomes = set()
    for tenths in moments:
        run = start_sync(tmp_path, env, FIRST)
        time.sleep(tenths / 10)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
        totals = stored(database_url)
        for provider in ("openai", "anthropic"):
            assert totals[provider] in (before[provider], after[provider]), (tenths, totals)
            outcomes.add(totals[provider] == after[provider])

    final = start_sync(tmp_path, env, FIRST)
    assert final.wait(timeout=60) == 0
    assert stored(database_url) == after
    assert False in outcomes  # at least one kill really landed before the swap
