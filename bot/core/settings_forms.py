"""The settings modals as plain data: which box holds which setting, what a submission asks to
change, and where each problem is shown. No Slack here: the edge reads the submitted values
out of Slack's payload and hands them in as {block id: text}, and gets {block id: message}
back for `response_action: errors`.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .breakeven.assumptions import AssumptionError, parse_pairs, resolve
from .user_input import RevenueInputError, parse_amount, parse_month

__all__ = [
    "ALERT_RULES_FORM",
    "BREAKEVEN_FORM",
    "BUDGET_FORM",
    "CURRENCY_FORM",
    "REVENUE_AMOUNT",
    "REVENUE_CALLBACK",
    "REVENUE_MONTH",
    "SETTINGS_FORMS",
    "SettingShown",
    "SettingsForm",
    "assumptions_problem",
    "kept_in_environment",
    "revenue_input",
]

MAX_ERROR_TEXT = 150  # an inline error is a line under the box; keep it one


@dataclass(frozen=True, slots=True)
class SettingsForm:
    """A modal that sets settings: its callback id, and {block id: setting} for its boxes."""

    callback_id: str
    fields: Mapping[str, str]

    @property
    def first_block(self) -> str:
        return next(iter(self.fields))

    def changes(self, submitted: Mapping[str, str | None]) -> dict[str, str | None]:
        """{setting: new value}; a box left empty asks for the stored value to go (None), so
        the environment's (or the default) is in force again."""
        changes: dict[str, str | None] = {}
        for block, name in self.fields.items():
            text = (submitted.get(block) or "").strip()
            changes[name] = text or None
        return changes

    def errors(self, problems: Mapping[str, str]) -> dict[str, str]:
        """{block id: message} for Slack; a problem with a setting not in this form (one it
        conflicts with) is shown under the first box, naming that setting."""
        blocks = {name: block for block, name in self.fields.items()}
        shown: dict[str, str] = {}
        for name, message in problems.items():
            block = blocks.get(name)
            text = message if block is not None else f"{name}: {message}"
            block = block or self.first_block
            if block not in shown:
                shown[block] = _clip(text)
        return shown


BUDGET_FORM = SettingsForm(
    "aicost_settings_budget",
    {
        "budget": "AICOST_MONTHLY_BUDGET_USD",
        "alert_channel": "AICOST_ALERT_CHANNEL",
        "digest_channel": "AICOST_DIGEST_CHANNEL",
        "digest_cadence": "AICOST_DIGEST_CADENCE",
        "digest_schedule": "AICOST_DIGEST_SCHEDULE",
    },
)
BREAKEVEN_FORM = SettingsForm(
    "aicost_settings_breakeven",
    {"profile": "AICOST_BREAKEVEN_PROFILE", "assumptions": "AICOST_BREAKEVEN"},
)
ALERT_RULES_FORM = SettingsForm(
    "aicost_settings_alerts",
    {
        "spike_factor": "AICOST_SPIKE_FACTOR",
        "spike_floor": "AICOST_SPIKE_FLOOR_USD",
        "stale_after": "AICOST_STALE_AFTER_HOURS",
        "max_spend_share": "AICOST_MAX_SPEND_SHARE",
    },
)
# The rates come first: a display currency is checked against them (a problem with the pair is
# the currency's, and lands under its box).
CURRENCY_FORM = SettingsForm(
    "aicost_settings_currency",
    {"fx_rates": "AICOST_FX_RATES", "currency": "AICOST_CURRENCY", "timezone": "AICOST_TIMEZONE"},
)
SETTINGS_FORMS = {
    form.callback_id: form
    for form in (BUDGET_FORM, ALERT_RULES_FORM, CURRENCY_FORM, BREAKEVEN_FORM)
}

REVENUE_CALLBACK = "aicost_settings_revenue"
REVENUE_MONTH, REVENUE_AMOUNT = "month", "amount"


@dataclass(frozen=True, slots=True)
class SettingShown:
    """A setting as the Home shows it: its value in force and where that came from."""

    name: str
    value: str
    source: str  # environment, .env, default, slack (U123, 2026-12-07) or cli


def kept_in_environment(
    changes: Mapping[str, str | None], from_environment: Set[str]
) -> dict[str, str]:
    """{setting: why not} for each box emptied whose value comes from the environment (or
    `.env`) with nothing stored over it: an emptied box only removes a value set in Slack, so
    it would change nothing, and the admin is told so rather than shown a closed form."""
    return {
        name: (
            "Set where aicost runs, not in Slack, so emptying the box cannot remove it: type "
            f"another value, or unset {name} there."
        )
        for name, value in changes.items()
        if value is None and name in from_environment
    }


def assumptions_problem(profile: str | None, text: str | None) -> str:
    """What is wrong with these break-even assumptions under the chosen profile, or ''.
    (The setting's own check resolves them under the default profile; the modal names one.)"""
    if not profile:
        return ""
    try:
        resolve(profile, ("AICOST_BREAKEVEN", parse_pairs(text or "")))
    except AssumptionError as exc:
        return str(exc)
    return ""


def revenue_input(
    submitted: Mapping[str, str | None],
) -> tuple[date, Decimal] | dict[str, str]:
    """The month and amount of the revenue modal, or {block id: what is wrong}."""
    errors: dict[str, str] = {}
    month = amount = None
    try:
        month = parse_month(submitted.get(REVENUE_MONTH) or "")
    except RevenueInputError as exc:
        errors[REVENUE_MONTH] = _clip(str(exc))
    try:
        amount = parse_amount(submitted.get(REVENUE_AMOUNT) or "")
    except RevenueInputError as exc:
        errors[REVENUE_AMOUNT] = _clip(str(exc))
    if errors or month is None or amount is None:
        return errors
    return month, amount


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ERROR_TEXT else text[: MAX_ERROR_TEXT - 1] + "…"
