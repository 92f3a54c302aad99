"""`aicost team set|assign|unassign|delete|list`: which team owns which provider project, and
each team's budget and alert channel. Changes are audited as made by `cli`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from ..core.clock import utc_now
from ..core.money import format_usd
from ..core.teams import (
    parse_budget,
    parse_channel,
    parse_project,
    parse_provider,
    parse_team_name,
)
from .common import CommandError

if TYPE_CHECKING:
    from ..db.teams import TeamStore
    from ..settings import Settings

__all__ = ["add_commands"]

NONE = "none"  # `--budget none`, `--alert-channel none`: remove it
T = TypeVar("T")


def add_commands(commands: Any) -> None:
    team = commands.add_parser("team", help="teams: who owns which project, budgets, channels")
    actions = team.add_subparsers(dest="team_command", required=True, metavar="ACTION")
    set_ = actions.add_parser("set", help="create a team or change its budget or alert channel")
    set_.add_argument("name")
    set_.add_argument(
        "--budget", metavar="USD", help="monthly budget in dollars; 'none' removes it"
    )
    set_.add_argument(
        "--alert-channel",
        metavar="C123",
        help="channel id for its alerts (default AICOST_ALERT_CHANNEL); 'none' removes it",
    )
    set_.set_defaults(handler=cmd_set)
    assign = actions.add_parser("assign", help="give a provider project to a team")
    assign.add_argument("name")
    assign.add_argument("provider", help="openai, anthropic, aws-bedrock, gcp-vertex, ...")
    assign.add_argument("project", help="the project id as `aicost why` shows it, or default")
    assign.set_defaults(handler=cmd_assign)
    unassign = actions.add_parser("unassign", help="a project belongs to no team any more")
    unassign.add_argument("provider")
    unassign.add_argument("project")
    unassign.set_defaults(handler=cmd_unassign)
    delete = actions.add_parser("delete", help="remove a team; its projects become unassigned")
    delete.add_argument("name")
    delete.set_defaults(handler=cmd_delete)
    list_ = actions.add_parser(
        "list", help="teams, budgets, projects, and unassigned projects with spend this month"
    )
    list_.add_argument("--json", action="store_true", help="print one JSON object")
    list_.set_defaults(handler=cmd_list)


def _or_none(text: str, parse: Callable[[str], T]) -> T | None:
    return None if text.strip().lower() == NONE else parse(text)


def _store(settings: Settings) -> TeamStore:
    from ..db.teams import TeamStore
    from ..runtime.store import open_store

    return TeamStore(open_store(settings).engine)


def cmd_set(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.audit import CLI_ACTOR
    from ..db.teams import UNCHANGED

    name = parse_team_name(args.name)
    budget: Decimal | None | Any = UNCHANGED
    channel: str | None | Any = UNCHANGED
    if args.budget is not None:
        budget = _or_none(args.budget, parse_budget)
    if args.alert_channel is not None:
        channel = _or_none(args.alert_channel, parse_channel)
    team = _store(settings).set_team(
        name, budget_usd=budget, alert_channel=channel, actor=CLI_ACTOR, at=utc_now()
    )
    budget_text = (
        "no budget" if team.budget_usd is None else f"budget {format_usd(team.budget_usd)}"
    )
    where = team.alert_channel or "the alert channel (AICOST_ALERT_CHANNEL)"
    count = len(team.projects)
    print(
        f"team {team.name}: {budget_text}, alerts to {where}, "
        f"{count} project{'s' if count != 1 else ''}"
    )
    return 0


def cmd_assign(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.audit import CLI_ACTOR
    from ..db.project_spend import project_seen
    from ..db.teams import TeamStore
    from ..runtime.store import open_store

    name = parse_team_name(args.name)
    provider, project = parse_provider(args.provider), parse_project(args.project)
    spend = open_store(settings)
    done = TeamStore(spend.engine).assign(provider, project, name, actor=CLI_ACTOR, at=utc_now())
    if not done.changed:
        print(f"{provider} project {project} already belongs to team {done.after}")
    else:
        moved = f" (was team {done.before})" if done.before else " (was unassigned)"
        print(f"{provider} project {project} now belongs to team {done.after}{moved}")
    if not project_seen(spend, provider, project):
        print(
            f"note: no synced spend of {provider} project {project} yet; if that is a typo, "
            "`aicost team list` and `aicost why month` show the ids in use"
        )
    return 0


def cmd_unassign(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.audit import CLI_ACTOR

    provider, project = parse_provider(args.provider), parse_project(args.project)
    done = _store(settings).unassign(provider, project, actor=CLI_ACTOR, at=utc_now())
    if done.before is None:
        print(f"{provider} project {project} belonged to no team; nothing changed")
    else:
        print(f"{provider} project {project} is unassigned now (was team {done.before})")
    return 0


def cmd_delete(settings: Settings, args: argparse.Namespace) -> int:
    from ..db.audit import CLI_ACTOR

    name = parse_team_name(args.name)
    gone = _store(settings).delete_team(name, actor=CLI_ACTOR, at=utc_now())
    if gone is None:
        raise CommandError(f"no team {name!r}; nothing changed (aicost team list shows them)")
    count = len(gone.projects)
    print(
        f"team {gone.name} deleted; its {count} project{'s' if count != 1 else ''} now unassigned"
    )
    return 0


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    from ..render.team_render import team_list_text
    from ..runtime.store import open_store
    from ..services.status import team_status

    now = utc_now()
    report = team_status(open_store(settings), settings, now=now, by_team=True)
    assert report.teams is not None  # by_team=True: always attributed
    if args.json:
        print(json.dumps({"as_of": now.isoformat(), **report.teams.as_dict()}, indent=2))
        return 0
    print(team_list_text(report.teams, as_of=now, timezone=settings.timezone))
    return 0
