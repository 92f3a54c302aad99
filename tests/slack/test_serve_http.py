"""`aicost serve` in HTTP mode, end to end: the real process, real signed requests, real HTTP.

The serve process is started once per module against a demo database; Slack's Web API and the
response_url are the loopback stand-in in tests/fakes/slack_api.py. Nothing is patched: what
passes here is what a Slack workspace would see.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from bot.render.limits import check_blocks
from tests.fakes.slack_api import FakeSlackAPI, RecordedRequest, block_texts

BOT_TOKEN = f"xoxb-test-{secrets.token_hex(12)}"
SIGNING_SECRET = f"test-signing-secret-{secrets.token_hex(12)}"
CLI = [sys.executable, "-m", "bot.cli"]
STARTUP_TIMEOUT = 20.0
SLACK_ACK_LIMIT = 3.0  # Slack's protocol limit for answering a slash command
OWN_VARIABLES = ("SLACK_", "AICOST_", "OPENAI_", "ANTHROPIC_", "DATABASE_URL", "PORT")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redact(text: str) -> str:
    """Failure messages quote process output; never let them show the secrets."""
    return text.replace(BOT_TOKEN, "[bot token]").replace(SIGNING_SECRET, "[signing secret]")


def clean_env(**values: str) -> dict[str, str]:
    """This environment minus any aicost/Slack settings of the developer, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN_VARIABLES)}
    return {**env, "PYTHONUNBUFFERED": "1", **values}


