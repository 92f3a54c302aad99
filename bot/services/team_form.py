"""A team saved from the team modal: every change it asks for, in one transaction, once.

The modal says what the team should be (budget, channel, the projects it owns); this works
out the assigns and unassigns that make it so and writes them with the team through one
connection, so a crash half-way leaves the team as it was, never half-moved. The first audit
entry carries the Slack submission's key (unique in the audit log): a retried or replayed
submission finds it and changes nothing, and of two copies racing one rolls back whole.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from ..core.team_form import TeamForm
from ..db.audit import AuditLog, apply_once
from ..db.teams import TeamStore

__all__ = ["save_team"]


def save_team(
    engine: Engine, form: TeamForm, *, actor: str, at: datetime, request: str | None
) -> str | None:
    """Apply the form; a sentence for the log of what was done, or None if submission
    `request` was applied already (or, deleting, there was no such team)."""

    def change() -> str | None:
        with engine.begin() as connection:
            return _apply(TeamStore(connection), form, actor=actor, at=at, request=request)

    return apply_once(AuditLog(engine), request, change)[1]


def _apply(
    store: TeamStore, form: TeamForm, *, actor: str, at: datetime, request: str | None
) -> str | None:
    if form.delete:
        gone = store.delete_team(form.name, actor=actor, at=at, request=request)
        return None if gone is None else f"team {form.name} deleted"
    before = store.team(form.name)
    owned = set(before.projects) if before is not None else set()
    store.set_team(
        form.name,
        budget_usd=form.budget_usd,
        alert_channel=form.alert_channel,
        actor=actor,
        at=at,
        request=request,
        new=form.new,
    )
    wanted = set(form.projects)
    for provider, project in sorted(owned - wanted):
        store.unassign(provider, project, actor=actor, at=at)
    for provider, project in form.projects:
        if (provider, project) not in owned:
            store.assign(provider, project, form.name, actor=actor, at=at)
    added, removed = len(wanted - owned), len(owned - wanted)
    return f"team {form.name} saved ({added} project(s) assigned, {removed} unassigned)"
