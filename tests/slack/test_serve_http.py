"""`aicost serve` in HTTP mode, end to end: the real process, real signed requests, real HTTP.

The serve process is started once per module against a demo database; Slack's Web API and the
response_url are the loopback stand-in in tests/fakes/slack_api.py. Nothing is patched: what
passes here is what a Slack workspace would see.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.slack.blocks import check_blocks
from tests.fakes.slack_api import FakeSlackAPI, RecordedRequest, block_texts
from tests.slack.serve_harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    SLACK_ACK_LIMIT,
    ServeProcess,
    clean_env,
    demo_env,
    free_port,
    redact,
    run_cli,
    send_slash,
    signed_headers,
    slash_body,
    start_serve,
)


def post(serve: ServeProcess, body: str, headers: dict[str, str]) -> httpx.Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    return httpx.post(serve.events_url, content=body, headers=headers, timeout=10.0)


def usd(value: float) -> str:
    return f"${value:,.2f}"


# --- fixtures (slack_api, workdir and server: tests/slack/conftest.py) ---------------------
@pytest.fixture(scope="module")
def app_env(workdir: Path, slack_api: FakeSlackAPI) -> dict[str, str]:
    """Settings for serve and the CLI alike, on a demo database built by `aicost demo`."""
    return demo_env(workdir, slack_api, AICOST_TIMEZONE="Europe/Berlin")


@dataclass
class StatusExchange:
    ack: httpx.Response
    seconds: float
    webhook: list[RecordedRequest]


@pytest.fixture(scope="module")
def status_exchange(server: ServeProcess, slack_api: FakeSlackAPI) -> StatusExchange:
    """One `/aicost status` round trip, shared by the tests that inspect it."""
    exchange = send_slash(server, slack_api, "status")
    webhook = slack_api.wait_for(exchange.webhook_path, timeout=15)
    return StatusExchange(exchange.ack, exchange.seconds, webhook)


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
    assert cli.returncode == 0, redact(cli.stderr)
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
        PORT=str(free_port()),
    )
    result = run_cli("serve", env=env, cwd=workdir)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, redact(result.stderr)
    assert "SLACK_SIGNING_SECRET" in lines[0]
    assert "Traceback" not in result.stderr
    assert BOT_TOKEN not in result.stderr + result.stdout


def test_the_healthcheck_asks_healthz_on_port(
    server: ServeProcess, app_env: dict[str, str], workdir: Path
) -> None:
    port = server.base_url.rpartition(":")[2]
    checked = run_cli("healthcheck", env={**app_env, "PORT": port}, cwd=workdir)
    assert (checked.returncode, checked.stdout.strip()) == (0, "aicost: healthy"), checked.stderr
    nobody = str(free_port())
    checked = run_cli("healthcheck", env={**app_env, "PORT": nobody}, cwd=workdir)
    assert checked.returncode == 1
    assert f"http://127.0.0.1:{nobody}/healthz" in checked.stderr, checked.stderr
