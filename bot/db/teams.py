"""Teams and who owns which provider project: the `teams` and `team_projects` tables.

Every change writes its audit entry in the same transaction (see `audit.py`), so the log never
shows a change that was rolled back. The API is what a terminal or a Slack modal needs:
`teams` to show, `set_team`, `delete_team`, `assign`, `unassign` to change. Input is checked by
the `parse_*` functions of `bot.core.teams` before it gets here; this module trusts it.

A team's name is matched whatever its case, as Slack matches channel names: "platform" typed
later is the team created as "Platform", never a second team splitting its spend, and it keeps
the spelling it was created with. Two people creating "Platform" and "platform" at the same
moment would each find no such team and insert their own, so a lookup that finds none locks the
table against other writers and looks again (see `_named`): the later one waits, then finds the
team the first one made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Final

from sqlalchemy import Connection, Engine, delete, select, text
from sqlalchemy.orm import Session

from ..core.money import format_dollars, from_nanos, to_nanos
from ..core.records import AuditEntry
from ..core.teams import ProjectKey, Team, TeamInputError, TeamTaken
from .audit import add_audit
from .models import TeamProjectRow, TeamRow

__all__ = [
    "TEAM_ASSIGN",
    "TEAM_DELETE",
    "TEAM_SET",
    "TEAM_UNASSIGN",
    "UNCHANGED",
    "Assignment",
    "TeamStore",
]

TEAM_SET, TEAM_DELETE = "team.set", "team.delete"
TEAM_ASSIGN, TEAM_UNASSIGN = "team.assign", "team.unassign"


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


UNCHANGED: Final = _Unchanged.UNCHANGED  # `set_team`: keep what the team has


@dataclass(frozen=True, slots=True)
class Assignment:
    """What an assign or unassign did: the project's owner before and after (None: nobody)."""

    provider: str
    project: str
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


class TeamStore:
    """The teams, each change in one transaction with its audit entry."""

    def __init__(self, engine: Engine | Connection) -> None:
        self.engine = engine

    def exist(self) -> bool:
        """Whether any team is set up: status and alerts do no team work otherwise."""
        with Session(self.engine) as session:
            return session.scalars(select(TeamRow.name).limit(1)).first() is not None

    def teams(self) -> list[Team]:
        """Every team by name, each with the projects it owns."""
        with Session(self.engine) as session:
            rows = list(session.scalars(select(TeamRow).order_by(TeamRow.name)))
            if not rows:  # the usual case without teams: status asks this on every answer
                return []
            owned: dict[str, list[ProjectKey]] = {}
            for p in session.scalars(
                select(TeamProjectRow).order_by(TeamProjectRow.provider, TeamProjectRow.project)
            ):
                owned.setdefault(p.team, []).append((p.provider, p.project))
        return [_team(row, owned.get(row.name, [])) for row in rows]

    def team(self, name: str) -> Team | None:
        key = name.casefold()
        return next((t for t in self.teams() if t.name.casefold() == key), None)

    def set_team(
        self,
        name: str,
        *,
        budget_usd: Decimal | None | _Unchanged = UNCHANGED,
        alert_channel: str | None | _Unchanged = UNCHANGED,
        actor: str,
        at: datetime,
        request: str | None = None,
        new: bool = False,
    ) -> Team:
        """Create the team or change it: a budget or channel given as None is removed, one left
        UNCHANGED stays as it was (a new team starts with neither).

        `new`: only create it; raises TeamTaken, writing nothing, if a team has the name in
        any case (the "New team" form, whose check in the ack can race another admin's)."""
        with Session(self.engine) as session, session.begin():
            row = _named(session, name)
            if new and row is not None:
                raise TeamTaken(row.name)
            created = row is None
            if row is None:
                row = TeamRow(name=name, budget_nanos=None, alert_channel=None)
                session.add(row)
            name = row.name
            before = (_budget(row), row.alert_channel)
            if budget_usd is not UNCHANGED:
                row.budget_nanos = None if budget_usd is None else to_nanos(budget_usd)
            if alert_channel is not UNCHANGED:
                row.alert_channel = alert_channel
            row.updated_by, row.updated_at = actor[:64], at
            detail = _set_detail(name, created, before, (_budget(row), row.alert_channel))
            add_audit(session, AuditEntry(at, actor, TEAM_SET, name, detail, request))
            session.flush()
            projects = session.scalars(
                select(TeamProjectRow).where(TeamProjectRow.team == name)
            ).all()
            return _team(row, sorted((p.provider, p.project) for p in projects))

    def delete_team(
        self, name: str, *, actor: str, at: datetime, request: str | None = None
    ) -> Team | None:
        """Remove the team; its projects become unassigned. None (nothing written) if there
        was no such team."""
        with Session(self.engine) as session, session.begin():
            row = _named(session, name)
            if row is None:
                return None
            name = row.name
            projects = session.scalars(
                select(TeamProjectRow).where(TeamProjectRow.team == name)
            ).all()
            gone = _team(row, sorted((p.provider, p.project) for p in projects))
            session.execute(delete(TeamProjectRow).where(TeamProjectRow.team == name))
            session.delete(row)
            count = len(gone.projects)
            freed = f"; its {count} project{'s' if count != 1 else ''} now unassigned"
            detail = f"deleted team {name}{freed if count else ''}"
            add_audit(session, AuditEntry(at, actor, TEAM_DELETE, name, detail, request))
            return gone

    def assign(
        self,
        provider: str,
        project: str,
        team: str,
        *,
        actor: str,
        at: datetime,
        request: str | None = None,
    ) -> Assignment:
        """Make `team` the owner of the project (taking it from its owner, if any).

        Raises TeamInputError for a team that does not exist. Already its owner: nothing is
        written."""
        with Session(self.engine) as session, session.begin():
            owner = _named(session, team)
            if owner is None:
                raise TeamInputError(f"no team {team!r}: create it first with `team set`")
            team = owner.name
            row = session.get(TeamProjectRow, (provider, project), with_for_update=True)
            before = None if row is None else row.team
            done = Assignment(provider, project, before, team)
            if not done.changed:
                return done
            if row is None:
                session.add(TeamProjectRow(provider=provider, project=project, team=team))
            else:
                row.team = team
            moved = f" (from {before})" if before else ""
            detail = f"assigned {provider} project {project} to team {team}{moved}"
            target = f"{provider}/{project}"
            add_audit(session, AuditEntry(at, actor, TEAM_ASSIGN, target, detail, request))
            return done

    def unassign(
        self,
        provider: str,
        project: str,
        *,
        actor: str,
        at: datetime,
        request: str | None = None,
    ) -> Assignment:
        """The project no longer belongs to any team; nothing is written if it did not."""
        with Session(self.engine) as session, session.begin():
            row = session.get(TeamProjectRow, (provider, project), with_for_update=True)
            if row is None:
                return Assignment(provider, project, None, None)
            before = row.team
            session.delete(row)
            detail = f"unassigned {provider} project {project} (was team {before})"
            target = f"{provider}/{project}"
            add_audit(session, AuditEntry(at, actor, TEAM_UNASSIGN, target, detail, request))
            return Assignment(provider, project, before, None)


