"""The team store on SQLite and PostgreSQL: teams, one owner per project, and every change
audited in its own transaction (a change and its entry commit together, or neither)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bot.core.teams import (
    TeamInputError,
    parse_budget,
    parse_channel,
    parse_project,
    parse_provider,
    parse_team_name,
)
from bot.db.audit import CLI_ACTOR, AuditLog
from bot.db.engine import connect
from bot.db.teams import (
    TEAM_ASSIGN,
    TEAM_DELETE,
    TEAM_SET,
    TEAM_UNASSIGN,
    UNCHANGED,
    TeamStore,
)

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
NAIVE = datetime(2026, 11, 20, 12)  # refused by every UTC column: makes a write fail mid-way


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = connect(database_url)
    yield db
    db.dispose()


def actions(engine: sa.Engine) -> list[tuple[str, str, str]]:
    """The audit log, oldest first: (action, target, detail)."""
    return [(e.action, e.target, e.detail) for e in reversed(AuditLog(engine).latest(50))]


def test_a_team_is_created_changed_and_listed_with_its_projects(engine: sa.Engine) -> None:
    store = TeamStore(engine)
    assert not store.exist()
    team = store.set_team("ml", budget_usd=Decimal("5000"), actor=CLI_ACTOR, at=NOW)
    assert (team.name, team.budget_usd, team.alert_channel) == ("ml", Decimal("5000"), None)
    store.set_team("ml", alert_channel="C0ML", actor="slack:U1", at=NOW)  # budget kept
    store.set_team("search", actor=CLI_ACTOR, at=NOW)
    store.assign("openai", "proj_b", "ml", actor=CLI_ACTOR, at=NOW)
    store.assign("anthropic", "default", "ml", actor=CLI_ACTOR, at=NOW)

    ml, search = store.teams()
    assert store.exist()
    assert (ml.name, ml.budget_usd, ml.alert_channel) == ("ml", Decimal("5000"), "C0ML")
    assert ml.projects == (("anthropic", "default"), ("openai", "proj_b"))
    assert ml.updated_by == "slack:U1" and ml.updated_at == NOW
    assert (search.budget_usd, search.alert_channel, search.projects) == (None, None, ())

    store.set_team("ml", budget_usd=None, alert_channel=UNCHANGED, actor=CLI_ACTOR, at=NOW)
    assert store.team("ml").budget_usd is None  # type: ignore[union-attr]
    assert store.team("ml").alert_channel == "C0ML"  # type: ignore[union-attr]
    assert actions(engine) == [
        (TEAM_SET, "ml", "created team ml: budget $5,000.00, alerts to the alert channel"),
        (TEAM_SET, "ml", "changed team ml: alerts to the alert channel -> C0ML"),
        (TEAM_SET, "search", "created team search: budget none, alerts to the alert channel"),
        (TEAM_ASSIGN, "openai/proj_b", "assigned openai project proj_b to team ml"),
        (TEAM_ASSIGN, "anthropic/default", "assigned anthropic project default to team ml"),
        (TEAM_SET, "ml", "changed team ml: budget $5,000.00 -> none"),
    ]


def test_one_owner_per_project_and_a_move_says_from_whom(engine: sa.Engine) -> None:
    store = TeamStore(engine)
    for name in ("ml", "search"):
        store.set_team(name, actor=CLI_ACTOR, at=NOW)
    first = store.assign("openai", "proj_a", "ml", actor=CLI_ACTOR, at=NOW)
    again = store.assign("openai", "proj_a", "ml", actor=CLI_ACTOR, at=NOW)
    moved = store.assign("openai", "proj_a", "search", actor=CLI_ACTOR, at=NOW)
    assert (first.before, first.after, first.changed) == (None, "ml", True)
    assert not again.changed  # nothing written
    assert (moved.before, moved.after) == ("ml", "search")
    assert [t.projects for t in store.teams()] == [(), (("openai", "proj_a"),)]
    assert [a for a, *_ in actions(engine)].count(TEAM_ASSIGN) == 2
    assert actions(engine)[-1][2] == "assigned openai project proj_a to team search (from ml)"


def test_assigning_to_a_team_that_does_not_exist_is_refused(engine: sa.Engine) -> None:
    with pytest.raises(TeamInputError, match="no team 'ml'"):
        TeamStore(engine).assign("openai", "proj_a", "ml", actor=CLI_ACTOR, at=NOW)
    assert actions(engine) == []


def test_unassigning_frees_the_project_once(engine: sa.Engine) -> None:
    store = TeamStore(engine)
    store.set_team("ml", actor=CLI_ACTOR, at=NOW)
    store.assign("gcp-vertex", "my-project", "ml", actor=CLI_ACTOR, at=NOW)
    done = store.unassign("gcp-vertex", "my-project", actor=CLI_ACTOR, at=NOW)
    assert (done.before, done.after) == ("ml", None)
    assert not store.unassign("gcp-vertex", "my-project", actor=CLI_ACTOR, at=NOW).changed
    assert store.team("ml").projects == ()  # type: ignore[union-attr]
    assert [a for a, *_ in actions(engine)] == [TEAM_SET, TEAM_ASSIGN, TEAM_UNASSIGN]
    assert actions(engine)[-1][2] == "unassigned gcp-vertex project my-project (was team ml)"


def test_deleting_a_team_leaves_its_projects_unassigned(engine: sa.Engine) -> None:
    store = TeamStore(engine)
    store.set_team("ml", budget_usd=Decimal(100), actor=CLI_ACTOR, at=NOW)
    store.set_team("search", actor=CLI_ACTOR, at=NOW)
    store.assign("openai", "proj_a", "ml", actor=CLI_ACTOR, at=NOW)
    store.assign("openai", "proj_b", "ml", actor=CLI_ACTOR, at=NOW)
    store.assign("openai", "proj_c", "search", actor=CLI_ACTOR, at=NOW)
    gone = store.delete_team("ml", actor=CLI_ACTOR, at=NOW)
    assert gone is not None and gone.projects == (("openai", "proj_a"), ("openai", "proj_b"))
    assert [t.name for t in store.teams()] == ["search"]
    assert store.team("search").projects == (("openai", "proj_c"),)  # type: ignore[union-attr]
    assert store.delete_team("ml", actor=CLI_ACTOR, at=NOW) is None
    assert actions(engine)[-1] == (
        TEAM_DELETE,
        "ml",
        "deleted team ml; its 2 projects now unassigned",
    )
    # The project can be given to someone else at once: no row of the old team is left.
    store.assign("openai", "proj_a", "search", actor=CLI_ACTOR, at=NOW)


def test_a_name_typed_in_another_case_is_the_same_team(engine: sa.Engine) -> None:
    """ "platform" typed later is the team created as "Platform": never a second team that
    would split its spend; it keeps the spelling it was created with."""
    store = TeamStore(engine)
    store.set_team("Platform", actor=CLI_ACTOR, at=NOW)
    changed = store.set_team("platform", budget_usd=Decimal(900), actor=CLI_ACTOR, at=NOW)
    assert (changed.name, changed.budget_usd) == ("Platform", Decimal(900))
    moved = store.assign("openai", "proj_a", "PLATFORM", actor=CLI_ACTOR, at=NOW)
    assert moved.after == "Platform"
    assert [(t.name, t.projects) for t in store.teams()] == [("Platform", (("openai", "proj_a"),))]
    assert store.team("pLatForm") == store.teams()[0]
    gone = store.delete_team("platform", actor=CLI_ACTOR, at=NOW)
    assert gone is not None and gone.name == "Platform" and not store.exist()
    assert [target for _, target, _ in actions(engine)] == [
        "Platform",
        "Platform",
        "openai/proj_a",
        "Platform",
    ]


def test_a_change_whose_audit_fails_is_not_made(engine: sa.Engine) -> None:
    """The entry is written in the change's transaction: a failing write undoes both."""
    store = TeamStore(engine)
    store.set_team("ml", actor=CLI_ACTOR, at=NOW)
    with pytest.raises(Exception):  # noqa: B017, PT011 - any database error will do
        store.assign("openai", "proj_a", "ml", actor=CLI_ACTOR, at=NAIVE)
    with pytest.raises(Exception):  # noqa: B017, PT011
        store.delete_team("ml", actor=CLI_ACTOR, at=NAIVE)
    assert store.team("ml") is not None
    assert store.team("ml").projects == ()  # type: ignore[union-attr]
    assert [a for a, *_ in actions(engine)] == [TEAM_SET]


