"""The HTTP edge in front of bolt: only a signed, well-formed Slack request reaches it.

Measured before this existed: an unsigned request with a timestamp of "abc", a body that is
not UTF-8, a "{" that is not JSON or a JSON array got HTTP 500 and a traceback; every forged
request was logged whole at INFO (a 50 MB one cost 5 s of CPU, 300 MB of memory and 52 MB of
log); waitress read bodies up to 1 GiB. Here, before bolt sees anything:

- the body size is checked against Content-Length before a byte of it is read (413);
- the v0 signature is checked (Slack's documented HMAC-SHA256 over "v0:<timestamp>:<body>",
  timestamp within five minutes); anything unsigned, forged, stale or with a malformed
  timestamp gets 401 and one log line, never the body;
- a signed body that cannot be read (not UTF-8, a payload that is not a JSON object) gets 400.

bolt then verifies the signature again (cheap) and handles the request as before.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from ..core.clock import timer_now

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "MAX_BODY_BYTES", "SlackEdge", "verify_signature"]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

# Slack's largest request to an app is an interaction carrying a whole modal or message: at
# most 100 blocks, each text at most 3,000 characters, a few hundred KB of JSON once
# form-encoded. 1 MiB holds any of them with room to spare (a slash command is about 1 KB),
# and is a thousandth of waitress's default limit of 1 GiB.
MAX_BODY_BYTES = 1024 * 1024
MAX_AGE_SECONDS = 5 * 60  # Slack's documented replay window

log = logging.getLogger("aicost.slack.edge")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def verify_signature(secret: str, body: bytes, timestamp: str, signature: str) -> bool:
    """Slack's v0 request signature, with a fresh timestamp. False for anything malformed."""
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    if abs(timer_now().timestamp() - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def _readable(body: bytes, content_type: str) -> str | None:
    """None if a signed body is one bolt can read; otherwise why not, in a few words."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    if content_type.startswith("application/json"):
        return _json_object(text, "the body")
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        return _json_object(form["payload"][0], "its payload")
    return None


def _is_ssl_check(body: bytes) -> bool:
    """`ssl_check=1&token=...`: Slack checking the certificate of a slash command's URL."""
    if len(body) > 1024 or b"ssl_check=1" not in body:
        return False
    form = parse_qs(body.decode("utf-8", "replace"))
    return form.get("ssl_check") == ["1"] and "command" not in form and "payload" not in form


def _json_object(text: str, what: str) -> str | None:
    try:
        value = json.loads(text)
    except ValueError:
        return f"{what} is not JSON"
    return None if isinstance(value, dict) else f"{what} is not a JSON object"


class SlackEdge:
    """WSGI middleware: health check, size limit, signature and body checks, then bolt."""

    def __init__(
        self, app: WSGIApp, signing_secret: str, *, max_body: int = MAX_BODY_BYTES
    ) -> None:
        self.app, self.secret, self.max_body = app, signing_secret, max_body

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == HEALTH_PATH:
            return _answer(start_response, "200 OK", b"ok\n")
        if path != EVENTS_PATH:
            return _answer(start_response, "404 Not Found", b"not found\n")
        if method != "POST":
            return _answer(start_response, "405 Method Not Allowed", b"POST only\n")
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return _answer(start_response, "411 Length Required", b"length required\n")
        if length > self.max_body or length < 0:
            log.warning("refused a %s-byte request (limit %s bytes)", f"{length:,}", self.max_body)
            return _answer(start_response, "413 Content Too Large", b"too large\n", close=True)
        body = environ["wsgi.input"].read(length)
        if _is_ssl_check(body):  # Slack's certificate probe; bolt too answers it unverified
            return _answer(start_response, "200 OK", b"")
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not verify_signature(self.secret, body, timestamp, signature):
            log.warning("refused a request without a valid Slack signature (%d bytes)", len(body))
            return _answer(start_response, "401 Unauthorized", b"invalid signature\n")
        why = _readable(body, environ.get("CONTENT_TYPE", ""))
        if why is not None:
            log.warning("refused a signed request: %s", why)
            return _answer(start_response, "400 Bad Request", why.encode() + b"\n")
        environ["wsgi.input"] = io.BytesIO(body)  # bolt reads it again
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)


def _answer(
    start_response: Callable[..., Any], status: str, text: bytes, *, close: bool = False
) -> list[bytes]:
    headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))]
    if close:  # the unread body is still on the wire: end the connection rather than read it
        headers.append(("Connection", "close"))
    start_response(status, headers)
    return [text]
