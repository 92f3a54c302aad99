"""The settings modals (views.open): "Budget & alerts", "Alert rules", "Currency & time",
"Revenue" and "Break-even".

Pure functions from the values in force to a modal view; each box's block id is the one
`bot.core.settings_forms` maps to its setting, so a problem comes back under its own box.
Every box starts with the value in force; a box emptied removes the value stored from Slack
(the environment's, or the default, is in force again).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ..core.settings_forms import (
    ALERT_RULES_FORM,
    BREAKEVEN_FORM,
    BUDGET_FORM,
    CURRENCY_FORM,
    REVENUE_AMOUNT,
    REVENUE_CALLBACK,
    REVENUE_MONTH,
    SettingsForm,
)
from .limits import MAX_SECTION_TEXT, clip
from .modal_parts import (
    MAX_MODAL_TITLE,
    VALUE_ACTION,
    channel_box,
    input_block,
    modal,
    plain,
    text_box,
)

__all__ = [
    "MAX_MODAL_TITLE",
    "SETTINGS_VALUE_ACTION",
    "alert_rules_modal",
    "breakeven_modal",
    "budget_modal",
    "currency_modal",
    "refused_modal",
    "revenue_modal",
]

SETTINGS_VALUE_ACTION = VALUE_ACTION  # every box's element: the block id says which setting
EMPTIED = "Leave empty to go back to the environment's value."


def budget_modal(current: Mapping[str, str]) -> dict[str, Any]:
    """The org's monthly budget, where alerts and digests go, and how often digests come."""
    fields = {name: block for block, name in BUDGET_FORM.fields.items()}
    value = current.get
    blocks = [
        input_block(
            fields["AICOST_MONTHLY_BUDGET_USD"],
            "Monthly budget (US dollars)",
            text_box(value("AICOST_MONTHLY_BUDGET_USD", ""), "e.g. 20000"),
            hint="Alerts at 50, 80 and 100 %, and when the month is projected to exceed it. "
            + EMPTIED,
        ),
        input_block(
            fields["AICOST_ALERT_CHANNEL"],
            "Alert channel",
            channel_box(value("AICOST_ALERT_CHANNEL", "")),
            hint="Invite @aicost to a private channel first.",
        ),
        input_block(
            fields["AICOST_DIGEST_CHANNEL"],
            "Digest channel",
            channel_box(value("AICOST_DIGEST_CHANNEL", "")),
            hint="The chart upload needs @aicost in the channel.",
        ),
        input_block(
            fields["AICOST_DIGEST_CADENCE"],
            "Digest cadence",
            text_box(value("AICOST_DIGEST_CADENCE", ""), "weekly, daily or monthly"),
            hint="weekly, daily or monthly; or per channel: C123=daily, C456=monthly. " + EMPTIED,
        ),
        input_block(
            fields["AICOST_DIGEST_SCHEDULE"],
            "Digest day and time",
            text_box(value("AICOST_DIGEST_SCHEDULE", ""), "mon 09:00"),
            hint="In aicost's time zone; the daily and monthly digests go out at this time too.",
        ),
    ]
    return modal(BUDGET_FORM.callback_id, "Budget & alerts", blocks)


# A text box: the setting it sets, its label, placeholder and hint.
TextBox = tuple[str, str, str, str]


def _text_boxes(
    form: SettingsForm, current: Mapping[str, str], boxes: Sequence[TextBox]
) -> list[dict[str, Any]]:
    """One text box per setting, each under the block id `form` maps to it, starting with the
    value in force."""
    fields = {name: block for block, name in form.fields.items()}
    return [
        input_block(fields[name], label, text_box(current.get(name, ""), placeholder), hint=hint)
        for name, label, placeholder, hint in boxes
    ]


