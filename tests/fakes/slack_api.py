"""A loopback stand-in for the Slack Web API and for `response_url` webhooks.

Modelled on bolt-python's tests/mock_web_api_server: `auth.test` and `chat.postMessage` answer
like Slack (checking `Authorization: Bearer xoxb-...`), `/webhook/...` takes what `respond()`
sends and answers "ok". `views.publish` keeps each user's Home tab (`home_view()`). File uploads
follow files_upload_v2's three steps: `files.getUploadURLExternal` hands out an upload URL on
this stand-in, the client POSTs the bytes there, and `files.completeUploadExternal` shares the
file; `uploaded_files()` gives the completed ones with their exact bytes. Every request is
recorded so a test can wait for the calls a listener makes on its worker thread. The real app
is pointed at it through SLACK_API_URL and a `response_url`; nothing in the code under test is
patched.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler
from typing import Any

from bot.slack.doctor import NEEDED_SCOPES
from tests.fakes.loopback import LoopbackServer, QuietHandler
from tests.fakes.slack_channels import SlackChannels
from tests.fakes.slack_records import RecordedRequest, UploadedFile, block_texts, parse_body
from tests.fakes.slack_views import SlackHomes

__all__ = ["AUTH_TEST_RESPONSE", "FakeSlackAPI", "RecordedRequest", "UploadedFile", "block_texts"]

WEBHOOK_PREFIX = "/webhook/"
UPLOAD_PREFIX = "/upload/v1/"  # where getUploadURLExternal's upload_url points

AUTH_TEST_RESPONSE: dict[str, Any] = {
    "ok": True,
    "url": "https://aicost-test.slack.com/",
    "team": "aicost test workspace",
    "user": "aicost",
    "team_id": "T0AICOST1",
    "user_id": "U0AICOST1",
    "bot_id": "B0AICOST1",
    "is_enterprise_install": False,
}


class FakeSlackAPI(LoopbackServer):
    """Slack's Web API and webhook endpoints on one loopback port.

    Use as a context manager, or call start() and stop(). Point a WebClient at `url` and send
    `webhook_url(...)` as a slash command's response_url.
    """

    def __init__(self, *, bot_token_prefix: str = "xoxb-") -> None:
        self.bot_token_prefix = bot_token_prefix
        self._received: list[RecordedRequest] = []
        # path -> the next answers to give instead: (429, Retry-After seconds) or (5xx, None)
        self._faults: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        self._files: dict[str, UploadedFile] = {}  # file id -> upload, in the order announced
        # channel -> messages posted there, oldest first (conversations.history reads them)
        self._history: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.history_scope = True  # False: conversations.history answers missing_scope
        self.homes = SlackHomes(AUTH_TEST_RESPONSE)  # views.publish: each user's Home tab
        # The token's scopes, sent in auth.test's x-oauth-scopes header (and checked by
        # conversations.info/join): by default every one app.yaml asks for.
        self.scopes: list[str] = list(NEEDED_SCOPES)
        # Channels a test registers (conversations.info/join, upload membership).
        self.channels = SlackChannels()
        self._changed = threading.Condition()
        # Where `apps.connections.open` sends a Socket Mode app (tests/fakes/slack_socket.py).
        self.socket_mode_url: str | None = None
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        """Base URL with the trailing slash Slack's clients expect, like SLACK_API_URL."""
        return f"{self.origin}/"

    def webhook_url(self, name: str) -> str:
        """A response_url whose requests land on `/webhook/<name>`."""
        return f"{self.url}{WEBHOOK_PREFIX.strip('/')}/{name}"

    # --- test controls ---------------------------------------------------------------------
    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Requests received so far on exactly this path."""
        with self._changed:
            return [r for r in self._received if r.path == path]

    def requests_to_prefix(self, prefix: str) -> list[RecordedRequest]:
        """Requests received so far on any path starting with `prefix`."""
        with self._changed:
            return [r for r in self._received if r.path.startswith(prefix)]

    def wait_for(self, path: str, count: int = 1, *, timeout: float = 5.0) -> list[RecordedRequest]:
        """Block until `count` requests reached `path`; AssertionError after `timeout` seconds.

        Listeners answer on worker threads after the ack, so a test must wait, not look once.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                seen = [r for r in self._received if r.path == path]
                left = deadline - time.monotonic()
                if len(seen) >= count or left <= 0:
                    break
                self._changed.wait(left)
        if len(seen) < count:
            raise AssertionError(f"{len(seen)} of {count} requests reached {path} in {timeout} s")
        return seen

    def rate_limit_next(self, path: str, times: int = 1, *, retry_after: int = 1) -> None:
        """Answer the next `times` requests on `path` with 429 and a Retry-After header."""
        with self._changed:
            self._faults[path].extend([(429, retry_after)] * times)

    def fail_next(self, path: str, times: int = 1, *, status: int = 503) -> None:
        """Answer the next `times` requests on `path` with `status` (a Slack outage)."""
        with self._changed:
            self._faults[path].extend([(status, None)] * times)

    def uploaded_files(self) -> list[UploadedFile]:
        """Uploads that went through all three steps, oldest first."""
        with self._changed:
            return [f for f in self._files.values() if f.completed]

    def clear(self) -> None:
        """Forget recorded requests, uploads and pending faults."""
        with self._changed:
            self._received.clear()
            self._faults.clear()
            self._files.clear()
            self._history.clear()
            self.homes.views.clear()
            self.homes.modals.clear()
            self.homes.used_triggers.clear()
            self.homes.expired_triggers.clear()
            self.history_scope = True
            self.scopes = list(NEEDED_SCOPES)
            self.channels.clear()

    # --- serving ---------------------------------------------------------------------------
    def _authorized(self, headers: dict[str, str]) -> bool:
        token = headers.get("authorization", "").removeprefix("Bearer ")
        return token.startswith(self.bot_token_prefix) and len(token) > len(self.bot_token_prefix)

    def _upload(self, path: str, raw: bytes) -> tuple[int, Any]:
        """Step 2: the bytes, POSTed to the pre-signed URL (no token, like Slack's)."""
        with self._changed:
            upload = self._files.get(path.removeprefix(UPLOAD_PREFIX))
            if upload is None:
                return 404, "unknown upload"
            upload.content = raw
        return 200, f"OK - {len(raw)}"

    def _get_upload_url(self, fields: dict[str, Any]) -> tuple[int, Any]:
        """Step 1: a file id and where to send the bytes."""
        if not fields.get("filename") or not str(fields.get("length", "")).isdigit():
            return 200, {"ok": False, "error": "invalid_arguments"}
        with self._changed:
            file_id = f"F0AICOST{len(self._files) + 1:03d}"
            self._files[file_id] = UploadedFile(
                file_id, fields["filename"], int(fields["length"]), fields.get("alt_txt")
            )
        return 200, {
            "ok": True,
            "upload_url": f"{self.origin}{UPLOAD_PREFIX}{file_id}",
            "file_id": file_id,
        }

    def _complete_upload(self, fields: dict[str, Any]) -> tuple[int, Any]:
        """Step 3: share the uploaded files in a channel (and thread)."""
        try:
            files = json.loads(fields.get("files") or "[]")
        except ValueError:
            return 200, {"ok": False, "error": "invalid_arguments"}
        with self._changed:
            refused = self.channels.upload_refused(fields.get("channel_id"))
            if refused is not None:
                return 200, {"ok": False, "error": refused}
            uploads = [self._files.get(str(f.get("id"))) for f in files]
            if not files or any(u is None or u.content is None for u in uploads):
                return 200, {"ok": False, "error": "file_not_found"}
            shared = []
            for upload, item in zip(uploads, files, strict=True):
                assert upload is not None
                upload.title = item.get("title") or upload.filename
                upload.channel_id = fields.get("channel_id")
                upload.thread_ts = fields.get("thread_ts")
                upload.initial_comment = fields.get("initial_comment")
                upload.completed = True
                shared.append(
                    {"id": upload.file_id, "name": upload.filename, "title": upload.title}
                )
        return 200, {"ok": True, "files": shared}

    def _open_connection(self, headers: dict[str, str]) -> tuple[int, Any]:
        """Socket Mode's first step: an app-level (xapp-) token gets a websocket URL."""
        token = headers.get("authorization", "").removeprefix("Bearer ")
        if not token.startswith("xapp-"):
            return 200, {"ok": False, "error": "not_allowed_token_type"}
        if self.socket_mode_url is None:
            return 200, {"ok": False, "error": "socket_mode_not_enabled"}
        return 200, {"ok": True, "url": self.socket_mode_url}

    def _answer(self, path: str, headers: dict[str, str], data: Any) -> tuple[int, Any]:
        """Status and body (dict for JSON, str for text) for a request Slack would accept."""
        if path.startswith(WEBHOOK_PREFIX):
            return 200, "ok"
        if path == "/apps.connections.open":
            return self._open_connection(headers)
        methods = (
            "/auth.test",
            "/chat.postMessage",
            "/chat.update",
            "/conversations.history",
            "/conversations.info",
            "/conversations.join",
            "/files.getUploadURLExternal",
            "/files.completeUploadExternal",
            "/views.open",
            "/views.publish",
        )
        if path not in methods:
            return 404, {"ok": False, "error": "unknown_method"}
        if not self._authorized(headers):
            return 200, {"ok": False, "error": "invalid_auth"}  # Slack says so with a 200
        if path == "/auth.test":
            return 200, AUTH_TEST_RESPONSE
        fields = data if isinstance(data, dict) else {}
        if path == "/conversations.history":
            with self._changed:
                return self._conversation_history(fields)
        if path in ("/conversations.info", "/conversations.join"):
            with self._changed:
                scopes = set(self.scopes)
                if path == "/conversations.info":
                    return 200, self.channels.info(fields, scopes)
                return 200, self.channels.join(fields, scopes)
        if path == "/files.getUploadURLExternal":
            return self._get_upload_url(fields)
        if path == "/files.completeUploadExternal":
            return self._complete_upload(fields)
        if path == "/views.publish":
            with self._changed:
                return 200, self.homes.publish(fields)
        if path == "/views.open":
            with self._changed:
                return 200, self.homes.open(fields)
        if not fields.get("channel"):
            return 200, {"ok": False, "error": "channel_not_found"}
        if path == "/chat.update":
            with self._changed:
                return self._update(fields)
        message = {k: fields[k] for k in ("text", "blocks", "thread_ts") if k in fields}
        message.update(type="message", bot_id=AUTH_TEST_RESPONSE["bot_id"])
        ts = f"{time.time():.6f}"
        stored = {**message, "ts": ts}
        if isinstance(fields.get("metadata"), dict):
            stored["metadata"] = fields["metadata"]
        with self._changed:
            self._history[fields["channel"]].append(stored)
        return 200, {"ok": True, "channel": fields["channel"], "ts": ts, "message": message}

    def _update(self, fields: dict[str, Any]) -> tuple[int, Any]:
        """chat.update: the bot's own message at `ts` in `channel` gets the new text and blocks,
        for everyone; a ts that is not there is `message_not_found`, as Slack answers."""
        for message in self._history.get(fields["channel"], []):
            if message["ts"] == fields.get("ts"):
                message.update({k: fields[k] for k in ("text", "blocks") if k in fields})
                shown = {k: v for k, v in message.items() if k != "metadata"}
                return 200, {
                    "ok": True,
                    "channel": fields["channel"],
                    "ts": message["ts"],
                    "message": shown,
                }
        return 200, {"ok": False, "error": "message_not_found"}

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The Home view last published for this user, or None."""
        with self._changed:
            return self.homes.views.get(user_id)

    def opened_modals(self) -> list[dict[str, Any]]:
        """Every modal opened with views.open, oldest first: {trigger_id, view}."""
        with self._changed:
            return [dict(m) for m in self.homes.modals]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """The messages in channel as they stand now (updates applied), oldest first."""
        with self._changed:
            return [dict(m) for m in self._history.get(channel, [])]

    def _conversation_history(self, query: dict[str, str]) -> tuple[int, Any]:
        """Newest first, from `oldest` on, metadata only with include_all_metadata (as Slack);
        one page of `limit`, with a cursor for the rest."""
        if not self.history_scope:
            return 200, {"ok": False, "error": "missing_scope", "needed": "channels:history"}
        oldest = float(query.get("oldest") or 0)
        with_metadata = query.get("include_all_metadata") in ("1", "true", "True")
        messages = [
            m
            for m in reversed(self._history.get(query.get("channel", ""), []))
            if float(m["ts"]) > oldest
        ]
        start = int(query.get("cursor") or 0)
        limit = int(query.get("limit") or 100)
        page = messages[start : start + limit]
        shown = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in page
        ]
        more = start + limit < len(messages)
        return 200, {
            "ok": True,
            "messages": shown,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                path, _, headers = self.request_parts()
                length = int(headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                body = raw.decode("utf-8", "replace")
                is_upload = path.startswith(UPLOAD_PREFIX)  # binary: never parsed as a form
                data = None if is_upload else parse_body(body, headers.get("content-type", ""))
                with api._changed:
                    faults = api._faults.get(path)
                    fault = faults.pop(0) if faults else None
                if fault is not None and fault[1] is not None:
                    status, answer = 429, {"ok": False, "error": "ratelimited"}
                    extra = {"Retry-After": str(fault[1])}
                elif fault is not None:
                    status, answer, extra = fault[0], "service unavailable", {}
                elif is_upload:
                    status, answer = api._upload(path, raw)
                    extra = {}
                else:
                    status, answer = api._answer(path, headers, data)
                    extra = {}
                    if path == "/auth.test" and status == 200 and answer.get("ok"):
                        with api._changed:  # as Slack: the token's scopes, in a header
                            extra = {"x-oauth-scopes": ",".join(api.scopes)}
                with api._changed:
                    api._received.append(
                        RecordedRequest("POST", path, headers, body, data, status, answer)
                    )
                    api._changed.notify_all()
                self.reply(status, answer, extra)

        return Handler
