"""The settings modals and the Home's settings, drawn from plain values: within Slack's limits
(slack_sdk's own View and Block models), every box named for the setting it sets, and the
buttons only for admins. The forms' plain-core half: what a submission changes, and where each
problem is shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from slack_sdk.models.views import View

from bot.core.breakeven import PROFILES
from bot.core.settings_forms import (
    ALERT_RULES_FORM,
    BREAKEVEN_FORM,
    BUDGET_FORM,
    CURRENCY_FORM,
    SettingShown,
    assumptions_problem,
    kept_in_environment,
    revenue_input,
)
from bot.render.home_view import HOME_SETTINGS_BUTTONS, SETTINGS_ADMINS_ONLY, home_view
from bot.render.limits import MAX_VIEW_BLOCKS
from bot.render.settings_modals import (
    MAX_MODAL_TITLE,
    alert_rules_modal,
    breakeven_modal,
    budget_modal,
    currency_modal,
    refused_modal,
    revenue_modal,
)
from bot.slack.blocks import check_blocks
from bot.slack.settings_modals import OPEN_ACTIONS
from tests.fakes.slack_api import block_texts
from tests.slack.test_home_view import _report

CURRENT = {
    "AICOST_MONTHLY_BUDGET_USD": "20000",
    "AICOST_ALERT_CHANNEL": "C0ALERTS1",
    "AICOST_DIGEST_CHANNEL": "",
    "AICOST_DIGEST_CADENCE": "weekly",
    "AICOST_DIGEST_SCHEDULE": "mon 09:00",
    "AICOST_BREAKEVEN_PROFILE": "2xh100-rent-70b",
    "AICOST_BREAKEVEN": "gpu_hour_usd=1.80",
    "AICOST_SPIKE_FACTOR": "3",
    "AICOST_SPIKE_FLOOR_USD": "50",
    "AICOST_STALE_AFTER_HOURS": "24",
    "AICOST_MAX_SPEND_SHARE": "",
    "AICOST_FX_RATES": "EUR=1.0841, GBP=1.2702",
    "AICOST_CURRENCY": "EUR",
    "AICOST_TIMEZONE": "Europe/Berlin",
}
MODALS = [
    budget_modal(CURRENT),
    breakeven_modal(CURRENT, list(PROFILES)),
    revenue_modal(date(2026, 11, 1)),
    refused_modal("Only aicost admins can change settings."),
    alert_rules_modal(CURRENT),
    currency_modal(CURRENT),
]
# A value as long as a box takes: the modal must still be one Slack accepts.
LONG = {**CURRENT, "AICOST_FX_RATES": ", ".join(f"C{i:02d}=1.0" for i in range(99)) * 5}


@pytest.mark.parametrize(
    "modal",
    [*MODALS, currency_modal(LONG)],
    ids=["budget", "breakeven", "revenue", "refused", "alerts", "currency", "currency-long"],
)
def test_every_modal_is_one_slack_takes(modal: dict) -> None:
    View(**modal).validate_json()  # slack_sdk's own limits for a modal
    assert check_blocks(modal["blocks"], max_blocks=MAX_VIEW_BLOCKS) == []
    for key in ("title", "submit", "close"):
        assert len(modal.get(key, {}).get("text", "")) <= MAX_MODAL_TITLE


def test_each_box_is_named_for_its_setting_and_starts_with_the_value_in_force() -> None:
    forms = (BUDGET_FORM, BREAKEVEN_FORM, None, None, ALERT_RULES_FORM, CURRENCY_FORM)
    for modal, form in zip(MODALS, forms, strict=True):
        if form is None:
            continue
        assert modal["callback_id"] == form.callback_id
        assert [b["block_id"] for b in modal["blocks"]] == list(form.fields)
    boxes = {b["block_id"]: b["element"] for b in MODALS[0]["blocks"]}
    assert boxes["budget"]["initial_value"] == "20000"
    assert boxes["alert_channel"]["initial_conversation"] == "C0ALERTS1"
    assert "initial_conversation" not in boxes["digest_channel"]  # none set: an empty select
    assert MODALS[1]["blocks"][1]["element"]["initial_value"] == "gpu_hour_usd=1.80"
    assert "submit" not in MODALS[3]
    rules = {b["block_id"]: b for b in MODALS[4]["blocks"]}
    assert rules["spike_factor"]["element"]["initial_value"] == "3"
    assert "initial_value" not in rules["max_spend_share"]["element"]  # unset: an empty box
    assert "no ceiling" in rules["max_spend_share"]["hint"]["text"]
    money = {b["block_id"]: b["element"] for b in MODALS[5]["blocks"]}
    assert money["fx_rates"]["initial_value"] == "EUR=1.0841, GBP=1.2702"
    assert money["currency"]["initial_value"] == "EUR"
    assert money["timezone"]["initial_value"] == "Europe/Berlin"


def test_a_submission_changes_each_setting_and_an_empty_box_removes_it() -> None:
    submitted = {"budget": " 30000 ", "alert_channel": "C0NEW0001", "digest_channel": None}
    assert BUDGET_FORM.changes(submitted) == {
        "AICOST_MONTHLY_BUDGET_USD": "30000",
        "AICOST_ALERT_CHANNEL": "C0NEW0001",
        "AICOST_DIGEST_CHANNEL": None,
        "AICOST_DIGEST_CADENCE": None,
        "AICOST_DIGEST_SCHEDULE": None,
    }


def test_each_problem_is_shown_under_its_box_or_else_the_first() -> None:
    errors = BUDGET_FORM.errors(
        {
            "AICOST_DIGEST_SCHEDULE": "'x' is not a weekly time like 'mon 09:00'",
            "AICOST_CURRENCY": "EUR needs its rate " + "x" * 300,
        }
    )
    assert errors["digest_schedule"] == "'x' is not a weekly time like 'mon 09:00'"
    assert errors["budget"].startswith("AICOST_CURRENCY: EUR needs its rate")
    assert len(errors["budget"]) <= 150


def test_a_currency_without_its_rate_is_refused_under_the_currency_box() -> None:
    """The setting's own check names AICOST_CURRENCY for the pair; the form shows it under the
    currency, not the rates (which are fine by themselves)."""
    problem = "EUR needs its rate: set AICOST_FX_RATES=EUR=<US dollars per 1 EUR>"
    assert CURRENCY_FORM.errors({"AICOST_CURRENCY": problem}) == {"currency": problem}
    changes = CURRENCY_FORM.changes({"fx_rates": "GBP=1.27", "currency": " eur ", "timezone": ""})
    assert changes == {
        "AICOST_FX_RATES": "GBP=1.27",
        "AICOST_CURRENCY": "eur",
        "AICOST_TIMEZONE": None,
    }


def test_an_emptied_box_cannot_remove_a_value_set_in_the_environment() -> None:
    """An emptied box removes only a value stored from Slack: one that comes from the
    environment would stay in force, so the form says so instead of closing on nothing."""
    changes = {"AICOST_MAX_SPEND_SHARE": None, "AICOST_SPIKE_FACTOR": None}
    problems = kept_in_environment(changes, {"AICOST_MAX_SPEND_SHARE", "AICOST_TIMEZONE"})
    assert list(problems) == ["AICOST_MAX_SPEND_SHARE"]
    errors = ALERT_RULES_FORM.errors(problems)
    assert (
        list(errors) == ["max_spend_share"]
        and "unset AICOST_MAX_SPEND_SHARE" in errors["max_spend_share"]
    )
    assert len(errors["max_spend_share"]) <= 150
    assert kept_in_environment({"AICOST_MAX_SPEND_SHARE": "0.1"}, {"AICOST_MAX_SPEND_SHARE"}) == {}


def test_the_home_buttons_are_the_modals_the_app_opens() -> None:
    """The Home (render) cannot import the Slack edge: the two lists are kept in step here."""
    assert set(HOME_SETTINGS_BUTTONS) == set(OPEN_ACTIONS)


def test_assumptions_are_checked_under_the_profile_chosen() -> None:
    assert assumptions_problem("2xh100-rent-70b", "gpu_hour_usd=1.80") == ""
    assert "unknown assumption" in assumptions_problem("2xh100-rent-70b", "warp_drive=1")
    assert "is not key=value" in assumptions_problem("2xh100-rent-70b", "gpu_hour_usd")


def test_revenue_input_is_a_month_and_an_amount_or_what_is_wrong() -> None:
    assert revenue_input({"month": "2026-10", "amount": "$125,000"}) == (
        date(2026, 10, 1),
        Decimal(125000),
    )
    assert set(revenue_input({"month": "October", "amount": "-1"})) == {"month", "amount"}


def _settings() -> tuple[SettingShown, ...]:
    return (
        SettingShown("AICOST_MONTHLY_BUDGET_USD", "30000", "slack (U0LEAD001, 2026-11-17)"),
        SettingShown("AICOST_ALERT_CHANNEL", "C0ALERTS1", "environment"),
        SettingShown("AICOST_DIGEST_CHANNEL", "unset", "default"),
        SettingShown("AICOST_SPIKE_FACTOR", "3", "default"),
        SettingShown("AICOST_CURRENCY", "EUR", "slack (U0LEAD001, 2026-11-17)"),
    )


def test_the_home_lists_the_settings_with_their_sources_and_buttons_for_admins_only() -> None:
    from bot.core.home import HomeFacts

    facts = HomeFacts(_report(), (), None, "no data", settings=_settings(), can_change=True)
    admin = home_view(facts)
    shown = block_texts(admin["blocks"])
    assert "Monthly budget: $30,000.00 _(slack (U0LEAD001, 2026-11-17))_" in shown
    assert "Alert channel: <#C0ALERTS1> _(environment)_" in shown
    assert "Digest channel: none _(default)_" in shown
    assert "Spike factor: `3` _(default)_" in shown
    assert "Display currency: `EUR` _(slack (U0LEAD001, 2026-11-17))_" in shown
    buttons = [
        e["action_id"] for b in admin["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert set(HOME_SETTINGS_BUTTONS) <= set(buttons)
    assert check_blocks(admin["blocks"], max_blocks=MAX_VIEW_BLOCKS) == []

    viewer = home_view(HomeFacts(_report(), (), None, "no data", settings=_settings()))
    buttons = [
        e["action_id"] for b in viewer["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert not set(HOME_SETTINGS_BUTTONS) & set(buttons)
    assert SETTINGS_ADMINS_ONLY in block_texts(viewer["blocks"])
