"""Slack's Socket Mode end on loopback: the websocket that `apps.connections.open` hands out.

Speaks the documented protocol: on connecting, the app is greeted with `hello`; Slack then
pushes envelopes (`envelope_id`, `type` such as `slash_commands` or `interactive`, `payload`,
`accepts_response_payload`), and the app acknowledges each by sending back its `envelope_id`,
with a `payload` when the ack carries a message. Run with `websockets`' threaded server.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

__all__ = ["SocketModeStandIn"]


class SocketModeStandIn:
    """Use as a context manager; point FakeSlackAPI.socket_mode_url at `url`."""

    def __init__(self) -> None:
        self._server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._changed = threading.Condition()
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, tuple[float, dict[str, Any]]] = {}

    @property
    def url(self) -> str:
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={uuid.uuid4()}"

    def __enter__(self) -> SocketModeStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    # --- test controls ---------------------------------------------------------------------
    def wait_connected(self, timeout: float) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._connections, timeout=timeout):
                raise TimeoutError(f"no Socket Mode connection within {timeout} s")

    def send(self, kind: str, payload: dict[str, Any]) -> tuple[str, float]:
        """Push an envelope to the newest connection; its id and when it was sent."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        with self._changed:
            connection = self._connections[-1]
        sent_at = time.monotonic()
        connection.send(json.dumps(envelope))
        return envelope_id, sent_at

    def wait_ack(self, envelope_id: str, timeout: float) -> tuple[float, dict[str, Any]]:
        """When the app acknowledged the envelope (monotonic time) and what it sent."""
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self._acks, timeout=timeout):
                raise TimeoutError(f"envelope {envelope_id} not acknowledged within {timeout} s")
            return self._acks[envelope_id]

    # --- serving ---------------------------------------------------------------------------
    def _session(self, connection: ServerConnection) -> None:
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "applink-aicost-test", "approximate_connection_time": 3600},
            "connection_info": {"app_id": "A0AICOST1"},
        }
        connection.send(json.dumps(hello))
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        try:
            for message in connection:
                ack = json.loads(message)
                with self._changed:
                    self._acks[ack["envelope_id"]] = (time.monotonic(), ack)
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
