"""`aicost serve`: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP at /slack/events.

HTTP mode runs bolt's WSGI adapter under waitress (a threaded production WSGI server) rather
than bolt's built-in development server, which bolt's docs say not to use in production.
"""

from __future__ import annotations

import errno
import socket
import sys
from collections.abc import Callable, Iterable
from typing import Any

import waitress
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from ..logging_setup import configure_logging
from ..settings import Settings
from .app import SlackConfigError, build_app

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "serve"]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _with_health(app: WSGIApp) -> WSGIApp:
    """Answer GET /healthz for load balancers; everything else goes to bolt."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        return app(environ, start_response)

    return wsgi


def serve(
    settings: Settings, *, services: object, on_ready: Callable[[], None] | None = None
) -> None:
    """Run the Slack app until interrupted; on_ready runs once the app is built and valid."""
    configure_logging(settings)
    socket_mode = settings.slack_app_token is not None
    app = build_app(settings, services=services, socket_mode=socket_mode)
    if socket_mode:
        if on_ready is not None:
            on_ready()
        assert settings.slack_app_token is not None
        print("aicost: connecting to Slack in Socket Mode", file=sys.stderr, flush=True)
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
        return
    handler = SlackRequestHandler(app, path=EVENTS_PATH)
    # Bind before anything else starts: a port in use or a bad host is one line, and no
    # scheduler tick has run (or synced, or posted) on behalf of a server that never listened.
    try:
        server = waitress.create_server(
            _with_health(handler), host=settings.host, port=settings.port, threads=8
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