ALERT_RULES_BOXES: tuple[TextBox, ...] = (
    (
        "AICOST_SPIKE_FACTOR",
        "Spike factor",
        "e.g. 3",
        "A day is a spike above this multiple of the median of the 28 days before it (more "
        "than 1). " + EMPTIED,
    ),
    (
        "AICOST_SPIKE_FLOOR_USD",
        "Spike floor (US dollars)",
        "e.g. 50",
        "And only when it is at least this many dollars above that median. " + EMPTIED,
    ),
    (
        "AICOST_STALE_AFTER_HOURS",
        "Stale after (hours)",
        "e.g. 24",
        "A source with no successful sync for longer is stale: one alert, one recovery (up to "
        "720). " + EMPTIED,
    ),
    (
        "AICOST_MAX_SPEND_SHARE",
        "Max AI spend share of revenue",
        "e.g. 0.05 for 5 %",
        "A fraction of revenue (0 to 1); `status` flags months above it. Leave empty for no "
        "ceiling; one set in aicost's environment can be changed here, not removed.",
    ),
)
CURRENCY_BOXES: tuple[TextBox, ...] = (
    (
        "AICOST_FX_RATES",
        "Exchange rates (AICOST_FX_RATES)",
        "EUR=1.0841, GBP=1.2702",
        "US dollars per unit of each other currency, for bills in it and for the display "
        "currency. " + EMPTIED,
    ),
    (
        "AICOST_CURRENCY",
        "Display currency",
        "USD, EUR, GBP ...",
        "The currency people read figures in; any but USD needs its rate above. " + EMPTIED,
    ),
    (
        "AICOST_TIMEZONE",
        "Time zone",
        "e.g. Europe/Berlin",
        "IANA time zone for today, months and the digest's time. " + EMPTIED,
    ),
)


def alert_rules_modal(current: Mapping[str, str]) -> dict[str, Any]:
    """The alert rules' thresholds: what makes a day a spike, a source stale, and the ceiling
    on AI spend as a share of revenue."""
    blocks = _text_boxes(ALERT_RULES_FORM, current, ALERT_RULES_BOXES)
    return modal(ALERT_RULES_FORM.callback_id, "Alert rules", blocks)


def currency_modal(current: Mapping[str, str]) -> dict[str, Any]:
    """The exchange rates, the currency people read figures in, and the time zone of days and
    months."""
    blocks = _text_boxes(CURRENCY_FORM, current, CURRENCY_BOXES)
    return modal(CURRENCY_FORM.callback_id, "Currency & time", blocks)


def breakeven_modal(current: Mapping[str, str], profiles: Sequence[str]) -> dict[str, Any]:
    """The break-even profile and the assumption overrides every break-even answer uses."""
    fields = {name: block for block, name in BREAKEVEN_FORM.fields.items()}
    options = [
        {"text": {"type": "plain_text", "text": clip(p, 75)}, "value": p} for p in profiles[:100]
    ]
    select: dict[str, Any] = {"type": "static_select", "options": options}
    chosen = current.get("AICOST_BREAKEVEN_PROFILE", "")
    initial = [o for o in options if o["value"] == chosen]
    if initial:
        select["initial_option"] = initial[0]
    blocks = [
        input_block(fields["AICOST_BREAKEVEN_PROFILE"], "Profile", select),
        input_block(
            fields["AICOST_BREAKEVEN"],
            "Assumptions",
            text_box(
                current.get("AICOST_BREAKEVEN", ""),
                "gpu_hour_usd=1.80 team_engineers=6",
                multiline=True,
            ),
            hint="key=value pairs, as `aicost breakeven --set` takes them. " + EMPTIED,
        ),
    ]
    return modal(BREAKEVEN_FORM.callback_id, "Break-even", blocks)


def revenue_modal(this_month: date) -> dict[str, Any]:
    """A month's revenue, as `/aicost revenue set` takes it."""
    blocks = [
        input_block(
            REVENUE_MONTH,
            "Month",
            text_box(f"{this_month:%Y-%m}", "YYYY-MM"),
            optional=False,
        ),
        input_block(
            REVENUE_AMOUNT,
            "Revenue (US dollars)",
            text_box("", "e.g. 125000"),
            hint="Replaces what is stored for that month.",
            optional=False,
        ),
    ]
    return modal(REVENUE_CALLBACK, "Revenue for a month", blocks)


def refused_modal(text: str) -> dict[str, Any]:
    """A modal with nothing to submit, saying why (someone not in AICOST_ADMINS)."""
    return {
        "type": "modal",
        "title": plain("aicost settings"),
        "close": plain("Close"),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}
        ],
    }
