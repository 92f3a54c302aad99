"""`aicost sync` and `aicost status` end to end: subprocess, loopback providers, real database."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot.core.clock import previous_month_start
from bot.db.engine import connect
from bot.db.store import SpendStore
from tests.cli.conftest import Run, aicost_command, clean_env
from tests.fakes.provider_api import (
    ANTHROPIC_KEY,
    OPENAI_KEY,
    ProviderAPI,
    anthropic_cost,
    openai_cost,
)
from tests.moment import TEST_TODAY

TODAY = TEST_TODAY
OPENAI_DAILY = Decimal("1.10")
ANTHROPIC_DAILY_CENTS = "55.5"  # $0.555


@pytest.fixture
def api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as server:
        day = previous_month_start(TODAY)
        while day <= TODAY:
            server.add("openai", "costs", day, openai_cost("p", "gpt-4o, input", str(OPENAI_DAILY)))
            server.add("anthropic", "costs", day, anthropic_cost("w", "in", ANTHROPIC_DAILY_CENTS))
            day += timedelta(days=1)
        yield server


def provider_env(api: ProviderAPI, database_url: str, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "OPENAI_ADMIN_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": api.openai_base_url,
        "ANTHROPIC_ADMIN_KEY": ANTHROPIC_KEY,
        "ANTHROPIC_BASE_URL": api.anthropic_base_url,
        **extra,
    }


def half_up_cents(mills: int) -> int:
    """Tenths of a cent to whole cents, halves up: 9435 mills (17 days of 55.5c) -> 944."""
    return (mills + 5) // 10


def test_sync_then_status_json(run_aicost: Run, api: ProviderAPI, database_url: str) -> None:
    env = provider_env(api, database_url)
    synced = run_aicost("sync", **env)
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.count(": ok,") == 2

    status = run_aicost("status", "--json", **env)
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    last_month_days = (TODAY.replace(day=1) - previous_month_start(TODAY)).days
    # Worked in tenths of a cent (mills), rounded half up by hand, not by the code under test:
    # OpenAI $1.10 = 1100 mills a day, Anthropic 55.5 cents = 555 mills a day.
    openai_mills, anthropic_mills = 1100 * TODAY.day, 555 * TODAY.day
    assert data["by_provider"]["openai"] == openai_mills // 10 / 100
    assert data["by_provider"]["anthropic"] == half_up_cents(anthropic_mills) / 100
    assert data["month_to_date_usd"] == half_up_cents(openai_mills + anthropic_mills) / 100
    assert data["previous_month_usd"] == half_up_cents(1655 * last_month_days) / 100
    for text in (synced.stdout, synced.stderr, status.stdout, status.stderr):
        assert OPENAI_KEY not in text and ANTHROPIC_KEY not in text


def test_sync_twice_gives_the_same_status(
    run_aicost: Run, api: ProviderAPI, tmp_path: Path
) -> None:
    env = provider_env(api, f"sqlite:///{tmp_path / 'twice.db'}")
    assert run_aicost("sync", **env).returncode == 0
    first = json.loads(run_aicost("status", "--json", **env).stdout)
    assert run_aicost("sync", "--since", str(previous_month_start(TODAY)), **env).returncode == 0
    second = json.loads(run_aicost("status", "--json", **env).stdout)
    for key in ("month_to_date_usd", "previous_month_usd", "by_provider"):
        assert first[key] == second[key]


@pytest.mark.calendar_free
def test_one_failing_provider_exits_non_zero_with_one_line(
    run_aicost: Run, api: ProviderAPI, tmp_path: Path
) -> None:
    env = provider_env(
        api, f"sqlite:///{tmp_path / 'f.db'}", ANTHROPIC_ADMIN_KEY="sk-ant-admin01-wrong-000000"
    )
    result = run_aicost("sync", **env)
    assert result.returncode == 1
    assert "openai: ok" in result.stdout
    failures = [line for line in result.stderr.splitlines() if "FAILED" in line]
    assert (
        len(failures) == 1 and "anthropic" in failures[0] and "ANTHROPIC_ADMIN_KEY" in failures[0]
    )
    assert "wrong-000000" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.calendar_free
def test_sync_with_no_provider_configured(run_aicost: Run) -> None:
    result = run_aicost("sync")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "aicost: no provider configured: set OPENAI_ADMIN_KEY or ANTHROPIC_ADMIN_KEY or "
        "OPENROUTER_MANAGEMENT_KEY or AICOST_AWS_BEDROCK or AICOST_AZURE_SCOPE or "
        "AICOST_GCP_BILLING_TABLE (see README)"
    ]


def test_sync_only_one_provider(run_aicost: Run, api: ProviderAPI, tmp_path: Path) -> None:
    env = provider_env(api, f"sqlite:///{tmp_path / 'one.db'}")
    result = run_aicost("sync", "--provider", "anthropic", **env)
    assert result.returncode == 0
    assert "anthropic: ok" in result.stdout and "openai" not in result.stdout
    assert api.requests_to("/v1/organization/costs") == []


@pytest.mark.calendar_free
def test_killed_sync_leaves_stored_data_untouched(api: ProviderAPI, database_url: str) -> None:
    env = clean_env(**provider_env(api, database_url))
    first = subprocess.run(aicost_command("sync"), env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    store = SpendStore(connect(database_url))
    window = (previous_month_start(TODAY), TODAY + timedelta(days=1))
    before = store.daily_spend(*window)
    runs_before = len(store.last_runs())

    # The provider revises every recent day; the next sync is killed while it is reading them.
    for n in range(4):
        day = TODAY - timedelta(days=n)
        api.add("openai", "costs", day, openai_cost("p", f"revision {n}", "1000"))
    api.delay = 0.4
    seen = len(api.seen)
    process = subprocess.Popen(
        aicost_command("sync"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while len(api.seen) < seen + 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL

    assert store.daily_spend(*window) == before
    assert len(store.last_runs()) == runs_before

    api.delay = 0
    rerun = subprocess.run(aicost_command("sync"), env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    after = {r.day: r.amount_usd for r in store.daily_spend(*window) if r.provider == "openai"}
    assert after[TODAY] == OPENAI_DAILY + 1000
    store.engine.dispose()


@pytest.mark.calendar_free
@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"AICOST_TIMEZONE": "Mars/Base"}, "aicost: AICOST_TIMEZONE: 'Mars/Base' is not a known"),
        ({"PORT": "http"}, "aicost: PORT: 'http' is not a number"),
        ({"AICOST_MONTHLY_BUDGET_USD": "-1"}, "aicost: AICOST_MONTHLY_BUDGET_USD: Input should be"),
        ({"OPENAI_BASE_URL": "api.openai.com"}, "aicost: OPENAI_BASE_URL: 'api.openai.com' must"),
        ({"DATABASE_URL": "not a url"}, "aicost: DATABASE_URL: not a database URL"),
    ],
)
def test_bad_settings_give_one_line_and_no_traceback(
    run_aicost: Run, settings: dict[str, str], expected: str
) -> None:
    result = run_aicost("status", **settings)
    assert result.returncode in (1, 2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), result.stderr


@pytest.mark.calendar_free
def test_unreachable_database_hides_its_password(run_aicost: Run) -> None:
    result = run_aicost("status", DATABASE_URL="postgresql://aicost:hunter2@127.0.0.1:1/aicost")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aicost: database error at postgresql")
    assert "hunter2" not in result.stderr


def test_status_before_any_sync_says_what_to_do(run_aicost: Run) -> None:
    result = run_aicost("status", OPENAI_ADMIN_KEY="sk-admin-x")
    assert result.returncode == 0
    assert "openai never synced" in result.stdout
    assert "run `aicost sync`" in result.stdout
    assert "sk-admin-x" not in result.stdout


def test_date_argument_is_checked(run_aicost: Run) -> None:
    result = run_aicost("sync", "--since", "last tuesday")
    assert result.returncode == 2
    assert "'last tuesday' is not a date like 2026-10-01" in result.stderr


@pytest.mark.calendar_free
def test_default_database_is_aicost_db_in_the_working_directory(
    run_aicost: Run, tmp_path: Path
) -> None:
    assert run_aicost("db", "upgrade").returncode == 0
    assert (tmp_path / "aicost.db").exists()
