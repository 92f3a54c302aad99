"""No secret in any output: a full run (sync, status, alerts, revenue, serve, errors) is grepped.

Every command runs as a real process with distinctive secrets in its environment; providers,
Stripe and Slack are the loopback stand-ins, made to fail the ways that put text from the far
side into our output (a rejected key echoed back, a 500, an error body quoting the key). Then all
stdout and stderr is searched for each secret and for every 8-character slice of one.
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.core.clock import previous_month_start
from tests.cli.conftest import Run, aicost_command
from tests.cli.conftest import clean_env as cli_env
from tests.fakes.provider_api import Fault, ProviderAPI, anthropic_cost, openai_cost
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.stripe_api import STRIPE_KEY, StripeAPI
from tests.moment import TEST_TODAY
from tests.slack.serve_harness import clean_env, signed_headers, slash_body, start_serve

FRAGMENT = 8
# Distinctive values, so that any 8 characters of one in the output can only be a leak (no
# words in them: the redaction would rightly blank "anthropic" if a key held "nthropic").
OPENAI_SECRET = "sk-admin-Qv7Lk2Cy9OaZ4xW1c41e9b2d8f0"
WRONG_ANTHROPIC = "sk-ant-admin01-Wr0nG5Cn8yAq3e8d1f9b3a7c"
BOT_TOKEN = "xoxb-5150-Bt7Cq2Ny4-9a2f7e1c3b8d4e6f"
SIGNING_SECRET = "Sg9Cn4Ry2-1f9e8d7c6b5a4f3e2d1c0b9a"
WRONG_STRIPE = "rk_live_Wq8Cz3Sp5x4d9e2b7f1a6c"
SECRETS = {
    "OPENAI_ADMIN_KEY": OPENAI_SECRET,
    "ANTHROPIC_ADMIN_KEY": WRONG_ANTHROPIC,  # the provider answers 401
    "SLACK_BOT_TOKEN": BOT_TOKEN,
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    "STRIPE_API_KEY": STRIPE_KEY,  # the only key the Stripe stand-in accepts
    "STRIPE_API_KEY (wrong)": WRONG_STRIPE,
}
TODAY = TEST_TODAY
ALERTS, DIGESTS = "C0ALERTS1", "C0DIGEST1"


class CanaryProviderAPI(ProviderAPI):
    """The provider stand-in, accepting our distinctive OpenAI key instead of the shared one."""

    def _authorized(self, path: str, headers: dict[str, str]) -> bool:
        if path.startswith("/v1/organization/"):
            return headers.get("authorization") == f"Bearer {OPENAI_SECRET}"
        return super()._authorized(path, headers)


@dataclass(frozen=True)
class Output:
    label: str
    returncode: int | None
    stdout: str
    stderr: str


def leaked(text: str) -> list[str]:
    """Names of the secrets of which `text` holds 8 or more consecutive characters."""
    return [
        name
        for name, secret in SECRETS.items()
        if any(secret[i : i + FRAGMENT] in text for i in range(len(secret) - FRAGMENT + 1))
    ]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("no_secret_leaks")


@pytest.fixture(scope="module")
def providers() -> Iterator[CanaryProviderAPI]:
    with CanaryProviderAPI() as server:
        day = previous_month_start(TODAY)
        while day <= TODAY:
            server.add("openai", "costs", day, openai_cost("p", "gpt-4o, input", "41.10"))
            server.add("anthropic", "costs", day, anthropic_cost("w", "in", "5550"))
            day += timedelta(days=1)
        yield server


@pytest.fixture(scope="module")
def slack_api() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as api:
        yield api


@pytest.fixture(scope="module")
def env(
    module_database_url: str, providers: ProviderAPI, slack_api: FakeSlackAPI
) -> dict[str, str]:
    """Every secret set, every remote a loopback stand-in; SQLite, then PostgreSQL."""
    return {
        "DATABASE_URL": module_database_url,
        "OPENAI_ADMIN_KEY": OPENAI_SECRET,
        "OPENAI_BASE_URL": providers.openai_base_url,
        "ANTHROPIC_ADMIN_KEY": WRONG_ANTHROPIC,
        "ANTHROPIC_BASE_URL": providers.anthropic_base_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.url,
        "AICOST_ALERT_CHANNEL": ALERTS,
        "AICOST_DIGEST_CHANNEL": DIGESTS,
        "AICOST_MONTHLY_BUDGET_USD": "1000",
        "STRIPE_API_KEY": STRIPE_KEY,
    }


def cli_outputs(run: Run, env: dict[str, str]) -> list[Output]:
    """The CLI part of the run, in order: sync first, so the rest has data to work on."""

    def out(label: str, *args: str, **extra: str) -> Output:
        result = run(*args, **{**env, **extra})
        return Output(label, result.returncode, result.stdout, result.stderr)

    outputs = [
        out("sync", "sync"),
        out("status", "status"),
        out("status --json", "status", "--json"),
        out("breakeven", "breakeven", "--monthly-spend", "5000"),
        out("alerts --post", "alerts", "--post"),
    ]
    with StripeAPI() as stripe:
        # A 500 (retried), then a 400 whose body quotes the key back at us.
        echo = json.dumps({"error": {"message": f"Bad request for key {STRIPE_KEY}"}})
        stripe.fail(Fault(status=500), Fault(status=400, body=echo))
        outputs.append(
            out("revenue sync (500, 400)", "revenue", "sync", STRIPE_BASE_URL=stripe.url)
        )
        outputs.append(
            out(
                "revenue sync (wrong key)",
                "revenue",
                "sync",
                STRIPE_BASE_URL=stripe.url,
                STRIPE_API_KEY=WRONG_STRIPE,
            )
        )
    return [
        *outputs,
        out("bad settings", "status", PORT="http", AICOST_TIMEZONE="Mars/Base"),
        out(
            "no such database",
            "status",
            DATABASE_URL=f"postgresql://u:{SIGNING_SECRET}@127.0.0.1:1/x",
        ),
    ]


def serve_output(env: dict[str, str], workdir: Path, slack_api: FakeSlackAPI) -> Output:
    """`aicost serve` in HTTP mode: a signed /aicost status, a forged one, the startup sync."""
    serve = start_serve(clean_env(**env), workdir)
    try:
        name = f"leaks-{uuid.uuid4().hex}"
        body = slash_body("status", slack_api.webhook_url(name))
        signed = httpx.post(
            serve.events_url, content=body, headers=signed_headers(body, secret=SIGNING_SECRET)
        )
        assert signed.status_code == 200
        slack_api.wait_for(f"/webhook/{name}", timeout=20)
        # bolt logs a forged request's body, here one quoting secrets (users do paste keys).
        pasted = slash_body(f"status {BOT_TOKEN} {SIGNING_SECRET}", slack_api.webhook_url(name))
        forged = httpx.post(
            serve.events_url, content=pasted, headers=signed_headers(pasted, secret="x" * 32)
        )
        assert forged.status_code == 401
        deadline = time.monotonic() + 20  # the scheduler's catch-up sync runs at start
        while "sync anthropic failed" not in serve.stderr_path.read_text():
            assert time.monotonic() < deadline, "the startup sync was never logged"
            time.sleep(0.1)
    finally:
        stdout, stderr = serve.stop()
    return Output("serve", serve.process.returncode, stdout, stderr)


@pytest.fixture(scope="module")
def transcript(env: dict[str, str], workdir: Path, slack_api: FakeSlackAPI) -> dict[str, Output]:
    """Everything the run printed, by command."""

    def run(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            aicost_command(*args),
            cwd=workdir,  # away from any developer .env file
            env=cli_env(**settings),
            capture_output=True,
            text=True,
            timeout=120,
        )

    outputs = [*cli_outputs(run, env), serve_output(env, workdir, slack_api)]
    return {o.label: o for o in outputs}


def test_no_secret_appears_in_any_output(transcript: dict[str, Output]) -> None:
    found = {
        f"{label} ({stream})": names
        for label, output in transcript.items()
        for stream, text in (("stdout", output.stdout), ("stderr", output.stderr))
        if (names := leaked(text))
    }
    assert found == {}, f"secrets in the output (command: secret names): {found}"


def test_the_run_went_through_the_paths_that_could_leak(
    transcript: dict[str, Output], providers: ProviderAPI, slack_api: FakeSlackAPI
) -> None:
    sync = transcript["sync"]
    assert sync.returncode == 1 and "openai: ok" in sync.stdout
    assert "anthropic: FAILED" in sync.stderr and "ANTHROPIC_ADMIN_KEY" in sync.stderr
    assert providers.requests_to("/v1/organizations/cost_report")  # the 401 was really answered
    for label in ("status", "status --json", "breakeven"):
        assert transcript[label].returncode == 0, transcript[label].stderr
    assert slack_api.requests_to("/chat.postMessage"), "no alert was posted"
    failing = transcript["revenue sync (500, 400)"]
    assert failing.returncode == 1 and failing.stderr.startswith("aicost: stripe: HTTP 400")
    wrong = transcript["revenue sync (wrong key)"]
    assert wrong.returncode == 1 and "STRIPE_API_KEY" in wrong.stderr
    assert transcript["bad settings"].returncode == 2
    assert transcript["no such database"].stderr.startswith("aicost: database error")
    serve = transcript["serve"]
    assert "listening on" in serve.stderr and "sync anthropic failed" in serve.stderr
    for output in transcript.values():
        assert "Traceback" not in output.stderr, output.label


def test_a_key_pasted_into_the_wrong_setting_is_not_echoed(
    env: dict[str, str], workdir: Path
) -> None:
    result = subprocess.run(
        aicost_command("status"),
        cwd=workdir,
        env=cli_env(**{**env, "OPENAI_BASE_URL": OPENAI_SECRET, "AICOST_TIMEZONE": BOT_TOKEN}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "OPENAI_BASE_URL" in result.stderr
    assert leaked(result.stdout + result.stderr) == []
