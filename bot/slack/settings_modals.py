"""The settings modals: a Home button (or `/aicost settings`) opens one with `views.open`, and
its `view_submission` is checked and answered within Slack's 3 seconds.

Only aicost admins (AICOST_ADMINS) may open or submit them: anyone else is shown why, in a
modal with nothing to submit (or under the first box), and nothing is stored. A submission is
checked in the ack: a bad value comes back under its box (`response_action: errors`) and
nothing is stored; a good one closes the modal (`response_action: clear`) and is stored and
audited behind the ack, in one transaction, keyed by the view's id and hash so that a retry
or a replay of the same submission is applied once. The admin's Home is then drawn again with
the values now in force; if the write fails, the admin is told in a direct message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ..core.breakeven import PROFILES
from ..core.clock import month_start, utc_now
from ..core.settings_forms import (
    BREAKEVEN_FORM,
    REVENUE_CALLBACK,
    REVENUE_MONTH,
    SETTINGS_FORMS,
    SettingsForm,
    SettingShown,
    assumptions_problem,
    kept_in_environment,
    revenue_input,
)
from ..core.teams import TeamInputError
from ..db.audit import request_key
from ..messages import FORM_REFUSED, SETTINGS_NOT_SAVED, SETTINGS_REFUSED
from ..render.settings_modals import (
    alert_rules_modal,
    breakeven_modal,
    budget_modal,
    currency_modal,
    refused_modal,
    revenue_modal,
)
from ..settings import Settings, SettingsError
from ..settings_report import DOTENV, ENVIRONMENT
from .deferred import Defer, run_now
from .home import HomeServices, publish_home

__all__ = [
    "MODALS",
    "OPEN_ACTIONS",
    "open_settings_modal",
    "register_settings",
    "submitted_values",
]

Handler = Callable[..., None]

# Which modal each Home button opens (the button's action id), and `/aicost settings WHICH`.
MODALS = ("budget", "alerts", "currency", "revenue", "breakeven")
OPEN_ACTIONS = {f"aicost_open_settings_{which}": which for which in MODALS}


class SettingsServices(HomeServices, Protocol):
    @property
    def settings(self) -> Settings: ...

    def is_admin(self, user_id: str) -> bool: ...

    def settings_values(self) -> dict[str, str]: ...

    def settings_shown(self) -> tuple[SettingShown, ...]: ...

    def check_settings(self, changes: Mapping[str, str | None]) -> dict[str, str]: ...

    def change_settings(
        self, changes: Mapping[str, str | None], *, user_id: str, request: str | None
    ) -> dict[str, str | None] | None: ...

    def set_revenue(
        self, month: date, amount: Decimal, *, user_id: str, request: str | None = None
    ) -> bool: ...


def _modal(services: SettingsServices, which: str, user_id: str) -> dict[str, Any]:
    if not services.is_admin(user_id):
        return refused_modal(SETTINGS_REFUSED)
    if which == "revenue":
        return revenue_modal(month_start(utc_now().astimezone(services.settings.tz).date()))
    if which == "breakeven":
        return breakeven_modal(services.settings_values(), list(PROFILES))
    if which == "alerts":
        return alert_rules_modal(services.settings_values())
    if which == "currency":
        return currency_modal(services.settings_values())
    return budget_modal(services.settings_values())


def open_settings_modal(
    services: SettingsServices,
    client: WebClient,
    *,
    which: str,
    trigger_id: str,
    user_id: str,
    logger: logging.Logger,
) -> bool:
    """views.open the `which` modal (for a non-admin: why not). Called on the request thread,
    right after the ack: a trigger is good for 3 s only, so it must not queue behind answers."""
    try:
        client.views_open(trigger_id=trigger_id, view=_modal(services, which, user_id))
    except SlackApiError as exc:
        logger.warning("views.open (%s settings) failed: %s", which, exc.response.get("error"))
        return False
    return True


def make_open_handler(services: SettingsServices, which: str) -> Handler:
    def handle_open(
        ack: Ack, body: dict[str, Any], client: WebClient, logger: logging.Logger
    ) -> None:
        ack()
        user = str((body.get("user") or {}).get("id") or "")
        trigger = str(body.get("trigger_id") or "")
        open_settings_modal(
            services, client, which=which, trigger_id=trigger, user_id=user, logger=logger
        )

    return handle_open


def submitted_values(view: Mapping[str, Any]) -> dict[str, str | None]:
    """{block id: what was entered or picked} from a view_submission's state."""
    values: dict[str, str | None] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for element in (actions or {}).values():
            element = element or {}
            option = element.get("selected_option") or {}
            values[block_id] = (
                element.get("value")
                or element.get("selected_conversation")
                or element.get("selected_channel")
                or option.get("value")
            )
    return values


