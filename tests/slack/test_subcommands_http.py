"""`/aicost` subcommands end to end: the real `aicost serve`, signed HTTP requests, a demo DB.

One serve process per module (AICOST_ADMINS=U_ADMIN, AICOST_TIMEZONE=UTC). Input errors must be
answered in the ack and never reach response_url; database work must be acked first and then
answered through response_url. Every ack must come within Slack's 3 seconds.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from bot.db.hours import HoursEntry, HoursLog
from bot.db.revenue import Revenue, RevenueStore
from bot.slack.blocks import check_blocks
from tests.fakes.slack_api import FakeSlackAPI, block_texts
from tests.slack.serve_harness import (
    Exchange,
    ServeProcess,
    assert_never_answered_later,
    block_actions_body,
    demo_env,
    redact,
    run_cli,
    signed_headers,
)
from tests.slack.serve_harness import ask as harness_ask

ADMIN, OTHER = "U_ADMIN", "U_OTHER"
WHAT_IF = "60000"


# --- fixtures (slack_api, workdir and server: tests/slack/conftest.py) ---------------------
@pytest.fixture(scope="module")
def app_env(workdir: Path, slack_api: FakeSlackAPI) -> dict[str, str]:
    return demo_env(workdir, slack_api, AICOST_TIMEZONE="UTC", AICOST_ADMINS=ADMIN)


def ask(
    server: ServeProcess, slack_api: FakeSlackAPI, text: str, *, user_id: str = ADMIN
) -> Exchange:
    """The harness's checked `ask`, as the admin unless said otherwise."""
    return harness_ask(server, slack_api, text, user_id=user_id)


def all_revenue(engine: sa.Engine) -> list[Revenue]:
    return RevenueStore(engine).months(date(2000, 1, 1), date(2100, 1, 1))


def hours_entries(engine: sa.Engine) -> list[HoursEntry]:
    return HoursLog(engine).entries()


def unescape(text: str) -> str:
    """Undo the mrkdwn escaping of bot/render/breakeven_blocks.py."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def cli_breakeven(app_env: dict[str, str], workdir: Path) -> dict[str, Any]:
    result = run_cli("breakeven", "--json", "--monthly-spend", WHAT_IF, env=app_env, cwd=workdir)
    assert result.returncode == 0, redact(result.stderr)
    return json.loads(result.stdout)


# --- forecast and breakeven ----------------------------------------------------------------
def test_forecast_is_answered_once_with_valid_blocks(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    answer = ask(server, slack_api, "forecast").answer()
    assert isinstance(answer["blocks"], list) and answer["blocks"]
    assert check_blocks(answer["blocks"]) == []
    # The demo's data as of its own moment: the same figures as `aicost forecast` prints there.
    assert answer["text"] == (
        "AI spend forecast for November 2026: $9,671.03 (likely $9,589.36 to $9,838.00)"
    )
    shown = block_texts(answer["blocks"])
    assert "This month (November 2026): $9,671.03" in shown
    assert "$6,472.00 spent before today" in shown
    assert "Dec 2026" in shown and "Nov 2027" in shown  # the twelve months ahead


@pytest.fixture(scope="module")
def breakeven_what_if(
    server: ServeProcess, slack_api: FakeSlackAPI, app_env: dict[str, str], workdir: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Slack answer and the CLI's JSON for the same what-if, asked back to back."""
    answer = ask(server, slack_api, f"breakeven --monthly-spend {WHAT_IF}").answer()
    return answer, cli_breakeven(app_env, workdir)


