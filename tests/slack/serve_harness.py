"""Running the real `aicost serve` in HTTP mode and talking to it as Slack would.

Shared by the end-to-end Slack tests: start the process on a free port against a database
built by `aicost demo`, send signed slash commands, and read the answers that reach the
loopback stand-in for Slack (tests/fakes/slack_api.py). Nothing in the app is patched.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from billing_adapters.samples import sample_as_of
from tests.fakes.slack_api import FakeSlackAPI, RecordedRequest
from tests.process import OURS, aicost_command, clean_env

__all__ = [
    "BOT_TOKEN",
    "SIGNING_SECRET",
    "SLACK_ACK_LIMIT",
    "Exchange",
    "Records",
    "ServeProcess",
    "captured_logger",
    "OURS",
    "clean_env",
    "ask",
    "assert_never_answered_later",
    "demo_env",
    "free_port",
    "home_opened_body",
    "home_opened_event",
    "interaction_body",
    "redact",
    "run_cli",
    "send_slash",
    "signed_headers",
    "slash_body",
    "slash_fields",
    "start_serve",
    "view_submission_body",
]

BOT_TOKEN = f"xoxb-test-{secrets.token_hex(12)}"
SIGNING_SECRET = f"test-signing-secret-{secrets.token_hex(12)}"
CLI = aicost_command()
STARTUP_TIMEOUT = 20.0
ANSWER_TIMEOUT = 20.0  # the work after the ack may take a while on a slow CI machine
SLACK_ACK_LIMIT = 3.0  # Slack's protocol limit for answering a slash command


class Records(logging.Handler):
    """Keeps every record a logger emits, to look for errors and warnings afterwards."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def captured_logger(prefix: str) -> tuple[logging.Logger, Records]:
    """A fresh logger of its own (for an in-process App) and what it has logged."""
    records = Records()
    logger = logging.getLogger(f"{prefix}.{uuid.uuid4().hex}")
    logger.addHandler(records)
    logger.propagate = False
    return logger, records


