"""The team modal: a Home button (or `/aicost settings team [NAME]`) opens it with
`views.open`; its `view_submission` is checked in the ack and saved behind it.

The same rules as the settings modals (`settings_modals.py`), whose submit handler this reuses:
admins only, bad input back under its box with nothing stored, a good one stored and audited
once per submission, the admin's Home drawn again afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ..core.team_form import (
    BUDGET,
    NAME,
    NEW_TEAM_ACTION,
    TEAM_ACTION,
    TEAM_CALLBACK,
    TeamForm,
    taken_name,
    team_form_input,
)
from ..core.teams import ProjectKey, Team
from ..messages import SETTINGS_REFUSED
from ..render.settings_modals import refused_modal
from ..render.team_modal import team_modal
from .deferred import Defer, run_now
from .settings_modals import (
    Checked,
    SettingsServices,
    make_submit_handler,
    view_request_key,
)

__all__ = ["open_team_modal", "register_team_modal"]


class TeamServices(SettingsServices, Protocol):
    def team(self, name: str) -> Team | None: ...

    def team_taken(self, name: str, *, request: str | None) -> str | None: ...

    def unassigned_projects(self) -> list[ProjectKey]: ...

    def save_team(self, form: TeamForm, *, user_id: str, request: str | None) -> str | None: ...


def open_team_modal(
    services: TeamServices,
    client: WebClient,
    *,
    name: str,
    trigger_id: str,
    user_id: str,
    logger: logging.Logger,
) -> bool:
    """views.open the form for team `name` ("" or unknown: a new team); a non-admin is shown
    why not. On the request thread, right after the ack: the trigger lasts 3 s."""
    if not services.is_admin(user_id):
        view = refused_modal(SETTINGS_REFUSED)
    else:
        team = services.team(name) if name else None
        view = team_modal(team, unassigned=services.unassigned_projects(), new_name=name)
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        logger.warning("views.open (team) failed: %s", exc.response.get("error"))
        return False
    return True


def _open_handler(services: TeamServices) -> Callable[..., None]:
    def handle_open(
        ack: Ack, body: dict[str, Any], client: WebClient, logger: logging.Logger
    ) -> None:
        ack()
        action = (body.get("actions") or [{}])[0]
        # "New team" is a button; the team picker sends the chosen option.
        picked = action.get("value") or (action.get("selected_option") or {}).get("value")
        open_team_modal(
            services,
            client,
            name=str(picked or ""),
            trigger_id=str(body.get("trigger_id") or ""),
            user_id=str((body.get("user") or {}).get("id") or ""),
            logger=logger,
        )

    return handle_open


def _submit_handler(services: TeamServices, defer: Defer) -> Callable[..., None]:
    def handle_submit(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        logger: logging.Logger,
    ) -> None:
        # The team the form was opened for rides in the view, not in a box.
        editing = str(view.get("private_metadata") or "") or None

        def check(submitted: dict[str, str | None]) -> Checked:
            form = team_form_input(submitted, editing=editing)
            if isinstance(form, dict):
                return form
            if editing is None:  # "New team": never overwrite a team's budget and projects
                taken = services.team_taken(form.name, request=view_request_key(view))
                if taken is not None:
                    return {NAME: taken_name(taken)}
            return lambda user, key: services.save_team(form, user_id=user, request=key)

        handler = make_submit_handler(
            services, check, first_block=BUDGET if editing else NAME, what="team", defer=defer
        )
        handler(ack=ack, body=body, view=view, client=client, logger=logger)

    return handle_submit


def register_team_modal(app: App, *, services: Any, defer: Defer = run_now) -> None:
    """Wire the Home's team buttons and the team modal's submissions."""
    opener = _open_handler(services)
    app.action(NEW_TEAM_ACTION)(opener)
    app.action(TEAM_ACTION)(opener)
    app.view(TEAM_CALLBACK)(_submit_handler(services, defer))
