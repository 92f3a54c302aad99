"""The team modal's plain half and its save: what a submission asks for, where each problem
is shown, and the whole change written once, in one transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from slack_sdk.models.views import View
from sqlalchemy import Engine, select

from bot.core.team_form import (
    BUDGET,
    CHANNEL,
    DELETE,
    NAME,
    PROJECTS,
    REMOVE,
    TeamForm,
    parse_projects,
    team_form_input,
)
from bot.core.teams import Team, TeamInputError
from bot.db.audit import CLI_ACTOR
from bot.db.engine import connect
from bot.db.models import AuditRow
from bot.db.teams import TeamStore
from bot.render.limits import MAX_VIEW_BLOCKS
from bot.render.team_modal import team_modal
from bot.services.team_form import save_team
from bot.slack.blocks import check_blocks
from tests.fakes.slack_api import block_texts

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    db = connect(database_url)
    try:
        yield db
    finally:
        db.dispose()


LEAD = "slack:U0LEAD001"


def test_projects_are_one_a_line_either_way_and_a_repeat_counts_once() -> None:
    text = "openai proj_abc\n\n anthropic/wrkspc_01 \nOpenAI proj_abc\naws-bedrock default"
    assert parse_projects(text) == (
        ("openai", "proj_abc"),
        ("anthropic", "wrkspc_01"),
        ("aws-bedrock", "default"),
    )
    with pytest.raises(TeamInputError, match="line 2: 'op\\*nai' is not a provider"):
        parse_projects("openai proj_abc\nop*nai x")
    with pytest.raises(TeamInputError, match="line 1"):
        parse_projects("openai")


def test_a_new_team_needs_a_name_and_each_problem_lands_under_its_box() -> None:
    assert team_form_input({}, editing=None) == {NAME: "A team needs a name."}
    bad = team_form_input(
        {NAME: "unassigned", BUDGET: "-5", CHANNEL: "#search", PROJECTS: "openai"},
        editing=None,
    )
    assert isinstance(bad, dict) and set(bad) == {NAME, BUDGET, CHANNEL, PROJECTS}
    assert "is not a team" in bad[NAME] and "not a Slack channel id" in bad[CHANNEL]
    assert all(len(message) <= 150 for message in bad.values())


def test_a_good_submission_reads_as_the_team_it_describes() -> None:
    form = team_form_input(
        {NAME: " Search  ", BUDGET: "$5,000", CHANNEL: "C0SEARCH1", PROJECTS: "openai p1"},
        editing=None,
    )
    assert form == TeamForm("Search", Decimal("5000"), "C0SEARCH1", (("openai", "p1"),), new=True)
    # Editing: the name comes from the form's metadata, never a box; empty boxes clear.
    edited = team_form_input({NAME: "Renamed", DELETE: REMOVE}, editing="Search")
    assert edited == TeamForm("Search", None, None, (), delete=True)


def test_the_modal_is_one_slack_takes_new_and_editing() -> None:
    team = Team("Search", Decimal("5000"), "C0SEARCH1", (("openai", "p1"),), "cli", NOW)
    unassigned = [("openai", f"proj_{n}") for n in range(30)]
    for modal in (team_modal(None), team_modal(team, unassigned=unassigned)):
        View(**modal).validate_json()
        assert check_blocks(modal["blocks"], max_blocks=MAX_VIEW_BLOCKS) == []
    edit = team_modal(team, unassigned=unassigned)
    boxes = {b["block_id"]: b["element"] for b in edit["blocks"] if b["type"] == "input"}
    assert NAME not in boxes and edit["private_metadata"] == "Search"
    assert boxes[BUDGET]["initial_value"] == "5000"
    assert boxes[CHANNEL]["initial_conversation"] == "C0SEARCH1"
    assert boxes[PROJECTS]["initial_value"] == "openai p1"
    assert boxes[DELETE]["initial_option"]["value"] == "keep"
    text = block_texts(edit["blocks"])
    assert "`openai proj_0`" in text and "and 10 more" in text
    assert NAME in {b.get("block_id") for b in team_modal(None)["blocks"]}


def _audit(engine: Engine) -> list[tuple[str, str, str | None]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditRow.action, AuditRow.target, AuditRow.request_key).order_by(AuditRow.id)
        )
        return [tuple(r) for r in rows]


def test_saving_a_team_moves_projects_in_one_change_applied_once(engine: Engine) -> None:
    store = TeamStore(engine)
    store.set_team("Ads", actor=CLI_ACTOR, at=NOW)
    store.assign("openai", "p2", "Ads", actor=CLI_ACTOR, at=NOW)
    store.set_team("Search", actor=CLI_ACTOR, at=NOW)
    store.assign("openai", "p0", "Search", actor=CLI_ACTOR, at=NOW)
    before = len(_audit(engine))

    form = TeamForm("Search", Decimal("5000"), "C0SEARCH1", (("openai", "p1"), ("openai", "p2")))
    done = save_team(engine, form, actor=LEAD, at=NOW, request="slack:view:V1:h1")
    assert done == "team Search saved (2 project(s) assigned, 1 unassigned)"
    search = store.team("Search")
    assert search is not None and search.projects == (("openai", "p1"), ("openai", "p2"))
    assert search.budget_usd == Decimal("5000") and search.alert_channel == "C0SEARCH1"
    assert store.team("Ads").projects == ()  # type: ignore[union-attr]
    changes = _audit(engine)[before:]
    assert [(a, t) for a, t, _ in changes] == [
        ("team.set", "Search"),
        ("team.unassign", "openai/p0"),
        ("team.assign", "openai/p1"),
        ("team.assign", "openai/p2"),
    ]
    assert changes[0][2] == "slack:view:V1:h1"

    # The same submission again (a Slack retry) changes nothing.
    assert save_team(engine, form, actor=LEAD, at=NOW, request="slack:view:V1:h1") is None
    assert _audit(engine)[before:] == changes

    gone = TeamForm("Search", None, None, (), delete=True)
    assert save_team(engine, gone, actor=LEAD, at=NOW, request="slack:view:V1:h2") == (
        "team Search deleted"
    )
    assert store.team("Search") is None and [t.name for t in store.teams()] == ["Ads"]


def test_a_failure_half_way_leaves_the_team_as_it_was(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TeamStore(engine)
    store.set_team("Search", budget_usd=Decimal("100"), actor=CLI_ACTOR, at=NOW)
    before = len(_audit(engine))
    # The process dies (here: an error) at the second assign: the team's new budget and the
    # first assign roll back with it, and the submission's key is not spent.
    assign, calls = TeamStore.assign, []

    def dying_assign(self: TeamStore, *args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("killed mid-save")
        return assign(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(TeamStore, "assign", dying_assign)
    form = TeamForm("Search", Decimal("900"), None, (("openai", "p1"), ("openai", "p2")))
    with pytest.raises(RuntimeError, match="killed mid-save"):
        save_team(engine, form, actor=LEAD, at=NOW, request="slack:view:V2:h1")
    team = store.team("Search")
    assert team is not None and team.budget_usd == Decimal("100") and team.projects == ()
    assert len(_audit(engine)) == before
    monkeypatch.undo()
    assert save_team(engine, form, actor=LEAD, at=NOW, request="slack:view:V2:h1") is not None
    assert store.team("Search").projects == (("openai", "p1"), ("openai", "p2"))  # type: ignore[union-attr]