def free_port() -> int:
    """A loopback port nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redact(text: str) -> str:
    """Failure messages quote process output; never let them show the secrets."""
    return text.replace(BOT_TOKEN, "[bot token]").replace(SIGNING_SECRET, "[signing secret]")


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """One `aicost` command to completion, from `cwd` so no developer .env file is read."""
    return subprocess.run(
        [*CLI, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def demo_env(
    workdir: Path, slack_api: FakeSlackAPI, *, database_url: str | None = None, **settings: str
) -> dict[str, str]:
    """Settings for serve and the CLI alike, on a demo database (by default SQLite in workdir).

    Both run as of the sample's own moment (AICOST_AS_OF), as the demo itself answers: the data
    is the same on every run, and so is every figure, whatever the date.
    """
    database_url = database_url or f"sqlite:///{workdir / 'demo.db'}"
    settings = {"AICOST_AS_OF": sample_as_of().isoformat(), **settings}
    env = clean_env(DATABASE_URL=database_url, **settings)
    built = run_cli("demo", "--database", database_url, env=env, cwd=workdir)
    assert built.returncode == 0, redact(built.stderr)
    return {
        **env,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.url,
    }


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


def start_serve(env: dict[str, str], workdir: Path) -> ServeProcess:
    """Start `aicost serve` on a free port and return once GET /healthz answers."""
    port = free_port()
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
            pytest.fail(f"aicost serve exited with {process.returncode}: {redact(printed)}")
        try:
            if httpx.get(f"{serve.base_url}/healthz", timeout=1.0).status_code == 200:
                return serve
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    _, printed = serve.stop()
    pytest.fail(f"/healthz did not answer within {STARTUP_TIMEOUT} s: {redact(printed)}")


def slash_body(text: str, response_url: str, *, user_id: str = "U0PERSON1") -> str:
    """A /aicost payload with the fields Slack sends, form-encoded as Slack does."""
    return urlencode(slash_fields(text, response_url, user_id=user_id))


def slash_fields(text: str, response_url: str, *, user_id: str = "U0PERSON1") -> dict[str, str]:
    """The fields of a /aicost payload (Socket Mode sends them as a JSON object)."""
    return {
        "token": "deprecated-verification-token",
        "team_id": "T0AICOST1",
        "team_domain": "aicost-test",
        "channel_id": "C0SPEND01",
        "channel_name": "ai-spend",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": "/aicost",
        "text": text,
        "api_app_id": "A0AICOST1",
        "is_enterprise_install": "false",
        "response_url": response_url,
        # Unique, as Slack's are: aicost applies a change once per trigger_id.
        "trigger_id": f"{uuid.uuid4().int % 10**13}.{uuid.uuid4().int % 10**13}.{uuid.uuid4().hex}",
    }


def block_actions_body(
    user_id: str, action: dict[str, Any], *, trigger_id: str = "", **context: Any
) -> str:
    """The form body Slack sends when someone presses a button: `action` is the pressed
    element's fields, `context` the rest (channel, container, message or view, response_url).
    Each press gets its own trigger_id unless a retry of one is meant."""
    actions = [{"type": "button", "action_ts": "1.1", **action}]
    return interaction_body(
        "block_actions", user_id, trigger_id=trigger_id, **context, actions=actions
    )


def view_submission_body(
    user_id: str, view: dict[str, Any], values: dict[str, dict[str, Any]]
) -> str:
    """The form body Slack sends when someone submits a modal: `view` as views.open returned
    it, `values` {block id: the element's state} (its type defaults to plain_text_input)."""
    state = {
        block: {"value": {"type": "plain_text_input", **element}}
        for block, element in values.items()
    }
    return interaction_body("view_submission", user_id, view={**view, "state": {"values": state}})


def interaction_body(kind: str, user_id: str, *, trigger_id: str = "", **fields: Any) -> str:
    """An interaction payload of `kind` from `user_id`, form-encoded as Slack sends it."""
    payload = {
        "type": kind,
        "team": {"id": "T0AICOST1"},
        "user": {"id": user_id},
        "api_app_id": "A0AICOST1",
        "token": "legacy",
        "trigger_id": trigger_id or f"{uuid.uuid4().int % 10**12}.1.{uuid.uuid4().hex}",
        **fields,
    }
    return urlencode({"payload": json.dumps(payload)})


def signed_headers(body: str, *, secret: str = SIGNING_SECRET, age: int = 0) -> dict[str, str]:
    """The headers Slack adds: a timestamp `age` seconds old and its v0 signature."""
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


def home_opened_body(user: str, tab: str = "home") -> str:
    """An Events API callback for `app_home_opened`, as Slack sends it (JSON)."""
    return json.dumps(home_opened_event(user, tab))


def home_opened_event(user: str, tab: str = "home") -> dict[str, Any]:
    """The callback's fields (Socket Mode sends them as an events_api envelope's payload)."""
    return {
        "token": "deprecated-verification-token",
        "team_id": "T0AICOST1",
        "api_app_id": "A0AICOST1",
        "event": {
            "type": "app_home_opened",
            "user": user,
            "channel": "D0AICOST1",
            "tab": tab,
            "event_ts": f"{time.time():.6f}",
        },
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
    }


@dataclass
class Exchange:
    """One slash command sent: the ack, how long it took, and where its answers land."""

    ack: httpx.Response
    seconds: float
    webhook_path: str
    slack_api: FakeSlackAPI

    @property
    def ack_text(self) -> str:
        """The message answered in the ack itself ("" for a bare ack)."""
        if not self.ack.content:
            return ""
        assert self.ack.headers["content-type"].startswith("application/json"), self.ack.text
        return self.ack.json().get("text", "")

    def answers(self) -> list[RecordedRequest]:
        """Webhook posts received so far for this command."""
        return self.slack_api.requests_to(self.webhook_path)

    def answer(self, timeout: float = ANSWER_TIMEOUT) -> dict[str, Any]:
        """The one message posted to response_url after the ack, waited for."""
        posts = self.slack_api.wait_for(self.webhook_path, timeout=timeout)
        assert len(posts) == 1, [p.data for p in posts]
        assert posts[0].headers["content-type"].startswith("application/json")
        return posts[0].data


def assert_never_answered_later(
    exchange: Exchange, serve: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    """Once a later command has been answered, an answer to `exchange` would be there too."""
    ask(serve, slack_api, "status", user_id="U0PERSON1").answer()
    assert exchange.answers() == []


def send_slash(
    serve: ServeProcess, slack_api: FakeSlackAPI, text: str, *, user_id: str = "U0PERSON1"
) -> Exchange:
    """Send `/aicost text` signed, with its own response_url, and time the ack."""
    name = f"answer-{uuid.uuid4().hex}"
    body = slash_body(text, slack_api.webhook_url(name), user_id=user_id)
    started = time.monotonic()
    ack = httpx.post(serve.events_url, content=body, headers=signed_headers(body), timeout=10.0)
    seconds = time.monotonic() - started
    return Exchange(ack, seconds, f"/webhook/{name}", slack_api)


def ask(serve: ServeProcess, slack_api: FakeSlackAPI, text: str, *, user_id: str) -> Exchange:
    """`/aicost text`, checking what every request must meet: an HTTP 200 ack.

    How fast is measured by the benchmarks, and guarded once end to end with a wide margin
    (test_serve_http.py), not asserted here: a loaded CI machine must not fail a test whose
    subject is an answer's content.
    """
    exchange = send_slash(serve, slack_api, text, user_id=user_id)
    assert exchange.ack.status_code == 200, exchange.ack.text
    return exchange
