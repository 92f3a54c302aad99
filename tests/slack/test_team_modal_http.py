"""The team modal end to end, over HTTP with the real `aicost serve` on the demo's data: the
Home's "New team" button opens the form with the projects nobody owns, a submission is checked
in the ack (errors under the box), refused for anyone not in AICOST_ADMINS, and when valid is
stored once and shown: the next `status` splits the month by team, the Home offers the team in
its picker, and `/aicost audit` says who did it. Slack is the loopback stand-in."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.core.clock import utc_now
from bot.core.team_form import NEW_TEAM_ACTION, TEAM_ACTION, TEAM_CALLBACK
from bot.db.audit import CLI_ACTOR
from bot.db.teams import TeamStore
from tests.fakes.slack_api import FakeSlackAPI, block_texts
from tests.slack.serve_harness import (
    ServeProcess,
    ask,
    block_actions_body,
    demo_env,
    view_submission_body,
)
from tests.slack.settings_harness import audit_actions, post, wait_until

LEAD, VIEWER = "U0LEAD001", "U0VIEWER1"
HOME = {"container": {"type": "view", "view_id": "V0AICOST001"}, "view": {"id": "V0AICOST001"}}


@pytest.fixture(scope="module")
def app_env(workdir: Path, slack_api: FakeSlackAPI) -> dict[str, str]:
    return demo_env(workdir, slack_api, AICOST_TIMEZONE="UTC", AICOST_ADMINS=LEAD)


def open_form(
    serve: ServeProcess, slack_api: FakeSlackAPI, user: str, action: dict[str, Any]
) -> dict[str, Any]:
    before = len(slack_api.opened_modals())
    post(serve, block_actions_body(user, action, **HOME))
    opened = slack_api.opened_modals()
    assert len(opened) == before + 1, slack_api.requests_to("/views.open")
    return opened[-1]["view"]


def test_a_lead_sets_up_a_team_from_the_home_and_status_splits_the_month(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    view = open_form(server, slack_api, LEAD, {"action_id": NEW_TEAM_ACTION})
    assert view["callback_id"] == TEAM_CALLBACK and view["title"]["text"] == "New team"
    # The demo's projects all spent this month and nobody owns them yet: the form lists them.
    projects = block_texts(view["blocks"]).split("Unassigned, with spend this month:")[1]
    owned = [p for p in projects.split("`")[1::2]][:2]
    assert len(owned) == 2, projects

    bad = {"team_name": {"value": ""}, "team_budget": {"value": "lots"}}
    answer = post(server, view_submission_body(LEAD, view, bad)).json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"team_name", "team_budget"}
    assert TeamStore(engine).teams() == []

    before = audit_actions(engine)
    values = {
        "team_name": {"value": "Search"},
        "team_budget": {"value": "$1,000"},
        "team_channel": {"type": "conversations_select", "selected_conversation": "C0SEARCH1"},
        "team_projects": {"value": "\n".join(owned)},
    }
    body = view_submission_body(LEAD, view, values)
    assert post(server, body).json() == {"response_action": "clear"}
    wait_until(lambda: TeamStore(engine).team("Search") is not None, "the team stored")
    team = TeamStore(engine).team("Search")
    assert team is not None and team.alert_channel == "C0SEARCH1"
    assert [f"{p} {q}" for p, q in team.projects] == sorted(owned)
    changes = audit_actions(engine)[len(before) :]
    assert [a for _, a, _ in changes] == ["team.set", "team.assign", "team.assign"]
    assert all(actor == f"slack:{LEAD}" for actor, _, _ in changes)

    # A retry of the same submission changes nothing.
    assert post(server, body).json() == {"response_action": "clear"}
    wait_until(
        lambda: "team: a repeat of a submission" in server.stderr_path.read_text(),
        "the replay turned away",
    )
    assert audit_actions(engine)[len(before) :] == changes

    # "New team" under a team's name, in any case, is refused under the name: submitted as
    # it is, it would have replaced Search's budget and given away its projects.
    again = open_form(server, slack_api, LEAD, {"action_id": NEW_TEAM_ACTION})
    clash = view_submission_body(LEAD, again, {"team_name": {"value": "search"}})
    answer = post(server, clash).json()
    assert answer["response_action"] == "errors"
    assert "There is a team Search already" in answer["errors"]["team_name"]
    assert TeamStore(engine).team("Search") == team
    assert audit_actions(engine)[len(before) :] == changes

    status = block_texts(ask(server, slack_api, "status", user_id=VIEWER).answer()["blocks"])
    assert "Search" in status and "unassigned" in status
    # The admin's Home is redrawn with the team in its picker, which opens its form.
    wait_until(lambda: slack_api.home_view(LEAD) is not None, "the Home redrawn")
    picker = [
        e
        for b in slack_api.home_view(LEAD)["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("action_id") == TEAM_ACTION
    ]
    assert [o["value"] for o in picker[0]["options"]] == ["Search"]
    chosen = {"action_id": TEAM_ACTION, "type": "static_select"}
    edit = open_form(server, slack_api, LEAD, {**chosen, "selected_option": {"value": "Search"}})
    assert edit["private_metadata"] == "Search" and edit["title"]["text"] == "Team"
    # The projects it now owns are no longer offered as unassigned.
    left = block_texts(edit["blocks"]).split("Unassigned, with spend this month:")[-1]
    assert not any(f"`{p}`" in left for p in owned)
    before_slash = len(slack_api.opened_modals())
    assert ask(server, slack_api, "settings team Search", user_id=LEAD).ack_text == ""
    assert slack_api.opened_modals()[before_slash]["view"]["private_metadata"] == "Search"
    audit = block_texts(ask(server, slack_api, "audit", user_id=VIEWER).answer()["blocks"])
    assert "assigned" in audit and "Search" in audit


def test_someone_not_an_admin_cannot_open_or_submit_the_team_form(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    refused = open_form(server, slack_api, VIEWER, {"action_id": NEW_TEAM_ACTION})
    assert "submit" not in refused
    assert "Only aicost admins can change settings" in block_texts(refused["blocks"])
    lead_view = open_form(server, slack_api, LEAD, {"action_id": NEW_TEAM_ACTION})
    forged = view_submission_body(VIEWER, lead_view, {"team_name": {"value": "Rogue"}})
    answer = post(server, forged).json()
    assert answer["response_action"] == "errors" and "team_name" in answer["errors"]
    assert TeamStore(engine).team("Rogue") is None
    slash = ask(server, slack_api, "settings team Rogue", user_id=VIEWER)
    assert slash.ack_text.startswith("Only aicost admins can change settings")


def test_a_new_team_that_another_admin_made_first_is_refused_by_message(
    server: ServeProcess, slack_api: FakeSlackAPI, engine: sa.Engine
) -> None:
    # The form's check runs in the ack, and another admin's "Platform" is not committed yet:
    # the ack is "clear". The write behind it waits for that team, finds it, and refuses.
    view = open_form(server, slack_api, LEAD, {"action_id": NEW_TEAM_ACTION})
    values = {"team_name": {"value": "platform"}, "team_budget": {"value": "$5,000"}}
    told = len(slack_api.messages(LEAD))
    with engine.begin() as connection:
        TeamStore(connection).set_team("Platform", actor=CLI_ACTOR, at=utc_now())
        answer = post(server, view_submission_body(LEAD, view, values)).json()
        assert answer == {"response_action": "clear"}
        time.sleep(0.5)  # an ordering: the write behind the ack reaches the team table first
    wait_until(lambda: len(slack_api.messages(LEAD)) > told, "the admin told")
    text = slack_api.messages(LEAD)[-1]["text"]
    assert "The team you saved in the aicost form was not saved" in text
    assert "there is a team Platform already" in text and "Nothing was changed" in text
    team = TeamStore(engine).team("platform")
    assert team is not None and team.name == "Platform" and team.budget_usd is None
