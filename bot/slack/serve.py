"""`aicost serve`: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP at /slack/events.

HTTP mode runs bolt's WSGI adapter under waitress (a threaded production WSGI server) rather
than bolt's built-in development server, which bolt's docs say not to use in production, behind
`SlackEdge` (bot/slack/edge.py), which turns away what is not a signed Slack request.
"""

from __future__ import annotations

import errno
import socket
import sys
from collections.abc import Callable
from typing import Any

import waitress
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from ..runtime.heap import settle_heap
from ..runtime.liveness import keep_touching
from ..runtime.logging_setup import configure_logging
from ..settings import Settings
from .app import SlackConfigError, build_app
from .edge import EVENTS_PATH, HEALTH_PATH, MAX_BODY_BYTES, SlackEdge

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "serve"]

# waitress, tuned for a Slack edge: Slack waits 3 s for an ack and opens a connection a request,
# so a connection idle for 10 s is not Slack's; the default 120 s let 100 silent sockets (its
# default connection limit) shut out signed requests. 500 stays under select()'s 1,024 files.
SWITCH_INTERVAL_SECONDS = 0.0005

SERVER_OPTIONS: dict[str, Any] = {
    "threads": 8,
    "connection_limit": 500,
    "channel_timeout": 10,
    "cleanup_interval": 2,
    "max_request_body_size": MAX_BODY_BYTES,
    "max_request_header_size": 64 * 1024,
}


def serve(
    settings: Settings, *, services: object, on_ready: Callable[[], None] | None = None
) -> None:
    """Run the Slack app until interrupted; on_ready runs once the app is built and valid."""
    configure_logging(settings)
    # Acks are short bursts of Python between socket calls; answers are long ones. With the GIL
    # handed over every 5 ms (the default), each ack waits behind answers for every hand-over:
    # measured (bench/serve_load.py, 300 commands at concurrency 100) ack p99 707 ms at 5 ms,
    # 425-519 ms at 0.5 ms, no better at 0.2 ms.
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    socket_mode = settings.slack_app_token is not None
    app = build_app(settings, services=services, socket_mode=socket_mode)
    settle_heap()  # what start-up built is never garbage: no collection walks it again
    if socket_mode:
        if on_ready is not None:
            on_ready()
        assert settings.slack_app_token is not None
        print("aicost: connecting to Slack in Socket Mode", file=sys.stderr, flush=True)
        handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
        if settings.liveness_file is None:
            handler.start()
            return
        handler.connect()
        keep_touching(settings.liveness_file, handler.client.is_connected)
        return
    assert settings.slack_signing_secret is not None  # build_app refuses HTTP mode without it
    handler = SlackEdge(
        SlackRequestHandler(app, path=EVENTS_PATH),
        settings.slack_signing_secret.get_secret_value(),
    )
    # Bind before anything else starts: a port in use or a bad host is one line, and no
    # scheduler tick has run (or synced, or posted) on behalf of a server that never listened.
    try:
        server = waitress.create_server(
            handler, host=settings.host, port=settings.port, **SERVER_OPTIONS
        )
    except OSError as exc:
        raise SlackConfigError(_bind_error(settings, exc)) from None
    except ValueError:  # waitress: "Invalid host/port specified." (the name did not resolve)
        raise SlackConfigError(
            f"AICOST_HOST {settings.host!r} is not an address this machine can listen on"
        ) from None
    if on_ready is not None:
        on_ready()
    print(
        f"aicost: listening on http://{settings.host}:{settings.port}{EVENTS_PATH}",
        file=sys.stderr,
        flush=True,
    )
    server.run()


def _bind_error(settings: Settings, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"PORT {settings.port} is already in use on {settings.host}: "
            "stop what holds it or set PORT"
        )
    if isinstance(exc, socket.gaierror) or exc.errno in (errno.EADDRNOTAVAIL, errno.EINVAL):
        return f"AICOST_HOST {settings.host!r} is not an address this machine can listen on"
    if exc.errno == errno.EACCES:
        return f"PORT {settings.port} needs privileges to listen on; pick one above 1023"
    return f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}"
