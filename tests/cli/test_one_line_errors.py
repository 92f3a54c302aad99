"""No traceback reaches a user: each failure at start is one line naming what is wrong.

Real processes throughout: `aicost serve` against the Slack stand-in (or nothing at all), a
port held by another socket, databases aicost does not support, and the demo pointed at a
database that is not its own.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.db.engine import connect
from tests.cli.conftest import Run, aicost_command, clean_env
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.serve_harness import free_port

TOKEN = "xoxb-good-one-line-0001"
SECRET = "s3cret-signing-one-line-0001"


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI(bot_token_prefix="xoxb-good-") as api:
        yield api


def serve_env(tmp_path: Path, api_url: str, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "AICOST_HOST": "127.0.0.1",
        **extra,
    }


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("aicost: ")]
    assert lines, result.stderr
    return lines[-1]


def test_a_port_in_use_is_one_line_and_no_scheduler_tick_ran(
    run_aicost: Run, tmp_path: Path, slack: FakeSlackAPI
) -> None:
    port = free_port()
    with socket.socket() as held:
        held.bind(("127.0.0.1", port))
        held.listen()
        result = run_aicost("serve", timeout=60, **serve_env(tmp_path, slack.url, PORT=str(port)))
    assert result.returncode == 1
    assert one_line(result) == (
        f"aicost: PORT {port} is already in use on 127.0.0.1: stop what holds it or set PORT"
    )
    engine = connect(f"sqlite:///{tmp_path / 'serve.db'}")
    with engine.connect() as connection:  # the scheduler never started: nothing ran, or synced
        assert connection.execute(sa.text("SELECT COUNT(*) FROM job_runs")).scalar_one() == 0
    engine.dispose()


def test_a_host_that_is_not_an_address_is_one_line(
    run_aicost: Run, tmp_path: Path, slack: FakeSlackAPI
) -> None:
    env = serve_env(tmp_path, slack.url, PORT=str(free_port()), AICOST_HOST="no.such.host.invalid")
    result = run_aicost("serve", timeout=60, **env)
    assert result.returncode == 1
    assert one_line(result) == (
        "aicost: AICOST_HOST 'no.such.host.invalid' is not an address this machine can listen on"
    )


def test_a_rejected_bot_token_is_one_line_that_says_so(
    run_aicost: Run, tmp_path: Path, slack: FakeSlackAPI
) -> None:
    env = serve_env(tmp_path, slack.url, PORT=str(free_port()), SLACK_BOT_TOKEN="xoxb-revoked-9")
    result = run_aicost("serve", timeout=60, **env)
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith("aicost: Slack rejected SLACK_BOT_TOKEN (invalid_auth)")
    assert "xoxb-revoked-9" not in result.stderr + result.stdout


def test_slack_unreachable_is_retried_with_backoff_one_line_each(tmp_path: Path) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/api/"
    process = subprocess.Popen(
        aicost_command("serve"),
        cwd=tmp_path,
        env=clean_env(**serve_env(tmp_path, nobody, PORT=str(free_port()))),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Each try is slack_sdk's own request and one quick retry (about a second), then our
    # wait: 1 s, 2 s, ... Read its stderr until the third try is announced (however slow the
    # machine), then it must still be running: it retries, it does not give up.
    assert process.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + 120  # a hang guard only; the test waits on lines, not time
    while len([s for s in seen if "Slack is unreachable" in s]) < 3:
        line = process.stderr.readline()
        assert line and time.monotonic() < deadline, seen
        seen.append(line)
    assert process.poll() is None
    process.terminate()
    _, rest = process.communicate(timeout=30)
    err = "".join(seen) + rest
    tries = [line for line in err.splitlines() if "Slack is unreachable" in line]
    assert len(tries) >= 2 and "Traceback" not in err
    assert "slack_sdk" not in err  # one line a try: the SDK's own four are kept quiet
    assert tries[0] == (
        f"aicost: Slack is unreachable at {nobody} ([Errno 111] Connection refused); "
        "retrying in 1 s"
    )
    assert tries[1].endswith("retrying in 2 s")
    assert TOKEN not in err


@pytest.mark.parametrize(
    ("url", "backend"),
    [("mysql://app:hunter2secret@db/aicost", "mysql"), ("oracle://u:hunter2secret@h/x", "oracle")],
)
def test_an_unsupported_database_is_one_line_without_its_password(
    run_aicost: Run, url: str, backend: str
) -> None:
    result = run_aicost("status", DATABASE_URL=url)
    assert result.returncode == 1
    assert one_line(result).startswith(f"aicost: DATABASE_URL: '{backend}' is not supported;")
    assert "hunter2secret" not in result.stderr + result.stdout


def test_the_demo_refuses_a_database_that_is_not_its_own_unless_forced(
    run_aicost: Run, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    assert run_aicost("revenue", "set", "2026-10", "125000", DATABASE_URL=url).returncode == 0
    refused = run_aicost("demo", "--database", url)
    assert refused.returncode == 1
    assert one_line(refused).startswith(
        "aicost: demo --database: that database holds data the demo did not write"
    )
    shown = run_aicost("revenue", "show", DATABASE_URL=url).stdout
    assert "125,000.00" in shown  # untouched
    forced = run_aicost("demo", "--database", url, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "125,000.00" not in run_aicost("revenue", "show", DATABASE_URL=url).stdout


def test_the_demo_answers_only_from_what_it_wrote(run_aicost: Run, tmp_path: Path) -> None:
    """Hours logged into the demo's database do not reach the next demo's answer."""
    first = run_aicost("demo")
    assert first.returncode == 0, first.stderr
    logged = run_aicost("log-hours", "6.5", "tuning", DATABASE_URL="sqlite:///aicost-demo.db")
    assert logged.returncode == 0, logged.stderr
    second = run_aicost("demo")
    assert second.returncode == 0, second.stderr
    assert "6.5 h" not in second.stdout and "log entries" not in second.stdout
    assert second.stdout == first.stdout


def test_a_password_with_an_unencoded_at_sign_never_shows(run_aicost: Run) -> None:
    """Once printed half-hidden: `postgres:***@SECRETPART99xyz@127.0.0.1`. Port 1: nobody."""
    url = "postgresql://postgres:pa@SECRETPART99xyz@127.0.0.1:1/aicost"
    result = run_aicost("status", DATABASE_URL=url)
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith(
        "aicost: database error at postgresql://postgres:***@127.0.0.1:1/aicost: "
    )
    assert "SECRETPART" not in result.stderr + result.stdout
