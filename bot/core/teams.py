"""Teams as plain values: who owns which provider project, a team's budget and alert channel,
and the rules for what people may type as a team, a project or a channel.

A team owns projects: OpenAI projects, Anthropic and OpenRouter workspaces, Azure resources,
Google Cloud projects, a FOCUS file's sub-accounts; a project is named as `aicost why` shows it
(the provider's id, or "default" for the default project or workspace and for a source that
bills the whole account, such as AWS Bedrock). One owner per project; a project nobody owns is
"unassigned", and its spend is shown as such, never dropped. Stored by `bot/db/teams.py`,
attributed by `bot/core/team_spend.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..errors import AicostError
from .user_input import RevenueInputError, parse_amount

__all__ = [
    "DEFAULT_PROJECT",
    "UNASSIGNED",
    "ProjectKey",
    "Team",
    "TeamInputError",
    "TeamTaken",
    "parse_budget",
    "parse_channel",
    "parse_project",
    "parse_provider",
    "parse_team_name",
    "shown_project",
]

UNASSIGNED = "unassigned"  # the spend of projects no team owns; not a team name
DEFAULT_PROJECT = "default"  # a cost line's "" project: the default project or workspace

ProjectKey = tuple[str, str]  # (provider, project as shown)

_TEAM = re.compile(r"\w[\w .&'-]{0,63}")
_PROVIDER = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
_CHANNEL = re.compile(r"[CG][A-Z0-9]{2,63}")
MAX_PROJECT = 191


class TeamInputError(AicostError, ValueError):
    """A team, project, budget or channel that cannot be stored; the message says why."""


class TeamTaken(TeamInputError):
    """A new team was asked for under a name (in any case) that a team has already: the Home's
    "New team" form, whose words these are, under its name box or in the message after it."""

    def __init__(self, existing: str) -> None:
        super().__init__(
            f"there is a team {existing} already: pick it under “Edit a team” to change it"
        )
        self.existing = existing


@dataclass(frozen=True, slots=True)
class Team:
    name: str
    budget_usd: Decimal | None  # a month, in US dollars; None: no budget of its own
    alert_channel: str | None  # None: its alerts go to AICOST_ALERT_CHANNEL
    projects: tuple[ProjectKey, ...]  # sorted
    updated_by: str  # slack:U123 or cli
    updated_at: datetime


def shown_project(project: str) -> str:
    """A cost line's project as people see it and map it: "" is the default project."""
    return project or DEFAULT_PROJECT


def parse_team_name(text: str) -> str:
    """A team name: up to 64 letters, digits, spaces and - _ . & ', starting with a letter or
    digit; not "unassigned", which names the spend nobody owns."""
    name = " ".join(text.split())
    if not _TEAM.fullmatch(name):
        raise TeamInputError(
            f"{text!r} is not a team name: up to 64 letters, digits, spaces and - _ . & ', "
            "starting with a letter or digit"
        )
    if name.casefold() == UNASSIGNED:
        raise TeamInputError(f"{UNASSIGNED!r} is not a team: it is the spend no team owns")
    return name


def parse_provider(text: str) -> str:
    """A provider as aicost names it: openai, anthropic, aws-bedrock, google-cloud, ..."""
    name = text.strip().lower()
    if not _PROVIDER.fullmatch(name):
        raise TeamInputError(f"{text!r} is not a provider name like openai or aws-bedrock")
    return name


def parse_project(text: str) -> str:
    """A project, workspace or account id as `aicost why` shows it ("default" for the default
    one); any printable text up to 191 characters."""
    project = text.strip()
    if not project or len(project) > MAX_PROJECT or not project.isprintable():
        raise TeamInputError(
            f"{text[:80]!r} is not a project id: 1 to {MAX_PROJECT} printable characters "
            f"({DEFAULT_PROJECT!r} for the default project or workspace)"
        )
    return project


def parse_channel(text: str) -> str:
    """A Slack channel id (C0123ABC, or G... for an older private channel), not its #name."""
    channel = text.strip()
    if not _CHANNEL.fullmatch(channel):
        raise TeamInputError(
            f"{text[:80]!r} is not a Slack channel id like C0123ABCD (its name will not do: "
            "the id is under the channel's details, at the bottom)"
        )
    return channel


def parse_budget(text: str) -> Decimal:
    """A monthly budget in US dollars as typed ('5000', '$5,000.00'); more than $0."""
    try:
        amount = parse_amount(text)
    except RevenueInputError as exc:
        raise TeamInputError(str(exc)) from None
    if amount <= 0:
        raise TeamInputError(f"{text!r}: a budget must be more than $0")
    return amount
