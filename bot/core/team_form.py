"""The team modal as plain data: which box holds what, and what a submission asks for.

A lead sets up a team in one form: its name (fixed once it exists), its own monthly budget and
alert channel (both optional: without them the team's spend counts against the org's budget
only, and its alerts go to the org's channel), and the provider projects it owns, one per line.
The projects listed are the team's after saving: a project left out is unassigned, one owned by
another team moves here. No Slack here: the edge hands in {block id: text} and gets a
`TeamForm` or {block id: what is wrong} back for `response_action: errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from .teams import (
    ProjectKey,
    TeamInputError,
    TeamTaken,
    parse_budget,
    parse_channel,
    parse_project,
    parse_provider,
    parse_team_name,
)

__all__ = [
    "BUDGET",
    "CHANNEL",
    "DELETE",
    "KEEP",
    "NAME",
    "NEW_TEAM_ACTION",
    "PROJECTS",
    "REMOVE",
    "TEAM_ACTION",
    "TEAM_CALLBACK",
    "TeamForm",
    "parse_projects",
    "taken_name",
    "team_form_input",
]

TEAM_CALLBACK = "aicost_team"
NEW_TEAM_ACTION = "aicost_open_team_new"  # the Home's "New team" button
TEAM_ACTION = "aicost_open_team"  # the Home's team picker; the option's value is the name
NAME, BUDGET, CHANNEL, PROJECTS, DELETE = (
    "team_name",
    "team_budget",
    "team_channel",
    "team_projects",
    "team_delete",
)
KEEP, REMOVE = "keep", "delete"  # the DELETE box's two choices
MAX_ERROR_TEXT = 150
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TeamForm:
    name: str
    budget_usd: Decimal | None  # None: no budget of its own
    alert_channel: str | None  # None: the org's alert channel
    projects: tuple[ProjectKey, ...]  # what the team owns once saved
    delete: bool = False
    new: bool = False  # the "New team" form: never overwrites a team that has the name


def parse_projects(text: str) -> tuple[ProjectKey, ...]:
    """One project a line, as `provider project` or `provider/project` ("openai proj_abc",
    "anthropic/wrkspc_01"); blank lines are skipped and a repeat counts once."""
    found: dict[ProjectKey, None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        head, _, tail = line.strip().partition("/")
        if not tail or " " in head:
            head, _, tail = line.strip().partition(" ")
        try:
            found[(parse_provider(head), parse_project(tail))] = None
        except TeamInputError as exc:
            raise TeamInputError(f"line {number}: {exc}") from None
    return tuple(found)


def team_form_input(
    submitted: Mapping[str, str | None], *, editing: str | None
) -> TeamForm | dict[str, str]:
    """The form's team, or {block id: what is wrong}. `editing`: the team the form was opened
    for (its name cannot change there), None for a new one."""
    errors: dict[str, str] = {}
    name = editing or _read(submitted, NAME, parse_team_name, errors)
    if name is None and NAME not in errors:
        errors[NAME] = "A team needs a name."
    budget = _read(submitted, BUDGET, parse_budget, errors)
    channel = _read(submitted, CHANNEL, parse_channel, errors)
    projects = _read(submitted, PROJECTS, parse_projects, errors) or ()
    delete = editing is not None and submitted.get(DELETE) == REMOVE
    if errors or name is None:
        return errors
    return TeamForm(name, budget, channel, projects, delete, new=editing is None)


def taken_name(existing: str) -> str:
    """Under the name box of a new team whose name (in any case) is a team's already."""
    said = str(TeamTaken(existing))
    return _clip(f"{said[0].upper()}{said[1:]}.")


def _read(
    submitted: Mapping[str, str | None],
    block: str,
    parse: Callable[[str], T],
    errors: dict[str, str],
) -> T | None:
    """The box's text parsed; None for an empty box, or (noted in `errors`) a bad one."""
    text = (submitted.get(block) or "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except TeamInputError as exc:
        errors[block] = _clip(str(exc))
        return None


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ERROR_TEXT else text[: MAX_ERROR_TEXT - 1] + "…"
