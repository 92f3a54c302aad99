"""The team modal (views.open): a new team, or one team's budget, alert channel and projects.

A pure function from the team (or None) and the projects nobody owns to a modal view; each
box's block id is the one `bot.core.team_form` reads, so a problem comes back under its box.
The team being edited rides in `private_metadata`: its name is not a box there, so a rename
can never orphan its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.team_form import BUDGET, CHANNEL, DELETE, KEEP, NAME, PROJECTS, REMOVE, TEAM_CALLBACK
from ..core.teams import ProjectKey, Team
from .limits import MAX_SECTION_TEXT, clip
from .modal_parts import channel_box, input_block, modal, plain, text_box
from .mrkdwn import escape

__all__ = ["team_modal"]

MAX_UNASSIGNED_SHOWN = 20


def _project_lines(projects: Sequence[ProjectKey]) -> str:
    return "\n".join(f"{provider} {project}" for provider, project in projects)


def _unassigned(projects: Sequence[ProjectKey]) -> dict[str, Any]:
    if not projects:
        text = "Every project with spend this month belongs to a team."
    else:
        shown = ", ".join(f"`{escape(p)} {escape(q)}`" for p, q in projects[:MAX_UNASSIGNED_SHOWN])
        more = len(projects) - MAX_UNASSIGNED_SHOWN
        text = f"*Unassigned, with spend this month:* {shown}" + (
            f" and {more} more (`aicost team list`)" if more > 0 else ""
        )
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}


def _delete_choice() -> dict[str, Any]:
    keep = {"text": plain("Keep the team", 75), "value": KEEP}
    remove = {"text": plain("Delete it: its projects become unassigned", 75), "value": REMOVE}
    return input_block(
        DELETE,
        "Delete",
        {"type": "radio_buttons", "options": [keep, remove], "initial_option": keep},
    )


def team_modal(
    team: Team | None, *, unassigned: Sequence[ProjectKey] = (), new_name: str = ""
) -> dict[str, Any]:
    """The form for `team` (None: a new one, named `new_name` to start with), with the projects
    nobody owns as a reminder."""
    blocks: list[dict[str, Any]] = []
    if team is None:
        blocks.append(
            input_block(
                NAME,
                "Team name",
                text_box(new_name, "e.g. Search"),
                hint="Up to 64 letters, digits and spaces; it cannot be changed later.",
                optional=False,
            )
        )
    else:
        intro = f"*Team {escape(team.name)}*"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": intro}})
    budget = "" if team is None or team.budget_usd is None else f"{team.budget_usd:f}"
    blocks.append(
        input_block(
            BUDGET,
            "Monthly budget (US dollars)",
            text_box(budget, "e.g. 5000"),
            hint="Alerts at 50, 80 and 100 % and on the month-end projection, to the team's "
            "channel. Empty: no budget of its own.",
        )
    )
    channel = channel_box("" if team is None else team.alert_channel or "")
    blocks.append(
        input_block(
            CHANNEL,
            "Alert channel",
            channel,
            hint="Empty: the team's alerts go to the org's alert channel.",
        )
    )
    blocks.append(
        input_block(
            PROJECTS,
            "Projects it owns",
            text_box(
                _project_lines(team.projects if team else ()),
                "openai proj_abc123\nanthropic wrkspc_01",
                multiline=True,
            ),
            hint="One a line: provider and project id, as `aicost why` shows them ('default' "
            "for a default project). Left out: unassigned. Owned by another team: moves here.",
        )
    )
    blocks.append(_unassigned(unassigned))
    if team is not None:
        blocks.append(_delete_choice())
    view = modal(TEAM_CALLBACK, "New team" if team is None else "Team", blocks)
    return {**view, "private_metadata": "" if team is None else team.name}
