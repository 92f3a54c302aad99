"""The settings modals end to end, over HTTP with the real `aicost serve`: a Home button (or
`/aicost settings`) opens the modal with views.open, and its view_submission is checked in the
ack (errors under the box, nothing stored), refused for anyone not in AICOST_ADMINS, and, when
valid, closed, stored and audited once, with the next answer using the new value. Nothing in
the app is patched; Slack is the loopback stand-in.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from bot.db.models import RevenueMonth
from tests.fakes.slack_api import FakeSlackAPI, block_texts
from tests.slack.serve_harness import ServeProcess, ask, demo_env, view_submission_body
from tests.slack.settings_harness import audit_actions, post, press, stored, wait_until

LEAD, VIEWER = "U0LEAD001", "U0VIEWER1"
BUDGET_CALLBACK, REVENUE_CALLBACK = "aicost_settings_budget", "aicost_settings_revenue"


@pytest.fixture(scope="module")
def app_env(workdir: Path, slack_api: FakeSlackAPI) -> dict[str, str]:
    return demo_env(
        workdir,
        slack_api,
        AICOST_TIMEZONE="UTC",
        AICOST_MONTHLY_BUDGET_USD="20000",
        AICOST_ADMINS=LEAD,
    )


def budget_values(budget: str) -> dict[str, dict[str, Any]]:
    return {
        "budget": {"value": budget},
        "alert_channel": {"type": "conversations_select", "selected_conversation": "C0ALERTS1"},
        "digest_channel": {"type": "conversations_select", "selected_conversation": None},
        "digest_cadence": {"value": "weekly"},
        "digest_schedule": {"value": "mon 09:00"},
    }


def test_a_home_button_opens_the_budget_modal_with_the_values_in_force(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    view = press(server, slack_api, LEAD, "budget")
    assert view["callback_id"] == BUDGET_CALLBACK
    assert view["title"]["text"] == "Budget & alerts"
    boxes = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert boxes["budget"]["initial_value"] == "20000"
    assert boxes["digest_cadence"]["initial_value"] == "weekly"
    assert boxes["alert_channel"]["type"] == "conversations_select"

    revenue = press(server, slack_api, LEAD, "revenue")
    assert revenue["callback_id"] == REVENUE_CALLBACK
    breakeven = press(server, slack_api, LEAD, "breakeven")
    profile = next(b for b in breakeven["blocks"] if b["block_id"] == "profile")
    assert profile["element"]["initial_option"]["value"] == "2xh100-rent-70b"


def test_someone_not_an_admin_is_shown_why_and_cannot_submit(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    view = press(server, slack_api, VIEWER, "budget")
    assert "submit" not in view and "callback_id" not in view
    assert "Only aicost admins can change settings" in block_texts(view["blocks"])

    # A submission forged for someone else's modal is refused under its first box.
    lead_view = press(server, slack_api, LEAD, "budget")
    before = stored(engine)
    ack = post(server, view_submission_body(VIEWER, lead_view, budget_values("99999")))
    answer = ack.json()
    assert answer["response_action"] == "errors"
    assert answer["errors"]["budget"].startswith("Only aicost admins can change settings")
    assert stored(engine) == before

    slash = ask(server, slack_api, "settings", user_id=VIEWER)
    assert slash.ack_text.startswith("Only aicost admins can change settings")


def test_an_invalid_value_comes_back_under_its_box_and_nothing_is_stored(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    view = press(server, slack_api, LEAD, "budget")
    before, audited = stored(engine), audit_actions(engine)
    values = {**budget_values("-5"), "digest_schedule": {"value": "someday"}}
    answer = post(server, view_submission_body(LEAD, view, values)).json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"budget", "digest_schedule"}
    assert "'someday' is not a weekly time" in answer["errors"]["digest_schedule"]
    time.sleep(0.3)  # nothing is deferred for a refused submission; give a bug the chance
    assert stored(engine) == before and audit_actions(engine) == audited


def test_a_valid_submission_is_stored_audited_once_and_in_force_at_the_next_answer(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    assert "$20,000.00" in block_texts(
        ask(server, slack_api, "status", user_id=VIEWER).answer()["blocks"]
    )
    view = press(server, slack_api, LEAD, "budget")
    before, audited = stored(engine), audit_actions(engine)
    body = view_submission_body(LEAD, view, budget_values("30000"))
    ack = post(server, body)
    assert ack.json() == {"response_action": "clear"}
    wait_until(lambda: stored(engine).get("AICOST_MONTHLY_BUDGET_USD") == "30000", "stored")
    # The untouched boxes equal the environment's values (or are empty): nothing else stored.
    assert stored(engine) == {
        **before,
        "AICOST_MONTHLY_BUDGET_USD": "30000",
        "AICOST_ALERT_CHANNEL": "C0ALERTS1",
    }
    changes = audit_actions(engine)[len(audited) :]
    assert sorted(changes) == [
        (f"slack:{LEAD}", "config.set", "AICOST_ALERT_CHANNEL"),
        (f"slack:{LEAD}", "config.set", "AICOST_MONTHLY_BUDGET_USD"),
    ]
    answer = ask(server, slack_api, "status", user_id=VIEWER).answer()
    assert "$30,000.00" in block_texts(answer["blocks"])
    # The admin's Home is drawn again with the values in force.
    wait_until(lambda: slack_api.home_view(LEAD) is not None, "the Home redrawn")
    home = block_texts(slack_api.home_view(LEAD)["blocks"])
    assert f"Monthly budget: $30,000.00 _(slack ({LEAD}, " in home

    # Slack retrying (or anyone replaying) the same submission applies nothing twice.
    assert post(server, body).json() == {"response_action": "clear"}
    repeat = "settings: a repeat of a submission already applied; not applied again"
    wait_until(lambda: repeat in server.stderr_path.read_text(), "the replay turned away")
    assert audit_actions(engine)[len(audited) :] == changes

    audit = ask(server, slack_api, "audit", user_id=VIEWER).answer()
    assert "set AICOST_MONTHLY_BUDGET_USD to 30000" in block_texts(audit["blocks"])


def test_revenue_from_its_modal_and_from_the_command(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    before = len(slack_api.opened_modals())
    opened = ask(server, slack_api, "settings revenue", user_id=LEAD)
    assert opened.ack_text == ""
    modal = slack_api.opened_modals()[before]
    assert modal["view"]["callback_id"] == REVENUE_CALLBACK
    typed = {"month": {"value": "Oct"}, "amount": {"value": "x"}}
    bad = post(server, view_submission_body(LEAD, modal["view"], typed)).json()
    assert bad["response_action"] == "errors" and set(bad["errors"]) == {"month", "amount"}
    good = view_submission_body(
        LEAD, modal["view"], {"month": {"value": "2026-10"}, "amount": {"value": "$125,000"}}
    )
    assert post(server, good).json() == {"response_action": "clear"}

    def revenue() -> list[tuple[Any, ...]]:
        with engine.connect() as connection:
            rows = connection.execute(
                select(RevenueMonth.month, RevenueMonth.updated_by).where(
                    RevenueMonth.updated_by == f"slack:{LEAD}"
                )
            )
            return [tuple(r) for r in rows]

    wait_until(lambda: len(revenue()) == 1, "revenue stored")
    assert f"{revenue()[0][0]:%Y-%m}" == "2026-10"


def test_breakeven_assumptions_are_checked_under_the_profile_chosen_then_stored(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    view = press(server, slack_api, LEAD, "breakeven")
    profile = {"type": "static_select", "selected_option": {"value": "2xh100-rent-70b"}}
    bad = {"profile": profile, "assumptions": {"value": "warp_drive=1"}}
    answer = post(server, view_submission_body(LEAD, view, bad)).json()
    assert answer["response_action"] == "errors"
    assert "unknown assumption 'warp_drive'" in answer["errors"]["assumptions"]
    assert "AICOST_BREAKEVEN" not in stored(engine)

    good = {"profile": profile, "assumptions": {"value": "gpu_hour_usd=1.80 team_engineers=6"}}
    assert post(server, view_submission_body(LEAD, view, good)).json() == {
        "response_action": "clear"
    }
    wait_until(lambda: "AICOST_BREAKEVEN" in stored(engine), "assumptions stored")
    # The profile chosen is the one already in force: it keeps coming from the environment.
    assert stored(engine)["AICOST_BREAKEVEN"] == "gpu_hour_usd=1.80 team_engineers=6"
    assert "AICOST_BREAKEVEN_PROFILE" not in stored(engine)