def _named(session: Session, name: str) -> TeamRow | None:
    """The team called `name` in any case, locked for this transaction.

    When there is none, no other transaction may add or change a team until this one ends, so
    the caller can create it without another creating it too (under another case, where no
    key would collide). The first lookup runs without that lock: the usual call finds its team.
    """
    exact = session.get(TeamRow, name, with_for_update=True)
    if exact is not None:
        return exact
    _lock_teams(session)
    key = name.casefold()
    rows = session.scalars(select(TeamRow).with_for_update())  # a team count, not thousands
    return next((row for row in rows if row.name.casefold() == key), None)


def _lock_teams(session: Session) -> None:
    """Hold off every other writer of `teams` until this transaction ends; readers go on.

    PostgreSQL: a lock mode that conflicts with itself and with inserts, updates and deletes,
    never with plain reads. SQLite: its driver begins a transaction at the first write, and a
    write that changes nothing still takes the database's one write lock (a second writer
    waits out `busy_timeout`); the scan after it then sees every committed team.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE teams IN SHARE ROW EXCLUSIVE MODE"))
    else:
        session.execute(text("UPDATE teams SET name = name WHERE 0 = 1"))


def _budget(row: TeamRow) -> Decimal | None:
    return None if row.budget_nanos is None else from_nanos(row.budget_nanos)


def _team(row: TeamRow, projects: list[ProjectKey]) -> Team:
    return Team(
        name=row.name,
        budget_usd=_budget(row),
        alert_channel=row.alert_channel,
        projects=tuple(projects),
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def _set_detail(
    name: str,
    created: bool,
    before: tuple[Decimal | None, str | None],
    after: tuple[Decimal | None, str | None],
) -> str:
    """'created team ml: budget $5,000.00, alerts to C123' or 'changed team ml: budget
    $5,000.00 -> $8,000.00'."""

    def budget(value: Decimal | None) -> str:
        return "none" if value is None else format_dollars(value)

    def channel(value: str | None) -> str:
        return "the alert channel" if value is None else value

    if created:
        return f"created team {name}: budget {budget(after[0])}, alerts to {channel(after[1])}"
    changes = []
    if before[0] != after[0]:
        changes.append(f"budget {budget(before[0])} -> {budget(after[0])}")
    if before[1] != after[1]:
        changes.append(f"alerts to {channel(before[1])} -> {channel(after[1])}")
    return f"changed team {name}: " + (", ".join(changes) or "nothing")
