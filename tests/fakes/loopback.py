"""The part every loopback stand-in shares: a threaded HTTP server on 127.0.0.1, a free port,
and a request handler that stays out of the test output and answers in one way."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

__all__ = ["LoopbackServer", "QuietHandler"]


class QuietHandler(BaseHTTPRequestHandler):
    """Base of every stand-in's handler: no request log, and `reply` to answer."""

    def log_message(self, *args: object) -> None:
        pass

    def request_parts(self) -> tuple[str, dict[str, list[str]], dict[str, str]]:
        """The request's path, its query and its headers (names lower-cased)."""
        parts = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        return parts.path, parse_qs(parts.query), headers

    def reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        """Bytes go out as they are (JSON, or JSON broken on purpose), text as text/plain,
        anything else as JSON."""
        if isinstance(body, bytes):
            raw, kind = body, "application/json"
        elif isinstance(body, str):
            raw, kind = body.encode(), "text/plain"
        else:
            raw, kind = json.dumps(body).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)


class LoopbackServer:
    """Serves `handler` in a daemon thread between start() and stop() (or as a context manager).

    A short poll interval keeps shutdown, and so each test's teardown, fast.
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        """http://127.0.0.1:PORT, without a trailing slash."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"