def test_breakeven_what_if_blocks_are_within_limits(
    breakeven_what_if: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    answer, _ = breakeven_what_if
    assert answer["blocks"] and check_blocks(answer["blocks"]) == []
    assert answer["text"].strip()


def test_breakeven_what_if_matches_the_cli(
    breakeven_what_if: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    answer, cli = breakeven_what_if
    shown = unescape(block_texts(answer["blocks"]))
    assert cli["monthly_api_usd"] == float(WHAT_IF)
    assert "$60,000.00" in shown
    assert cli["profile"] in shown
    assert cli["verdict"]["headline"] in shown


def test_what_slack_clients_do_to_typed_text_is_undone(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    """Slack on macOS turns "--" into an em dash, and a pasted space may be a non-breaking one:
    `/aicost breakeven —monthly-spend 60000` is the --monthly-spend the user typed."""
    exchange = ask(server, slack_api, f"breakeven\u00a0\u2014monthly-spend {WHAT_IF}")
    assert "Usage" not in exchange.ack_text
    assert "$60,000.00" in unescape(block_texts(exchange.answer()["blocks"]))


@pytest.mark.parametrize(
    ("text", "named"),
    [("breakeven --profile nope", "nope"), ("breakeven --set nonsense", "nonsense")],
)
def test_breakeven_bad_arguments_are_answered_in_the_ack(
    server: ServeProcess, slack_api: FakeSlackAPI, text: str, named: str
) -> None:
    exchange = ask(server, slack_api, text)
    assert "Usage" in exchange.ack_text
    assert named in exchange.ack_text
    assert_never_answered_later(exchange, server, slack_api)


def test_breakeven_bad_assumption_value_is_named_in_the_answer(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    exchange = ask(server, slack_api, "breakeven --set gpu_hour_usd=abc")
    assert exchange.ack_text == ""  # well-formed, so only the model can tell it is wrong
    answer = exchange.answer()
    assert "gpu_hour_usd" in answer["text"]
    assert "Traceback" not in answer["text"]
    assert "couldn't work that out" not in answer["text"]  # not the generic failure


# --- revenue -------------------------------------------------------------------------------
def test_revenue_from_a_non_admin_is_refused_and_not_stored(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    before = all_revenue(engine)
    exchange = ask(server, slack_api, "revenue set 2026-10 125000", user_id=OTHER)
    assert "Only aicost admins" in exchange.ack_text
    assert "AICOST_ADMINS" in exchange.ack_text
    assert_never_answered_later(exchange, server, slack_api)
    assert all_revenue(engine) == before


def test_revenue_from_an_admin_is_stored_and_confirmed(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    exchange = ask(server, slack_api, "revenue set 2026-10 125000", user_id=ADMIN)
    assert exchange.ack_text == ""
    assert "$125,000.00" in exchange.answer()["text"]
    (stored,) = RevenueStore(engine).months(date(2026, 10, 1), date(2026, 11, 1))
    assert stored.month == date(2026, 10, 1)
    assert stored.amount_usd == Decimal("125000")
    assert stored.source == "manual"
    assert stored.updated_by == f"slack:{ADMIN}"


def test_revenue_show_lists_what_is_stored_to_admins_only(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    refused = ask(server, slack_api, "revenue show", user_id=OTHER)
    assert "Only aicost admins" in refused.ack_text
    assert_never_answered_later(refused, server, slack_api)
    shown = ask(server, slack_api, "revenue show", user_id=ADMIN)
    assert shown.ack_text == ""
    text = shown.answer()["text"]
    assert text.startswith("*Monthly revenue stored*")
    for stored in all_revenue(engine):
        assert f"{stored.month:%Y-%m}  " in text and f"{stored.amount_usd:,.2f}" in text


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("revenue set 2026-13 125000", "2026-13"),
        ("revenue set 2026-10 lots", "lots"),
        ("revenue set 2026-10", "Usage"),
        ("revenue set 2026-10 125000 extra", "Usage"),
        ("revenue 2026-10 125000", "Usage"),
    ],
)
def test_bad_revenue_input_is_explained_in_the_ack_and_not_stored(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine, text: str, explained: str
) -> None:
    before = all_revenue(engine)
    exchange = ask(server, slack_api, text, user_id=ADMIN)
    assert explained in exchange.ack_text
    assert_never_answered_later(exchange, server, slack_api)
    assert all_revenue(engine) == before


# --- log-hours -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "explained"),
    [("log-hours -1", "'-1'"), ("log-hours abc", "'abc'"), ("log-hours", "Usage")],
)
def test_bad_hours_are_explained_in_the_ack_and_not_stored(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine, text: str, explained: str
) -> None:
    before = hours_entries(engine)
    exchange = ask(server, slack_api, text)
    assert explained in exchange.ack_text
    assert_never_answered_later(exchange, server, slack_api)
    assert hours_entries(engine) == before


@pytest.fixture(scope="module")
def logged_hours(server: ServeProcess, slack_api: FakeSlackAPI) -> dict[str, Any]:
    """The answer to logging 2.5 hours; tests that need hours in the log depend on it."""
    exchange = ask(server, slack_api, "log-hours 2.5 upgraded vLLM", user_id=ADMIN)
    assert exchange.ack_text == ""
    return exchange.answer()


def test_logged_hours_are_confirmed_and_stored(
    logged_hours: dict[str, Any], engine: sa.Engine
) -> None:
    assert "2.5 h" in logged_hours["text"]
    matching = [e for e in hours_entries(engine) if e.note == "upgraded vLLM"]
    assert len(matching) == 1
    assert matching[0].hours == Decimal("2.5")
    assert matching[0].user_id == ADMIN


def test_breakeven_uses_measured_hours_once_logged(
    logged_hours: dict[str, Any], app_env: dict[str, str], workdir: Path
) -> None:
    cli = cli_breakeven(app_env, workdir)
    assert cli["assumptions"]["eng_hours_per_week"]["source"].startswith("measured")
    assert cli["measured_hours"]["entries"] >= 1


# --- why ---------------------------------------------------------------------------------------
def test_why_is_answered_after_the_ack_and_matches_the_cli(
    server: ServeProcess, slack_api: FakeSlackAPI, app_env: dict[str, str], workdir: Path
) -> None:
    exchange = ask(server, slack_api, "why\u00a0month")  # a pasted non-breaking space, too
    assert exchange.ack_text == ""
    answer = exchange.answer()
    assert answer["blocks"] and check_blocks(answer["blocks"]) == []
    result = run_cli("why", "month", "--json", env=app_env, cwd=workdir)
    assert result.returncode == 0, redact(result.stderr)
    cli = json.loads(result.stdout)
    shown = unescape(block_texts(answer["blocks"]))
    assert f"${cli['current_usd']:,.2f} in 1–" in answer["text"]
    assert f"(+{cli['change_pct']} %)" in answer["text"]
    top = cli["drivers"]["project"][0]
    assert f"{top['provider']} {top['name']}: ${top['current_usd']:,.2f}" in shown
    assert "By model (or line item)" in shown and "Not by team" in shown


@pytest.mark.parametrize("text", ["why 2026-13", "why week month", "why next"])
def test_a_malformed_why_period_is_answered_in_the_ack(
    server: ServeProcess, slack_api: FakeSlackAPI, text: str
) -> None:
    exchange = ask(server, slack_api, text)
    assert "*Usage:* `/aicost why [week | month | YYYY-MM]`" in exchange.ack_text
    assert_never_answered_later(exchange, server, slack_api)


def test_help_lists_why(server: ServeProcess, slack_api: FakeSlackAPI) -> None:
    assert "`/aicost why [week | month | YYYY-MM]`" in ask(server, slack_api, "help").ack_text


def share(server: ServeProcess, slack_api: FakeSlackAPI, value: str, user_id: str) -> Any:
    """Press "Share in channel" under an ephemeral answer, as Slack sends it (no message body:
    Slack does not send an ephemeral message's content); return the one message it posts."""
    name = f"share-{uuid.uuid4().hex}"
    body = block_actions_body(
        user_id,
        {"action_id": "aicost_share", "block_id": "aicost_share", "value": value},
        channel={"id": "C0TEAM001"},
        container={"type": "message", "message_ts": "1.0", "is_ephemeral": True},
        response_url=slack_api.webhook_url(name),
    )
    ack = httpx.post(server.events_url, content=body, headers=signed_headers(body), timeout=10.0)
    assert ack.status_code == 200, ack.text
    (answer,) = slack_api.wait_for(f"/webhook/{name}", timeout=20.0)
    return answer.data


def test_a_private_answer_can_be_shared_in_the_channel(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    private = ask(server, slack_api, "why month", user_id=OTHER).answer()
    assert private["response_type"] == "ephemeral"
    (button,) = [e for b in private["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (button["action_id"], button["value"]) == ("aicost_share", "why month")
    assert check_blocks(private["blocks"]) == []

    shared = share(server, slack_api, button["value"], OTHER)
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    assert shared["text"] == private["text"]  # the same answer, worked out again
    assert all(b["type"] != "actions" for b in shared["blocks"])  # no button on the copy
    assert f"Shared by <@{OTHER}>" in block_texts(shared["blocks"])
    assert check_blocks(shared["blocks"]) == []


def test_only_read_only_answers_are_shareable(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    shown = ask(server, slack_api, "revenue show").answer()  # an admin's figures
    assert all(b["type"] != "actions" for b in shown.get("blocks") or [])
    refused = share(server, slack_api, "revenue set 2026-10 1", ADMIN)
    assert refused["response_type"] == "ephemeral"
    assert refused["text"] == "This answer cannot be shared."
