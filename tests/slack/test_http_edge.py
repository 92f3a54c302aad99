"""The HTTP edge of `aicost serve`, a real process on loopback: what is not a signed, readable
Slack request gets a 4xx and one log line without its body, and cannot starve those that are.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.slack.edge import MAX_BODY_BYTES, SlackEdge
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.serve_harness import (
    SIGNING_SECRET,
    ServeProcess,
    demo_env,
    send_slash,
    signed_headers,
    slash_body,
    start_serve,
)

CANARY = "FORGED-BODY-CANARY-7f3a"  # in every refused body: it must never reach the log
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def serve(
    tmp_path_factory: pytest.TempPathFactory, slack_api: FakeSlackAPI
) -> Iterator[ServeProcess]:
    workdir = tmp_path_factory.mktemp("http_edge")
    process = start_serve(demo_env(workdir, slack_api), workdir)
    try:
        yield process
    finally:
        process.stop()


def log_of(serve: ServeProcess) -> str:
    return serve.stderr_path.read_text()


# The scheduler's ticks log on their own clock; what a request caused is everything else.
BACKGROUND = ("apscheduler", "aicost.governance", "aicost.scheduler", "aicost.alerts")


def request_lines(added: str) -> list[str]:
    """The lines logged since `before`, minus the scheduler's own (a traceback line counts)."""

    def logger(line: str) -> str:  # "2026-12-01 23:34:27,155 INFO name: message"
        parts = line.split(" ", 3)
        return parts[3].split(":", 1)[0] if len(parts) == 4 else ""

    return [line for line in added.splitlines() if not logger(line).startswith(BACKGROUND)]


def post(serve: ServeProcess, body: bytes, headers: dict[str, Any]) -> httpx.Response:
    return httpx.post(serve.events_url, content=body, headers=headers, timeout=30)


UNSIGNED = [
    ("no signature", {"Content-Type": FORM}),
    (
        "timestamp abc",
        {"Content-Type": FORM, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
    ),
    (
        "timestamp 1e9",
        {"Content-Type": FORM, "X-Slack-Request-Timestamp": "1e9", "X-Slack-Signature": "v0=00"},
    ),
    (
        "non-ASCII signature",
        {"Content-Type": FORM, "X-Slack-Request-Timestamp": "1", "X-Slack-Signature": b"v0=\xe9"},
    ),
]
BODIES = [
    ("not UTF-8", b"text=\xff\xfe" + CANARY.encode(), FORM, "the body is not UTF-8"),
    ("{ not JSON", b"{" + CANARY.encode(), "application/json", "the body is not JSON"),
    ("JSON array", f'["{CANARY}"]'.encode(), "application/json", "the body is not a JSON object"),
    ("payload=%7Bnot", f"payload=%7Bnot{CANARY}".encode(), FORM, "its payload is not JSON"),
]


@pytest.mark.parametrize(("label", "headers"), UNSIGNED, ids=[u[0] for u in UNSIGNED])
def test_unsigned_requests_get_401_and_one_line(
    serve: ServeProcess, label: str, headers: dict[str, Any]
) -> None:
    before = log_of(serve)
    response = post(serve, f"text=status&x={CANARY}".encode(), headers)
    assert response.status_code == 401, (label, response.text)
    added = log_of(serve)[len(before) :]
    (line,) = request_lines(added)
    assert "WARNING aicost.slack.edge: refused a request without a valid Slack signature" in line
    assert CANARY not in added and "Traceback" not in added


@pytest.mark.parametrize(("label", "body", "kind", "why"), BODIES, ids=[b[0] for b in BODIES])
def test_malformed_bodies_get_401_unsigned_and_400_signed(
    serve: ServeProcess, label: str, body: bytes, kind: str, why: str
) -> None:
    before = log_of(serve)
    forged = post(serve, body, {"Content-Type": kind, "X-Slack-Signature": "v0=1"})
    assert forged.status_code == 401, label
    signed = post(serve, body, {"Content-Type": kind, **signed_bytes(body)})
    assert signed.status_code == 400, (label, signed.text)
    assert signed.text == why + "\n"
    added = log_of(serve)[len(before) :]
    unsigned, signed_line = request_lines(added)
    assert "refused a request without a valid Slack signature" in unsigned
    assert signed_line.endswith(f"WARNING aicost.slack.edge: refused a signed request: {why}")
    assert CANARY not in added and "Traceback" not in added


def signed_bytes(body: bytes) -> dict[str, str]:
    """Slack's v0 signature over exact bytes (the harness signs text), fresh now."""
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def test_an_oversize_body_is_refused_before_it_is_read(serve: ServeProcess) -> None:
    """Only the headers go out, announcing 50 MB: the 413 comes back without the body sent.
    waitress refuses it itself (its max_request_body_size is ours), so nothing is logged."""
    before = log_of(serve)
    host, port = serve.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: "
            + FORM.encode()
            + b"\r\nContent-Length: 52428800\r\n\r\n"
            + CANARY.encode()
        )
        reply = raw.recv(4096).decode()
    assert reply.startswith("HTTP/1.1 413"), reply
    assert request_lines(log_of(serve)[len(before) :]) == []


def test_the_edge_refuses_an_oversize_body_unread_under_any_server(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The same limit in the edge itself, for a server without one: one line, nothing read."""

    class Unreadable:
        def read(self, size: int = -1) -> bytes:
            raise AssertionError("the body was read")

    def bolt(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise AssertionError("bolt saw an oversize request")

    statuses: list[str] = []
    environ = {
        "PATH_INFO": "/slack/events",
        "REQUEST_METHOD": "POST",
        "CONTENT_LENGTH": str(MAX_BODY_BYTES + 1),
        "wsgi.input": Unreadable(),
    }
    with caplog.at_level(logging.WARNING, logger="aicost.slack.edge"):
        body = SlackEdge(bolt, "secret")(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["413 Content Too Large"] and list(body) == [b"too large\n"]
    assert [r.getMessage() for r in caplog.records] == [
        "refused a 1,048,577-byte request (limit 1048576 bytes)"
    ]


def test_idle_connections_do_not_starve_a_signed_command(
    serve: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    """120 connections opened and left silent (more than waitress's default limit of 100):
    a signed status is still acked and answered."""
    host, port = serve.base_url.removeprefix("http://").split(":")
    idle = [socket.create_connection((host, int(port)), timeout=30) for _ in range(120)]
    try:
        exchange = send_slash(serve, slack_api, "status")
        assert exchange.ack.status_code == 200
        assert "month to date" in exchange.answer()["text"]
    finally:
        for connection in idle:
            connection.close()


def test_the_health_check_and_other_paths(serve: ServeProcess) -> None:
    assert httpx.get(f"{serve.base_url}/healthz").text == "ok\n"
    assert httpx.get(f"{serve.base_url}/nothing-here").status_code == 404
    assert httpx.get(serve.events_url).status_code == 405


def test_slacks_certificate_check_is_answered(serve: ServeProcess) -> None:
    response = post(serve, b"ssl_check=1&token=abc", {"Content-Type": FORM})
    assert response.status_code == 200 and response.text == ""


def test_a_signed_command_still_works(serve: ServeProcess, slack_api: FakeSlackAPI) -> None:
    name = f"edge-{uuid.uuid4().hex}"
    body = slash_body("help", slack_api.webhook_url(name))
    response = post(serve, body.encode(), signed_headers(body))
    assert response.status_code == 200 and "/aicost status" in response.json()["text"]
