"""`aicost serve` in Socket Mode (the manifest's default), end to end over a real websocket.

With SLACK_APP_TOKEN set, serve asks `apps.connections.open` with that xapp- token for a
websocket URL, connects to it and receives Slack's envelopes there; no signing secret is set or
needed. The loopback stand-ins (tests/fakes/slack_api.py, tests/fakes/slack_socket.py) speak the
documented protocol. A slash command's envelope must be acknowledged within Slack's 3 seconds
and its answer reach response_url; an admin-only command from anyone else is refused in the ack.
Opening the App Home arrives as an `events_api` envelope and is published with views.publish.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.runtime.liveness import MAX_AGE_SECONDS, TOUCH_EVERY_SECONDS
from tests.fakes.slack_api import FakeSlackAPI, block_texts
from tests.fakes.slack_socket import SocketModeStandIn
from tests.slack.serve_harness import (
    ANSWER_TIMEOUT,
    CLI,
    SLACK_ACK_LIMIT,
    STARTUP_TIMEOUT,
    ServeProcess,
    demo_env,
    home_opened_event,
    redact,
    run_cli,
    slash_fields,
)

APP_TOKEN = f"xapp-1-A0AICOST1-{secrets.token_hex(16)}"
ADMIN, OTHER = "U0ADMIN01", "U0OTHER01"


@pytest.fixture(scope="module")
def socket_end() -> Iterator[SocketModeStandIn]:
    with SocketModeStandIn() as end:
        yield end


@pytest.fixture(scope="module")
def app_env(
    workdir: Path, slack_api: FakeSlackAPI, socket_end: SocketModeStandIn
) -> dict[str, str]:
    slack_api.socket_mode_url = socket_end.url
    env = demo_env(workdir, slack_api, AICOST_TIMEZONE="UTC", AICOST_ADMINS=ADMIN)
    del env["SLACK_SIGNING_SECRET"]
    alive = str(workdir / "health" / "serve.alive")  # a directory serve must make
    return {**env, "SLACK_APP_TOKEN": APP_TOKEN, "AICOST_LIVENESS_FILE": alive}


@pytest.fixture(scope="module")
def connected(
    app_env: dict[str, str], workdir: Path, socket_end: SocketModeStandIn
) -> Iterator[ServeProcess]:
    """`aicost serve`, once its websocket is open."""
    out, err = workdir / "serve-socket.out", workdir / "serve-socket.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [*CLI, "serve"], env=app_env, cwd=workdir, stdout=stdout, stderr=stderr
        )
    serve = ServeProcess(process, "", out, err)
    try:
        socket_end.wait_connected(STARTUP_TIMEOUT)
    except TimeoutError:
        printed = "".join(serve.stop())
        pytest.fail(f"serve never connected in Socket Mode: {redact(printed)}")
    yield serve
    serve.stop()


def slash(
    socket_end: SocketModeStandIn, slack_api: FakeSlackAPI, text: str, user_id: str
) -> tuple[float, dict[str, Any], str]:
    """Push `/aicost text` as a slash_commands envelope: ack delay, ack, response_url path."""
    name = f"socket-{uuid.uuid4().hex}"
    fields = slash_fields(text, slack_api.webhook_url(name), user_id=user_id)
    envelope_id, sent_at = socket_end.send("slash_commands", fields)
    acked_at, ack = socket_end.wait_ack(envelope_id, timeout=ANSWER_TIMEOUT)
    return acked_at - sent_at, ack, f"/webhook/{name}"


def test_connects_with_the_app_token(connected: ServeProcess, slack_api: FakeSlackAPI) -> None:
    (opened,) = slack_api.requests_to("/apps.connections.open")
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"
    assert opened.answer["ok"] is True


def test_status_is_acked_in_time_and_answered_through_response_url(
    connected: ServeProcess, socket_end: SocketModeStandIn, slack_api: FakeSlackAPI
) -> None:
    seconds, ack, webhook = slash(socket_end, slack_api, "status", ADMIN)
    assert seconds < SLACK_ACK_LIMIT  # the one Socket Mode guard on the 3 s rule (wide margin)
    assert "payload" not in ack or not ack["payload"].get("text")  # a bare ack: work follows
    (answer,) = slack_api.wait_for(webhook, timeout=ANSWER_TIMEOUT)
    assert "*Month to date*\n$" in block_texts(answer.data["blocks"])


def test_opening_the_app_home_publishes_it_for_that_user(
    connected: ServeProcess, socket_end: SocketModeStandIn, slack_api: FakeSlackAPI
) -> None:
    before = len(slack_api.requests_to("/views.publish"))
    envelope_id, sent_at = socket_end.send("events_api", home_opened_event(OTHER))
    acked_at, _ = socket_end.wait_ack(envelope_id, timeout=ANSWER_TIMEOUT)
    assert acked_at - sent_at < SLACK_ACK_LIMIT
    published = slack_api.wait_for("/views.publish", before + 1, timeout=ANSWER_TIMEOUT)[before]
    assert published.data["user_id"] == OTHER and published.answer["ok"] is True
    shown = block_texts([b for b in published.data["view"]["blocks"] if b["type"] != "actions"])
    assert "*Month to date*\n$" in shown and "*Break-even*" in shown


def test_an_admin_only_change_from_anyone_else_is_refused_in_the_ack(
    connected: ServeProcess, socket_end: SocketModeStandIn, slack_api: FakeSlackAPI
) -> None:
    _, ack, webhook = slash(socket_end, slack_api, "revenue set 2026-10 50000", OTHER)
    assert "Only aicost admins can" in ack["payload"]["text"]
    assert slack_api.requests_to(webhook) == []


def test_the_app_token_never_appears_in_what_serve_printed(
    connected: ServeProcess, socket_end: SocketModeStandIn, slack_api: FakeSlackAPI
) -> None:
    slash(socket_end, slack_api, "help", ADMIN)
    printed = connected.stdout_path.read_text() + connected.stderr_path.read_text()
    assert "Socket Mode" in printed
    assert APP_TOKEN not in printed and APP_TOKEN[-16:] not in printed


def test_the_liveness_file_is_touched_while_connected(
    connected: ServeProcess, app_env: dict[str, str], workdir: Path
) -> None:
    alive = Path(app_env["AICOST_LIVENESS_FILE"])
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not alive.exists():
        assert time.monotonic() < deadline, "serve never touched its liveness file"
        time.sleep(0.1)
    first = alive.stat().st_mtime
    deadline = time.monotonic() + 2 * TOUCH_EVERY_SECONDS + 5
    while alive.stat().st_mtime == first:
        assert time.monotonic() < deadline, "the liveness file was touched only once"
        time.sleep(0.2)
    checked = run_cli("healthcheck", env=app_env, cwd=workdir)
    assert (checked.returncode, checked.stdout.strip()) == (0, "aicost: healthy"), checked.stderr


def test_the_healthcheck_fails_on_a_stale_or_missing_liveness_file(
    app_env: dict[str, str], workdir: Path
) -> None:
    stale = workdir / "stale.alive"
    stale.touch()
    old = time.time() - MAX_AGE_SECONDS - 60
    os.utime(stale, (old, old))
    for path, says in ((stale, "s old"), (workdir / "never.alive", "does not exist")):
        checked = run_cli(
            "healthcheck", env={**app_env, "AICOST_LIVENESS_FILE": str(path)}, cwd=workdir
        )
        assert checked.returncode == 1
        assert "unhealthy" in checked.stderr and says in checked.stderr, checked.stderr
    unset = {k: v for k, v in app_env.items() if k != "AICOST_LIVENESS_FILE"}
    checked = run_cli("healthcheck", env=unset, cwd=workdir)
    assert checked.returncode == 1 and "AICOST_LIVENESS_FILE" in checked.stderr


def test_a_settings_form_opens_and_its_submission_is_checked_in_the_ack(
    connected: ServeProcess,
    socket_end: SocketModeStandIn,
    slack_api: FakeSlackAPI,
    engine: Any,
) -> None:
    """The same modal flow as over HTTP (test_settings_modals_http.py), in Socket Mode: the
    button's envelope opens the modal; a bad value comes back in the envelope's ack as
    `response_action: errors`; a good one is acked with `clear` and stored."""
    from sqlalchemy import select

    from bot.db.models import ConfigValueRow

    before = len(slack_api.opened_modals())
    press = {
        "type": "block_actions",
        "user": {"id": ADMIN},
        "trigger_id": f"{uuid.uuid4().int % 10**12}.1.{uuid.uuid4().hex}",
        "container": {"type": "view", "view_id": "V0AICOST001"},
        "actions": [{"type": "button", "action_id": "aicost_open_settings_budget"}],
    }
    envelope_id, _ = socket_end.send("interactive", press)
    socket_end.wait_ack(envelope_id, timeout=ANSWER_TIMEOUT)
    view = slack_api.opened_modals()[before]["view"]

    def submit(budget: str) -> dict[str, Any]:
        state = {"budget": {"value": {"type": "plain_text_input", "value": budget}}}
        payload = {
            "type": "view_submission",
            "user": {"id": ADMIN},
            "view": {**view, "state": {"values": state}},
        }
        envelope_id, sent_at = socket_end.send("interactive", payload)
        acked_at, ack = socket_end.wait_ack(envelope_id, timeout=ANSWER_TIMEOUT)
        assert acked_at - sent_at < SLACK_ACK_LIMIT
        return ack.get("payload") or {}

    assert submit("lots")["response_action"] == "errors"
    assert submit("15000") == {"response_action": "clear"}
    deadline = time.monotonic() + ANSWER_TIMEOUT
    query = select(ConfigValueRow.value).where(ConfigValueRow.name == "AICOST_MONTHLY_BUDGET_USD")
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.execute(query).scalar() == "15000":
                return
        time.sleep(0.05)
    pytest.fail("the budget from the Socket Mode submission was never stored")