@dataclass
class ServeProcess:
    """A running `aicost serve`; its output goes to files so a full pipe can never block it."""

    process: subprocess.Popen[bytes]
    base_url: str
    stdout_path: Path
    stderr_path: Path

    @property
    def events_url(self) -> str:
        return f"{self.base_url}/slack/events"

    def stop(self) -> tuple[str, str]:
        """Terminate (idempotent) and return everything it printed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.stdout_path.read_text(), self.stderr_path.read_text()


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """One `aicost` command to completion, from `cwd` so no developer .env file is read."""
    return subprocess.run(
        [*CLI, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def start_serve(env: dict[str, str], workdir: Path) -> ServeProcess:
    """Start `aicost serve` on a free port and return once GET /healthz answers."""
    port = _free_port()
    out, err = workdir / f"serve-{port}.out", workdir / f"serve-{port}.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [*CLI, "serve"],
            env={**env, "AICOST_HOST": "127.0.0.1", "PORT": str(port)},
            cwd=workdir,  # away from any developer .env file
            stdout=stdout,
            stderr=stderr,
        )
    serve = ServeProcess(process, f"http://127.0.0.1:{port}", out, err)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, printed = serve.stop()
            pytest.fail(f"aicost serve exited with {process.returncode}: {_redact(printed)}")
        try:
            if httpx.get(f"{serve.base_url}/healthz", timeout=1.0).status_code == 200:
                return serve
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    _, printed = serve.stop()
    pytest.fail(f"/healthz did not answer within {STARTUP_TIMEOUT} s: {_redact(printed)}")


def slash_body(text: str, response_url: str) -> str:
    """A /aicost payload with the fields Slack sends, form-encoded as Slack does."""
    fields = {
        "token": "deprecated-verification-token",
        "team_id": "T0AICOST1",
        "team_domain": "aicost-test",
        "channel_id": "C0SPEND01",
        "channel_name": "ai-spend",
        "user_id": "U0PERSON1",
        "user_name": "alex",
        "command": "/aicost",
        "text": text,
        "api_app_id": "A0AICOST1",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "1234.5678.abcdef",
    }
    return urlencode(fields)


def signed_headers(body: str, *, secret: str = SIGNING_SECRET, age: int = 0) -> dict[str, str]:
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


def post(serve: ServeProcess, body: str, headers: dict[str, str]) -> httpx.Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    return httpx.post(serve.events_url, content=body, headers=headers, timeout=10.0)


def usd(value: float) -> str:
    return f"${value:,.2f}"


# --- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def slack_api() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as api:
        yield api


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def app_env(workdir: Path, slack_api: FakeSlackAPI) -> dict[str, str]:
    """Settings for serve and the CLI alike, on a demo database built by `aicost demo`."""
    database_url = f"sqlite:///{workdir / 'demo.db'}"
    env = clean_env(DATABASE_URL=database_url, AICOST_TIMEZONE="Europe/Berlin")
    built = run_cli("demo", "--database", database_url, env=env, cwd=workdir)
    assert built.returncode == 0, built.stderr
    return {
        **env,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.url,
    }


@pytest.fixture(scope="module")
def server(app_env: dict[str, str], workdir: Path) -> Iterator[ServeProcess]:
    serve = start_serve(app_env, workdir)
    try:
        yield serve
    finally:
        serve.stop()


@dataclass
class StatusExchange:
    ack: httpx.Response
    seconds: float
    webhook: list[RecordedRequest]


@pytest.fixture(scope="module")
def status_exchange(server: ServeProcess, slack_api: FakeSlackAPI) -> StatusExchange:
    """One `/aicost status` round trip, shared by the tests that inspect it."""
    name = f"status-{uuid.uuid4().hex}"
    body = slash_body("status", slack_api.webhook_url(name))
    started = time.monotonic()
    ack = post(server, body, signed_headers(body))
    seconds = time.monotonic() - started
    webhook = slack_api.wait_for(f"/webhook/{name}", timeout=15)
    return StatusExchange(ack, seconds, webhook)


# --- tests ---------------------------------------------------------------------------------
def test_serve_checks_its_token_against_slack_api_url(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    calls = slack_api.wait_for("/auth.test")
    assert calls[0].headers["authorization"] == f"Bearer {BOT_TOKEN}"
    assert calls[0].status == 200


def test_status_is_acked_within_slacks_limit(status_exchange: StatusExchange) -> None:
    assert status_exchange.ack.status_code == 200
    assert status_exchange.seconds < SLACK_ACK_LIMIT


def test_status_answer_is_one_webhook_post_with_valid_blocks(
    status_exchange: StatusExchange,
) -> None:
    assert len(status_exchange.webhook) == 1
    answer = status_exchange.webhook[0].data
    assert status_exchange.webhook[0].headers["content-type"].startswith("application/json")
    assert isinstance(answer["blocks"], list) and answer["blocks"]
    assert check_blocks(answer["blocks"]) == []
    assert answer["text"].strip()
    assert answer["response_type"] == "ephemeral"


def test_status_shows_the_same_figures_as_the_cli(
    status_exchange: StatusExchange, app_env: dict[str, str], workdir: Path
) -> None:
    cli = run_cli("status", "--json", env=app_env, cwd=workdir)
    assert cli.returncode == 0, _redact(cli.stderr)
    figures = json.loads(cli.stdout)
    assert figures["month_to_date_usd"] > 0  # the demo data reaches into the real month
    answer = status_exchange.webhook[0].data
    shown = block_texts(answer["blocks"])
    for key in ("month_to_date_usd", "previous_month_usd"):
        assert usd(figures[key]) in shown, key
        assert usd(figures[key]) in answer["text"], key
    for provider, amount in figures["by_provider"].items():
        assert any(provider in ln and usd(amount) in ln for ln in shown.splitlines()), provider


@pytest.mark.parametrize("text", ["help", "", "   ", "frobnicate --x"])
def test_help_and_unknown_text_get_usage_in_the_ack(
    server: ServeProcess, slack_api: FakeSlackAPI, text: str
) -> None:
    name = f"usage-{uuid.uuid4().hex}"
    body = slash_body(text, slack_api.webhook_url(name))
    response = post(server, body, signed_headers(body))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["response_type"] == "ephemeral"  # only the asker sees it
    usage = response.json()["text"]
    assert "Usage" in usage
    assert "/aicost status" in usage
    if text.strip() and text.split()[0] != "help":
        assert "frobnicate" in usage
    else:
        assert "don't know" not in usage
    assert slack_api.requests_to(f"/webhook/{name}") == []


UNVERIFIED: dict[str, Callable[[str], dict[str, str]]] = {
    "forged": lambda body: signed_headers(body, secret="not-the-signing-secret"),
    "stale": lambda body: signed_headers(body, age=3600),  # well signed, an hour old: a replay
    "unsigned": lambda body: {},
}


@pytest.mark.parametrize("kind", UNVERIFIED)
def test_unverified_requests_are_refused_and_never_answered(
    server: ServeProcess, slack_api: FakeSlackAPI, kind: str
) -> None:
    refused = f"refused-{uuid.uuid4().hex}"
    body = slash_body("status", slack_api.webhook_url(refused))
    response = post(server, body, UNVERIFIED[kind](body))
    assert response.status_code == 401
    # A genuine request sent afterwards is answered; by then a leaked answer would be there too.
    genuine = f"genuine-{uuid.uuid4().hex}"
    body = slash_body("status", slack_api.webhook_url(genuine))
    assert post(server, body, signed_headers(body)).status_code == 200
    slack_api.wait_for(f"/webhook/{genuine}", timeout=15)
    assert slack_api.requests_to(f"/webhook/{refused}") == []


def test_serve_output_never_contains_the_secrets(
    app_env: dict[str, str], workdir: Path, slack_api: FakeSlackAPI
) -> None:
    serve = start_serve(app_env, workdir)
    try:
        name = f"leak-{uuid.uuid4().hex}"
        body = slash_body("status", slack_api.webhook_url(name))
        assert post(serve, body, signed_headers(body)).status_code == 200
        assert post(serve, body, UNVERIFIED["forged"](body)).status_code == 401
        slack_api.wait_for(f"/webhook/{name}", timeout=15)
    finally:
        stdout, stderr = serve.stop()
    assert f"listening on {serve.events_url}" in stderr  # the output really was captured
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in stdout
        assert secret not in stderr


def test_http_mode_without_signing_secret_fails_in_one_line(workdir: Path) -> None:
    env = clean_env(
        DATABASE_URL=f"sqlite:///{workdir / 'no-secret.db'}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        AICOST_HOST="127.0.0.1",
        PORT=str(_free_port()),
    )
    result = run_cli("serve", env=env, cwd=workdir)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, _redact(result.stderr)
    assert "SLACK_SIGNING_SECRET" in lines[0]
    assert "Traceback" not in result.stderr
    assert BOT_TOKEN not in result.stderr + result.stdout