def view_request_key(view: Mapping[str, Any]) -> str | None:
    """One submission's key: Slack sends a retry of it with the same view id and hash."""
    view_id, view_hash = str(view.get("id") or ""), str(view.get("hash") or "")
    return request_key(f"view:{view_id}:{view_hash}") if view_id else None


def _tell(client: WebClient, user: str, text: str, logger: logging.Logger) -> None:
    try:
        client.chat_postMessage(channel=user, text=text)
    except SlackApiError as exc:
        logger.warning("could not tell %s the settings were not saved: %s", user, exc)


def _store_then_redraw(
    services: SettingsServices,
    client: WebClient,
    user: str,
    store: Callable[[], object],
    what: str,
    logger: logging.Logger,
) -> None:
    try:
        applied = store()
    except TeamInputError as exc:  # checked in the ack, then lost a race: not a failure
        logger.info("%s from the modal of %s refused: %s", what, user, exc)
        _tell(client, user, FORM_REFUSED.format(what=what, why=exc), logger)
        return
    except Exception as exc:  # noqa: BLE001 - the modal is closed: say so in a message
        logger.exception("%s from the modal of %s not saved", what, user)
        # A setting's own words (already checked for secrets), else only the kind of failure:
        # a database error's text is for the log, not for Slack.
        why = str(exc) if isinstance(exc, SettingsError) else type(exc).__name__
        _tell(client, user, SETTINGS_NOT_SAVED.format(what=what, why=why), logger)
        return
    if applied is None or applied is False:
        logger.info("%s: a repeat of a submission already applied; not applied again", what)
        return
    logger.info("%s saved from a modal by %s: %s", what, user, applied)
    publish_home(services, client, user, logger)


# What a submission's check gives: {block id: problem}, or the write to make behind the ack
# (given the admin and the submission's key).
Checked = dict[str, str] | Callable[[str, str | None], object]


def make_submit_handler(
    services: SettingsServices,
    check: Callable[[dict[str, str | None]], Checked],
    *,
    first_block: str,
    what: str,
    defer: Defer = run_now,
) -> Handler:
    """A view_submission handler: admins only, checked in the ack, written behind it."""

    def handle_submit(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        logger: logging.Logger,
    ) -> None:
        user = str((body.get("user") or {}).get("id") or "")
        if not services.is_admin(user):
            ack(response_action="errors", errors={first_block: SETTINGS_REFUSED})
            return
        checked = check(submitted_values(view))
        if isinstance(checked, dict):
            ack(response_action="errors", errors=checked)
            return
        ack(response_action="clear")
        key = view_request_key(view)
        write = checked
        defer(
            lambda: _store_then_redraw(
                services, client, user, lambda: write(user, key), what, logger
            )
        )

    return handle_submit


def settings_check(
    services: SettingsServices, form: SettingsForm
) -> Callable[[dict[str, str | None]], Checked]:
    """A settings form's boxes, checked as the environment's values would be."""

    def check(submitted: dict[str, str | None]) -> Checked:
        changes = form.changes(submitted)
        problems = services.check_settings(changes)
        if not problems and None in changes.values():  # where an emptied box's value is from
            shown = services.settings_shown()
            from_environment = {s.name for s in shown if s.source in (ENVIRONMENT, DOTENV)}
            problems = kept_in_environment(changes, from_environment)
        if form is BREAKEVEN_FORM and not problems:
            problem = assumptions_problem(
                changes["AICOST_BREAKEVEN_PROFILE"] or services.settings.breakeven_profile,
                changes["AICOST_BREAKEVEN"],
            )
            problems = {"AICOST_BREAKEVEN": problem} if problem else {}
        if problems:
            return form.errors(problems)
        return lambda user, key: services.change_settings(changes, user_id=user, request=key)

    return check


def revenue_check(services: SettingsServices) -> Callable[[dict[str, str | None]], Checked]:
    """The revenue form's month and amount, read as `/aicost revenue set` reads them."""

    def check(submitted: dict[str, str | None]) -> Checked:
        parsed = revenue_input(submitted)
        if isinstance(parsed, dict):
            return parsed
        month, amount = parsed
        return lambda user, key: services.set_revenue(month, amount, user_id=user, request=key)

    return check


def register_settings(app: App, *, services: Any, defer: Defer = run_now) -> None:
    """Wire the Home's settings buttons and the modals' submissions."""
    for action_id, which in OPEN_ACTIONS.items():
        app.action(action_id)(make_open_handler(services, which))
    for callback_id, form in SETTINGS_FORMS.items():
        handler = make_submit_handler(
            services,
            settings_check(services, form),
            first_block=form.first_block,
            what="settings",
            defer=defer,
        )
        app.view(callback_id)(handler)
    revenue = make_submit_handler(
        services, revenue_check(services), first_block=REVENUE_MONTH, what="revenue", defer=defer
    )
    app.view(REVENUE_CALLBACK)(revenue)
