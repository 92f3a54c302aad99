"""The "Alert rules" and "Currency & time" forms end to end, over HTTP with the real
`aicost serve` (as of the demo's own moment, so no figure depends on today's date): opened from
the Home or `/aicost settings alerts|currency`, refused for anyone not in AICOST_ADMINS, a bad
value (or a currency without its rate) sent back under its own box with nothing stored, and a
good one stored and audited once and used by the next answer. An emptied box removes the value
set in Slack, so the environment's is in force again. Slack is the loopback stand-in.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.fakes.slack_api import FakeSlackAPI, block_texts
from tests.slack.serve_harness import ServeProcess, ask, demo_env, view_submission_body
from tests.slack.settings_harness import audit_actions, post, press, stored, wait_until

LEAD, VIEWER = "U0LEAD001", "U0VIEWER1"
RULES_CALLBACK, CURRENCY_CALLBACK = "aicost_settings_alerts", "aicost_settings_currency"
OVER_POLICY = "AI spend is above the 5.0 % of revenue policy."  # the demo's October: 5.3 %


@pytest.fixture(scope="module")
def app_env(workdir: Path, slack_api: FakeSlackAPI) -> dict[str, str]:
    return demo_env(workdir, slack_api, AICOST_TIMEZONE="UTC", AICOST_ADMINS=LEAD)


def rules(factor: str, floor: str, stale: str, share: str | None) -> dict[str, dict[str, Any]]:
    return {
        "spike_factor": {"value": factor},
        "spike_floor": {"value": floor},
        "stale_after": {"value": stale},
        "max_spend_share": {"value": share},
    }


def money(rates: str | None, currency: str, zone: str) -> dict[str, dict[str, Any]]:
    return {
        "fx_rates": {"value": rates},
        "currency": {"value": currency},
        "timezone": {"value": zone},
    }


def status_text(server: ServeProcess, slack_api: FakeSlackAPI) -> str:
    return block_texts(ask(server, slack_api, "status", user_id=VIEWER).answer()["blocks"])


def test_both_forms_open_with_the_values_in_force(
    server: ServeProcess, slack_api: FakeSlackAPI
) -> None:
    view = press(server, slack_api, LEAD, "alerts")
    assert view["callback_id"] == RULES_CALLBACK and view["title"]["text"] == "Alert rules"
    boxes = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert boxes["spike_factor"]["initial_value"] == "3"
    assert boxes["spike_floor"]["initial_value"] == "50"
    assert boxes["stale_after"]["initial_value"] == "24"
    assert "initial_value" not in boxes["max_spend_share"]  # unset: no ceiling

    before = len(slack_api.opened_modals())
    assert ask(server, slack_api, "settings currency", user_id=LEAD).ack_text == ""
    view = slack_api.opened_modals()[before]["view"]
    assert view["callback_id"] == CURRENCY_CALLBACK and view["title"]["text"] == "Currency & time"
    boxes = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert boxes["currency"]["initial_value"] == "USD"
    assert boxes["timezone"]["initial_value"] == "UTC"
    assert "initial_value" not in boxes["fx_rates"]


@pytest.mark.parametrize("which", ["alerts", "currency"])
def test_someone_not_an_admin_is_refused_and_nothing_is_stored(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine, which: str
) -> None:
    view = press(server, slack_api, VIEWER, which)
    assert "submit" not in view and "callback_id" not in view
    assert ask(server, slack_api, f"settings {which}", user_id=VIEWER).ack_text.startswith(
        "Only aicost admins can change settings"
    )
    lead_view = press(server, slack_api, LEAD, which)
    values, first = (
        (rules("10", "0", "1", "0.01"), "spike_factor")
        if which == "alerts"
        else (money("EUR=1.0841", "EUR", "Asia/Tokyo"), "fx_rates")
    )
    before, audited = stored(engine), audit_actions(engine)
    answer = post(server, view_submission_body(VIEWER, lead_view, values)).json()
    assert answer["response_action"] == "errors"
    assert answer["errors"][first].startswith("Only aicost admins can change settings")
    time.sleep(0.3)  # nothing is deferred for a refused submission; give a bug the chance
    assert stored(engine) == before and audit_actions(engine) == audited


def test_bad_thresholds_come_back_under_their_boxes_and_nothing_is_stored(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    view = press(server, slack_api, LEAD, "alerts")
    before, audited = stored(engine), audit_actions(engine)
    answer = post(server, view_submission_body(LEAD, view, rules("1", "50", "x", "2"))).json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"spike_factor", "stale_after", "max_spend_share"}
    assert "'x' is not a number" in answer["errors"]["stale_after"]
    time.sleep(0.3)
    assert stored(engine) == before and audit_actions(engine) == audited


def test_alert_rules_are_stored_audited_once_used_and_an_emptied_box_removes_one(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    assert OVER_POLICY not in status_text(server, slack_api)
    view = press(server, slack_api, LEAD, "alerts")
    audited = audit_actions(engine)
    body = view_submission_body(LEAD, view, rules("4", "50", "12", "0.05"))
    assert post(server, body).json() == {"response_action": "clear"}
    wait_until(lambda: stored(engine).get("AICOST_MAX_SPEND_SHARE") == "0.05", "stored")
    # The floor typed as it was (the default) is not stored: it keeps coming from there.
    assert "AICOST_SPIKE_FLOOR_USD" not in stored(engine)
    assert stored(engine)["AICOST_SPIKE_FACTOR"] == "4"
    assert stored(engine)["AICOST_STALE_AFTER_HOURS"] == "12"
    changes = audit_actions(engine)[len(audited) :]
    assert sorted(changes) == [
        (f"slack:{LEAD}", "config.set", name)
        for name in ("AICOST_MAX_SPEND_SHARE", "AICOST_SPIKE_FACTOR", "AICOST_STALE_AFTER_HOURS")
    ]
    assert OVER_POLICY in status_text(server, slack_api)
    wait_until(lambda: slack_api.home_view(LEAD) is not None, "the Home redrawn")
    wait_until(
        lambda: (
            f"Spike factor: `4` _(slack ({LEAD}, "
            in block_texts(slack_api.home_view(LEAD)["blocks"])
        ),
        "the Home showing the new spike factor",
    )
    # A replay of the same submission changes nothing.
    assert post(server, body).json() == {"response_action": "clear"}
    repeat = "settings: a repeat of a submission already applied; not applied again"
    wait_until(lambda: repeat in server.stderr_path.read_text(), "the replay turned away")
    assert audit_actions(engine)[len(audited) :] == changes

    # Emptying the ceiling removes the stored value: the environment's (none) is in force.
    view = press(server, slack_api, LEAD, "alerts")
    assert {b["block_id"]: b["element"] for b in view["blocks"]}["max_spend_share"][
        "initial_value"
    ] == "0.05"
    emptied = view_submission_body(LEAD, view, rules("4", "50", "12", None))
    assert post(server, emptied).json() == {"response_action": "clear"}
    wait_until(lambda: "AICOST_MAX_SPEND_SHARE" not in stored(engine), "the ceiling removed")
    assert audit_actions(engine)[-1] == (f"slack:{LEAD}", "config.unset", "AICOST_MAX_SPEND_SHARE")
    assert stored(engine)["AICOST_SPIKE_FACTOR"] == "4"
    assert OVER_POLICY not in status_text(server, slack_api)


def test_a_currency_without_its_rate_is_refused_under_the_currency_box(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    view = press(server, slack_api, LEAD, "currency")
    before, audited = stored(engine), audit_actions(engine)
    answer = post(server, view_submission_body(LEAD, view, money("GBP=1.2702", "EUR", "UTC")))
    errors = answer.json()["errors"]
    assert set(errors) == {"currency"}
    assert errors["currency"].startswith("EUR needs its rate")
    bad_zone = money("EUR=1.0841", "EUR", "Mars/Olympus_Mons")
    errors = post(server, view_submission_body(LEAD, view, bad_zone)).json()["errors"]
    assert set(errors) == {"timezone"} and "not a known IANA time zone" in errors["timezone"]
    # AICOST_TIMEZONE comes from the environment: an emptied box could not remove it.
    errors = post(server, view_submission_body(LEAD, view, money(None, "USD", ""))).json()
    assert set(errors["errors"]) == {"timezone"}
    assert "unset AICOST_TIMEZONE there" in errors["errors"]["timezone"]
    time.sleep(0.3)
    assert stored(engine) == before and audit_actions(engine) == audited


def test_a_currency_with_its_rate_is_stored_and_the_next_status_is_in_it(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    assert "€" not in status_text(server, slack_api)
    view = press(server, slack_api, LEAD, "currency")
    audited = audit_actions(engine)
    body = view_submission_body(LEAD, view, money("EUR=1.0841, GBP=1.2702", "eur", "UTC"))
    assert post(server, body).json() == {"response_action": "clear"}
    wait_until(lambda: stored(engine).get("AICOST_CURRENCY") == "EUR", "stored, as a code")
    assert stored(engine)["AICOST_FX_RATES"] == "EUR=1.0841, GBP=1.2702"
    assert "AICOST_TIMEZONE" not in stored(engine)  # unchanged: still the environment's
    assert sorted(audit_actions(engine)[len(audited) :]) == [
        (f"slack:{LEAD}", "config.set", "AICOST_CURRENCY"),
        (f"slack:{LEAD}", "config.set", "AICOST_FX_RATES"),
    ]
    text = status_text(server, slack_api)
    assert "€" in text and "Amounts in EUR, converted from US dollars at $1.0841" in text

    # Back to dollars: the emptied currency box removes the stored EUR (the rates may stay).
    view = press(server, slack_api, LEAD, "currency")
    back = view_submission_body(LEAD, view, money("EUR=1.0841, GBP=1.2702", "", "UTC"))
    assert post(server, back).json() == {"response_action": "clear"}
    wait_until(lambda: "AICOST_CURRENCY" not in stored(engine), "the currency removed")
    assert "€" not in status_text(server, slack_api)