def test_a_request_from_slack_is_keyed_in_the_audit_log(engine: sa.Engine) -> None:
    store = TeamStore(engine)
    store.set_team("ml", actor="slack:U1", at=NOW, request="slack:trigger-1")
    entry = AuditLog(engine).by_request("slack:trigger-1")
    assert entry is not None and entry.action == TEAM_SET and entry.actor == "slack:U1"


@pytest.mark.calendar_free
@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [
        (parse_team_name, "  ML  platform ", "ML platform"),
        (parse_team_name, "R&D", "R&D"),
        (parse_provider, "OpenAI", "openai"),
        (parse_provider, "aws-bedrock", "aws-bedrock"),
        (parse_project, " proj_abc ", "proj_abc"),
        (parse_channel, "C0123ABCD", "C0123ABCD"),
        (parse_budget, "$5,000.50", Decimal("5000.50")),
    ],
)
def test_what_people_type_is_read(parse: object, text: str, expected: object) -> None:
    assert parse(text) == expected  # type: ignore[operator]


@pytest.mark.calendar_free
@pytest.mark.parametrize(
    ("parse", "text", "says"),
    [
        (parse_team_name, "unassigned", "the spend no team owns"),
        (parse_team_name, "Unassigned", "the spend no team owns"),
        (parse_team_name, "ml:ops", "not a team name"),
        (parse_team_name, "", "not a team name"),
        (parse_team_name, "x" * 65, "not a team name"),
        (parse_provider, "open ai", "not a provider name"),
        (parse_project, "", "not a project id"),
        (parse_project, "a\nb", "not a project id"),
        (parse_channel, "#ml-alerts", "not a Slack channel id"),
        (parse_budget, "0", "more than $0"),
        (parse_budget, "lots", "not an amount"),
    ],
)
def test_what_cannot_be_stored_is_refused(parse: object, text: str, says: str) -> None:
    with pytest.raises(TeamInputError, match=says.replace("$", r"\$")):
        parse(text)  # type: ignore[operator]
