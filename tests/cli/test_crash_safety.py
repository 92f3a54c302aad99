"""SIGKILL `aicost sync` at each stage that matters: stored data is always exactly old or new.

The providers first bill version A of every day (costs and token usage), synced to completion;
then they revise every day to version B. For each kill point the database is first reset to A
by a completed sync of A, then a sync of B is started, held at a named stage (the test-only
checkpoint in bot/checkpoints.py) and SIGKILLed there. What must then be stored is known by
construction, not guessed: a provider killed before its swap commits keeps A whole, one killed
after keeps B whole, and a provider the run never reached keeps A. Cost lines, daily totals and
token usage are all checked, on SQLite and PostgreSQL. A last run to completion gives exactly B.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.db.engine import connect
from bot.services.checkpoints import ENV as PAUSE_AT
from tests.cli.conftest import aicost_command, clean_env
from tests.fakes.provider_api import (
    ANTHROPIC_KEY,
    OPENAI_KEY,
    ProviderAPI,
    anthropic_cost,
    anthropic_usage,
    openai_cost,
    openai_usage,
)
from tests.moment import TEST_TODAY

FIRST = TEST_TODAY - timedelta(days=20)
DAYS = [FIRST + timedelta(days=n) for n in range(21)]
PROJECTS = ("proj_a", "proj_b", "proj_c")
ITEMS = ("gpt-4o, input", "gpt-4o, output", "o3, input")
PROVIDERS = ("openai", "anthropic")  # the order the sync runs them in

# (provider, stage) -> which version each provider must hold after the kill.
KILL_POINTS = {
    ("openai", "costs"): {"openai": "A", "anthropic": "A"},
    ("openai", "between"): {"openai": "A", "anthropic": "A"},
    ("openai", "usage"): {"openai": "A", "anthropic": "A"},
    ("openai", "swap"): {"openai": "A", "anthropic": "A"},
    ("openai", "committed"): {"openai": "B", "anthropic": "A"},
    ("anthropic", "costs"): {"openai": "B", "anthropic": "A"},
    ("anthropic", "usage"): {"openai": "B", "anthropic": "A"},
    ("anthropic", "swap"): {"openai": "B", "anthropic": "A"},
    ("anthropic", "committed"): {"openai": "B", "anthropic": "B"},
}

Stored = dict[str, tuple[int, ...]]


def bill(api: ProviderAPI, version: int) -> None:
    """Serve `version` of every day: its costs and its token usage."""
    for n, day in enumerate(DAYS):
        for provider in PROVIDERS:
            api.clear(provider, "costs", day)
            api.clear(provider, "usage", day)
        for p, project in enumerate(PROJECTS):
            for i, item in enumerate(ITEMS):
                amount = f"{version}.{(n * 37 + p * 11 + i * 5) % 1000:03d}123"
                api.add("openai", "costs", day, openai_cost(project, item, amount))
        tokens = openai_usage("gpt-4o", 1000 * version + n, 0, 10 * version, 1)
        api.add("openai", "usage", day, tokens)
        for w in range(2):
            cents = f"{version * 100 + n}.{(n + w) % 100:02d}5"
            api.add("anthropic", "costs", day, anthropic_cost(f"wrk_{w}", "Sonnet", cents))
        tokens = anthropic_usage("claude-sonnet-4", 2000 * version, 0, 0, 0, n + version)
        api.add("anthropic", "usage", day, tokens)


def expected(version: int) -> Stored:
    """What `bill(version)` must store, worked out here rather than by the code under test.

    Per provider: (cost nano-dollars, cost rows, daily-total nano-dollars, daily-total rows,
    input tokens, output tokens, usage rows). OpenAI amounts are dollars with six decimals;
    Anthropic's are cents with three, so one cent-thousandth is 10,000 nano-dollars.
    """
    openai_nanos = anthropic_nanos = 0
    for n in range(len(DAYS)):
        for p in range(len(PROJECTS)):
            for i in range(len(ITEMS)):
                micro = version * 1_000_000 + ((n * 37 + p * 11 + i * 5) % 1000) * 1000 + 123
                openai_nanos += micro * 1000
        for w in range(2):
            milli_cents = (version * 100 + n) * 1000 + ((n + w) % 100) * 10 + 5
            anthropic_nanos += milli_cents * 10_000
    days = len(DAYS)
    openai_rows = days * len(PROJECTS) * len(ITEMS)
    return {
        "openai": (
            openai_nanos,
            openai_rows,
            openai_nanos,
            days,
            sum(1000 * version + n for n in range(days)),
            10 * version * days,
            days,
        ),
        "anthropic": (
            anthropic_nanos,
            days * 2,
            anthropic_nanos,
            days,
            2000 * version * days,
            sum(n + version for n in range(days)),
            days,
        ),
    }


def stored(url: str) -> Stored:
    engine = connect(url)
    queries = {
        "costs": "SELECT provider, SUM(amount_nanos), COUNT(*) FROM cost_lines "
        "WHERE day >= :first GROUP BY provider",
        "totals": "SELECT provider, SUM(amount_nanos), COUNT(*) FROM daily_totals "
        "WHERE day >= :first GROUP BY provider",
        "usage": "SELECT provider, SUM(input_tokens), SUM(output_tokens), COUNT(*) "
        "FROM token_usage WHERE day >= :first GROUP BY provider",
    }
    found: dict[str, list[int]] = {p: [] for p in PROVIDERS}
    try:
        with engine.connect() as connection:
            for sql in queries.values():
                rows = {
                    row[0]: [int(v) for v in row[1:]]
                    for row in connection.execute(sa.text(sql), {"first": FIRST})
                }
                for provider in PROVIDERS:
                    found[provider] += rows.get(provider, [])
    finally:
        engine.dispose()
    return {p: tuple(v) for p, v in found.items()}


def start_sync(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        aicost_command("sync", "--since", FIRST.isoformat()),
        cwd=tmp_path,
        env=clean_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def sync_to_completion(tmp_path: Path, env: dict[str, str]) -> None:
    run = start_sync(tmp_path, env)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 0, err.decode(errors="replace")


def kill_at(tmp_path: Path, env: dict[str, str], provider: str, stage: str) -> None:
    """Start a sync, wait until it holds at provider:stage, and SIGKILL it there."""
    marker = tmp_path / f"held-{provider}-{stage}"
    marker.unlink(missing_ok=True)
    run = start_sync(tmp_path, {**env, PAUSE_AT: f"{provider}:{stage}={marker}"})
    deadline = time.monotonic() + 120
    while not marker.exists():
        if run.poll() is not None:
            err = run.stderr.read().decode(errors="replace") if run.stderr else ""
            pytest.fail(f"sync ended ({run.returncode}) before {provider}:{stage}: {err}")
        assert time.monotonic() < deadline, f"sync never reached {provider}:{stage}"
        time.sleep(0.02)
    assert int(marker.read_text()) == run.pid
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL


@pytest.fixture
def api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as server:
        server.page_limit = 3  # many small pages, so "during" a kind of page is a real moment
        yield server


SUMS = (0, 2, 4, 5)  # the money and token sums; row counts are the same in both versions


def test_expected_versions_differ_in_every_sum() -> None:
    """A kill that left a mix of A and B in any table would show in its sum."""
    a, b = expected(1), expected(2)
    for provider in PROVIDERS:
        assert all(a[provider][i] != b[provider][i] for i in SUMS), provider
    # One figure worked by hand: day 0, proj_a, the first item of version 1 is $1.000123.
    assert Decimal("1.000123") * 10**9 == 1_000_123_000


def test_sync_killed_at_each_stage_leaves_each_provider_exactly_old_or_new(
    api: ProviderAPI, database_url: str, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": database_url,
        "OPENAI_ADMIN_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": api.openai_base_url,
        "ANTHROPIC_ADMIN_KEY": ANTHROPIC_KEY,
        "ANTHROPIC_BASE_URL": api.anthropic_base_url,
    }
    versions = {"A": expected(1), "B": expected(2)}
    for (provider, stage), after_kill in KILL_POINTS.items():
        bill(api, 1)
        sync_to_completion(tmp_path, env)
        assert stored(database_url) == versions["A"], "reset to A"

        bill(api, 2)
        kill_at(tmp_path, env, provider, stage)
        totals = stored(database_url)
        for name, version in after_kill.items():
            assert totals[name] == versions[version][name], (provider, stage, name, version)

    sync_to_completion(tmp_path, env)
    assert stored(database_url) == versions["B"]
