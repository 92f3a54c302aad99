"""Who may change what, end to end: the real `aicost serve`, signed requests, a demo database.

One serve process per module (AICOST_ADMINS=U_ADMIN). Changes from anyone else are refused
politely and leave nothing behind; every change that is made (from Slack or the CLI) is in the
audit log, which `/aicost audit` and `aicost audit` show with who made it.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from billing_adapters.samples import sample_as_of
from bot.core.alerts.conditions import Assessment, Condition, current_periods
from bot.core.records import AuditEntry
from bot.db.alerts import AlertLedger
from bot.db.audit import AuditLog
from bot.db.hours import HoursLog
from bot.render.alert_blocks import alert_blocks
from bot.slack.blocks import check_blocks
from tests.fakes.slack_api import FakeSlackAPI, block_texts
from tests.slack.serve_harness import (
    ServeProcess,
    ask,
    assert_never_answered_later,
    block_actions_body,
    demo_env,
    redact,
    run_cli,
    signed_headers,
)

ADMIN, OTHER = "U_ADMIN", "U_OTHER"


# --- fixtures (slack_api, workdir and server: tests/slack/conftest.py) ---------------------
@pytest.fixture(scope="module")
def app_env(workdir: Path, slack_api: FakeSlackAPI, module_database_url: str) -> dict[str, str]:
    """The demo on SQLite, then on PostgreSQL: authorization and audit hold on both."""
    return demo_env(
        workdir,
        slack_api,
        database_url=module_database_url,
        AICOST_TIMEZONE="UTC",
        AICOST_ADMINS=ADMIN,
    )


def audit_log(engine: sa.Engine) -> list[AuditEntry]:
    return AuditLog(engine).latest(1000)


def audit_shown(server: ServeProcess, slack_api: FakeSlackAPI, user_id: str) -> str:
    """What `/aicost audit` shows, after checking its blocks fit Slack."""
    answer = ask(server, slack_api, "audit", user_id=user_id).answer()
    assert answer["blocks"] and check_blocks(answer["blocks"]) == []
    assert answer["response_type"] == "ephemeral"
    return block_texts(answer["blocks"])


def readable(blocks: list[dict[str, Any]]) -> str:
    """The texts a person reads (block_texts does not read buttons, so they are left out)."""
    return block_texts([b for b in blocks if b["type"] != "actions"])


def record_alert(engine: sa.Engine, key: str) -> Condition:
    """An alert in the ledger, as the scheduler would have recorded it (kind is the key's head)."""
    now = sample_as_of()
    kind, period = key.partition(":")[0], key.rpartition(":")[2]
    alert = Condition(key, kind, period, f"title of {key}", {"Spent": "$1.00"}, "why", "warning")
    AlertLedger(engine).sync(Assessment([alert], frozenset(), current_periods(now.date())), now=now)
    return alert


def press(
    server: ServeProcess,
    slack_api: FakeSlackAPI,
    action_id: str,
    alert: Condition,
    user_id: str,
    *,
    trigger_id: str = "",
    retry: int = 0,
) -> dict[str, Any]:
    """Press a button on the alert's message as Slack sends it (each press its own trigger_id,
    unless a retry of one is sent); return the one answer."""
    name = f"button-{uuid.uuid4().hex}"
    body = block_actions_body(
        user_id,
        {"action_id": action_id, "block_id": "aicost_alert_actions", "value": alert.key},
        trigger_id=trigger_id,
        channel={"id": "C0ALERTS1"},
        container={"type": "message", "message_ts": "1.0", "channel_id": "C0ALERTS1"},
        message={"type": "message", "text": alert.title, "blocks": alert_blocks(alert)},
        response_url=slack_api.webhook_url(name),
    )
    headers = signed_headers(body)
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    ack = httpx.post(server.events_url, content=body, headers=headers, timeout=10.0)
    assert ack.status_code == 200, ack.text
    (answer,) = slack_api.wait_for(f"/webhook/{name}", timeout=20.0)
    return answer.data


# --- log-hours -----------------------------------------------------------------------------
def test_log_hours_from_a_non_admin_is_refused_and_nothing_is_stored(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    hours, audited = HoursLog(engine).entries(), audit_log(engine)
    exchange = ask(server, slack_api, "log-hours 2 tuning the batch size", user_id=OTHER)
    assert "Only aicost admins can log hours" in exchange.ack_text
    assert "AICOST_ADMINS" in exchange.ack_text and "Nothing was changed" in exchange.ack_text
    assert_never_answered_later(exchange, server, slack_api)
    assert HoursLog(engine).entries() == hours
    assert audit_log(engine) == audited


@pytest.fixture(scope="module")
def admin_logged_hours(server: ServeProcess, slack_api: FakeSlackAPI) -> dict[str, Any]:
    exchange = ask(server, slack_api, "log-hours 1.5 rebuilt the <vllm> image", user_id=ADMIN)
    assert exchange.ack_text == ""
    return exchange.answer()


def test_log_hours_from_an_admin_is_stored_and_audited(
    admin_logged_hours: dict[str, Any], engine: sa.Engine
) -> None:
    assert "1.5 h" in admin_logged_hours["text"]
    (logged,) = [e for e in HoursLog(engine).entries() if e.note == "rebuilt the <vllm> image"]
    assert logged.hours == Decimal("1.5") and logged.user_id == ADMIN
    (entry,) = [e for e in audit_log(engine) if e.action == "hours.log"]
    assert entry.actor == f"slack:{ADMIN}"
    assert entry.target == "eng_hours_per_week"
    assert entry.detail == "logged 1.5 h of operations: rebuilt the <vllm> image"


def test_audit_shows_the_change_and_who_made_it_to_anyone(
    admin_logged_hours: dict[str, Any], server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    shown = audit_shown(server, slack_api, OTHER)
    assert "Latest changes" in shown
    (line,) = [line for line in shown.splitlines() if "hours.log" in line]
    assert f"<@{ADMIN}>" in line
    assert "logged 1.5 h of operations: rebuilt the &lt;vllm&gt; image" in line


def test_audit_takes_no_arguments(server: ServeProcess, slack_api: FakeSlackAPI) -> None:
    exchange = ask(server, slack_api, "audit everything", user_id=ADMIN)
    assert "Usage" in exchange.ack_text and "/aicost audit" in exchange.ack_text


# --- alert buttons -------------------------------------------------------------------------
def test_snooze_from_a_non_admin_is_refused_and_nothing_is_stored(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    alert = record_alert(engine, "spike:2026-11-19")
    audited = audit_log(engine)
    answer = press(server, slack_api, "aicost_snooze_7d", alert, OTHER)
    assert "Only aicost admins can snooze alerts" in answer["text"]
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "spike" not in AlertLedger(engine).snoozes(sample_as_of())
    assert audit_log(engine) == audited


def test_snooze_from_an_admin_and_ack_from_anyone_are_audited(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    alert = record_alert(engine, "budget:80:2026-11")
    snoozed = press(server, slack_api, "aicost_snooze_1d", alert, ADMIN)
    assert snoozed["replace_original"] is True
    assert f"Snoozed budget alerts for 1 day by <@{ADMIN}>" in readable(snoozed["blocks"])
    assert "budget" in AlertLedger(engine).snoozes(sample_as_of())

    acked = press(server, slack_api, "aicost_ack", alert, OTHER)
    assert f"Acknowledged by <@{OTHER}>" in readable(acked["blocks"])

    entries = audit_log(engine)
    (snooze,) = [e for e in entries if e.action == "alert.snooze"]
    assert snooze.actor == f"slack:{ADMIN}" and snooze.target == "budget"
    assert snooze.detail.startswith("snoozed budget alerts for 1 day (until ")
    (ack,) = [e for e in entries if e.action == "alert.ack"]
    assert ack.actor == f"slack:{OTHER}" and ack.target == alert.key


def test_a_retried_snooze_is_applied_and_audited_once(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    alert = record_alert(engine, "budget:80:2026-11")
    trigger = "4242.1.retried-snooze"
    snoozes = [e.action for e in audit_log(engine)].count("alert.snooze")  # the module's server
    first = press(server, slack_api, "aicost_snooze_7d", alert, ADMIN, trigger_id=trigger)
    until = AlertLedger(engine).snoozes(sample_as_of())["budget"]
    again = press(server, slack_api, "aicost_snooze_7d", alert, ADMIN, trigger_id=trigger, retry=1)
    assert readable(again["blocks"]) == readable(first["blocks"])  # the same snooze, same end
    assert AlertLedger(engine).snoozes(sample_as_of())["budget"] == until
    assert [e.action for e in audit_log(engine)].count("alert.snooze") == snoozes + 1


# --- the CLI -------------------------------------------------------------------------------
def test_cli_changes_are_audited_as_cli(
    app_env: dict[str, str], workdir: Path, server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    changed = run_cli("revenue", "set", "2026-09", "99000", env=app_env, cwd=workdir)
    assert changed.returncode == 0, redact(changed.stderr)
    shown = run_cli("audit", "--limit", "1", env=app_env, cwd=workdir)
    assert shown.returncode == 0, redact(shown.stderr)
    (line,) = shown.stdout.splitlines()
    assert " cli " in line and "revenue.set" in line
    assert line.endswith("set revenue for 2026-09 to $99,000.00")

    in_slack = audit_shown(server, slack_api, ADMIN).splitlines()
    assert "`cli` *revenue.set*: set revenue for 2026-09 to $99,000.00" in in_slack[1]
