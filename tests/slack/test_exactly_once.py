"""A change asked for in Slack is applied once and answered once, through retries and outages.

The real `aicost serve` on a demo database (SQLite, then PostgreSQL), signed requests on
loopback, Slack's response_url served by the stand-in. Measured before: the same admin
`/aicost log-hours 10` sent again with X-Slack-Retry-Num: 1 wrote two audit rows and two hours
rows, and break-even then used 22.5 h/week instead of 12.5; a 5xx from response_url lost the
answer to a committed change without a trace.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.core.records import AuditEntry
from bot.db.audit import AuditLog
from bot.db.models import OpsHoursRow
from bot.render.audit_render import UNCONFIRMED, audit_text
from bot.slack.poster import SlackPoster
from bot.slack.replies import RETRY_DELAYS, deliver
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.serve_harness import ServeProcess, demo_env, signed_headers, slash_body

ADMIN = "U_ADMIN"


@pytest.fixture(scope="module")
def app_env(workdir: Path, slack_api: FakeSlackAPI, module_database_url: str) -> dict[str, str]:
    return demo_env(
        workdir,
        slack_api,
        database_url=module_database_url,
        AICOST_TIMEZONE="UTC",
        AICOST_ADMINS=ADMIN,
    )


def hours_rows(engine: sa.Engine, note: str) -> list[int]:
    """Minutes of every hours entry with this note."""
    with Session(engine) as session:
        return list(session.scalars(sa.select(OpsHoursRow.minutes).where(OpsHoursRow.note == note)))


def entries_once_confirmed(engine: sa.Engine, note: str) -> list[AuditEntry]:
    """The audit entries of this change, once one is marked answered (which happens just after
    Slack took the answer, so it is waited for; the deadline is a hang guard)."""
    deadline = time.monotonic() + 30
    while True:
        entries = [e for e in AuditLog(engine).latest(1000) if note in e.detail]
        if any(e.answered_at is not None for e in entries) or time.monotonic() > deadline:
            return entries
        time.sleep(0.05)


def send(serve: ServeProcess, body: str, retry: int | None = None) -> httpx.Response:
    headers = signed_headers(body)
    if retry is not None:  # what Slack adds when it delivers a request again
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return httpx.post(serve.events_url, content=body, headers=headers, timeout=10)


def test_a_retried_admin_change_is_applied_and_answered_once(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    note = f"retried {uuid.uuid4().hex[:8]}"
    name = f"once-{uuid.uuid4().hex}"
    body = slash_body(f"log-hours 10 {note}", slack_api.webhook_url(name), user_id=ADMIN)
    assert send(server, body).status_code == 200
    (answer,) = slack_api.wait_for(f"/webhook/{name}", timeout=30)
    assert answer.data["text"].startswith("Logged 10 h of operations.")
    assert send(server, body, retry=1).status_code == 200  # the same request, delivered again
    assert send(server, body, retry=2).status_code == 200

    # A later command's answer has arrived, so the retries' work is done.
    other = f"later-{uuid.uuid4().hex}"
    later = slash_body("audit", slack_api.webhook_url(other), user_id=ADMIN)
    assert send(server, later).status_code == 200
    slack_api.wait_for(f"/webhook/{other}", timeout=30)

    assert hours_rows(engine, note) == [600]  # 10 h once, not 20
    entries = entries_once_confirmed(engine, note)
    assert len(entries) == 1 and entries[0].answered_at is not None
    assert len(slack_api.requests_to(f"/webhook/{name}")) == 1  # answered once


def test_an_answer_survives_response_url_failures(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    """Two 503s from response_url, then it works: the answer gets through on the third try,
    and the audit records the change as confirmed."""
    note = f"outage {uuid.uuid4().hex[:8]}"
    name = f"outage-{uuid.uuid4().hex}"
    slack_api.fail_next(f"/webhook/{name}", 2, status=503)
    body = slash_body(f"log-hours 1.5 {note}", slack_api.webhook_url(name), user_id=ADMIN)
    assert send(server, body).status_code == 200
    posts = slack_api.wait_for(f"/webhook/{name}", 3, timeout=60)
    assert [p.status for p in posts] == [503, 503, 200]
    assert posts[2].data["text"].startswith("Logged 1.5 h of operations.")
    (entry,) = entries_once_confirmed(engine, note)
    assert entry.answered_at is not None and UNCONFIRMED not in audit_text(
        [entry], tz=ZoneInfo("UTC")
    )


class Refusing:
    """A response_url that answers `status` every time, counting the tries."""

    def __init__(self, status: int) -> None:
        self.status, self.tries = status, 0

    def __call__(self, **message: object) -> httpx.Response:
        self.tries += 1
        return httpx.Response(self.status)


def test_an_answer_is_tried_five_times_then_logged_without_the_url(
    caplog: pytest.LogCaptureFixture,
) -> None:
    waits: list[float] = []
    respond = Refusing(503)
    assert deliver(respond, {"text": "done"}, what="revenue set", sleep=waits.append) is False
    assert respond.tries == 5 and waits == list(RETRY_DELAYS) == [1.0, 4.0, 16.0, 64.0]
    assert [r.getMessage() for r in caplog.records] == [
        "the answer to /aicost revenue set was not delivered (HTTP 503)"
    ]


def test_an_expired_response_url_is_not_tried_again() -> None:
    waits: list[float] = []
    respond = Refusing(404)
    assert deliver(respond, {"text": "done"}, what="status", sleep=waits.append) is False
    assert respond.tries == 1 and waits == []


def test_blocks_slack_would_refuse_are_dropped_for_the_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One header over 150 characters makes Slack refuse the whole message (invalid_blocks):
    the text still gets through, and the log says why the blocks did not."""
    sent: list[dict[str, object]] = []

    def respond(**message: object) -> httpx.Response:
        sent.append(message)
        return httpx.Response(200)

    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    message = {"text": "AI spend: $1.00", "blocks": [header], "response_type": "ephemeral"}
    assert deliver(respond, message, what="status") is True
    assert sent == [{"text": "AI spend: $1.00", "response_type": "ephemeral"}]
    (record,) = caplog.records
    assert record.getMessage().startswith(
        "the blocks answering /aicost status break Slack's limits: ['block 0: header: "
    )


def test_a_job_post_with_blocks_slack_would_refuse_goes_out_as_text(
    slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """Alerts and digests leave through chat.postMessage, checked the same way as answers:
    one header over 150 characters would make Slack refuse the post, so the text goes alone."""
    slack_api.clear()
    poster = SlackPoster(token="xoxb-test-blocks", base_url=slack_api.url)
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    poster.post("C0ALERTS", text="81 % of the budget used", blocks=[header], key="budget:80")
    (request,) = slack_api.requests_to("/chat.postMessage")
    assert request.data["text"] == "81 % of the budget used"
    assert not request.data.get("blocks")
    (record,) = [r for r in caplog.records if r.name == "aicost.slack"]
    assert record.getMessage().startswith(
        "the blocks of budget:80 to C0ALERTS break Slack's limits: ['block 0: header: "
    )
