"""Every sentence aicost says to people in Slack outside a rendered answer, in one place.

Rendered answers (status, forecast, break-even, alerts, digest) are built in `bot/render/` from
their results; what is here is the rest: usage lines, refusals, confirmations of a change and
apologies. One place, so the voice stays the same (every refusal says that nothing changed)
and a wording fix is one edit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .core.money import format_usd

__all__ = [
    "ADMINS_ONLY",
    "AUDIT_USAGE",
    "BREAKEVEN_USAGE",
    "FAILED",
    "HOURS_USAGE",
    "LOCKED",
    "NOTHING_CHANGED",
    "NOTHING_LOGGED",
    "REVENUE_USAGE",
    "SETTINGS_NOT_SAVED",
    "SETTINGS_REFUSED",
    "SETTINGS_USAGE",
    "SNOOZE_REFUSED",
    "SUBCOMMANDS",
    "UNKNOWN_ALERT",
    "WHY_USAGE",
    "hours_logged",
    "revenue_set",
    "usage_text",
]

# The /aicost subcommands and what each answers, for `help` and for a word we do not know.
SUBCOMMANDS = {
    "status": "month-to-date AI spend, last month, projection, growth against revenue",
    "forecast": "this month's landing range and the next 12 months",
    "why [week | month | YYYY-MM]": "what moved spend against the period before: the top "
    "drivers by provider, project and model, new and gone spenders",
    "breakeven [--monthly-spend USD] [--provider NAME] [--profile NAME | --compare] "
    "[--set key=value]": ("when would running open-weight models ourselves pay off?"),
    "revenue set YYYY-MM AMOUNT": "record a month's revenue (aicost admins only)",
    "revenue show": "the monthly revenue stored (aicost admins only)",
    "log-hours HOURS [note]": "log time spent operating local inference (aicost admins only)",
    "settings [budget | alerts | currency | revenue | breakeven]": "change the budget, alert "
    "and digest channels, digest cadence, alert rules, currencies and time zone, a month's "
    "revenue or the break-even assumptions (aicost admins only)",
    "audit": "the latest 15 changes to aicost and who made them",
    "help": "this message",
}

BREAKEVEN_USAGE = (
    "*Usage:* `/aicost breakeven [--monthly-spend USD] [--provider NAME] "
    "[--profile NAME | --compare] [--set key=value ...]`"
)
REVENUE_USAGE = (
    "*Usage:* `/aicost revenue set YYYY-MM AMOUNT` (e.g. `/aicost revenue set 2026-10 125000`)"
    " or `/aicost revenue show`"
)
HOURS_USAGE = (
    "*Usage:* `/aicost log-hours HOURS [note]` (e.g. `/aicost log-hours 1.5 vLLM upgrade`)"
)
WHY_USAGE = (
    "*Usage:* `/aicost why [week | month | YYYY-MM]` (week: the last 7 complete days against "
    "the 7 before; month: this month so far against the same days of last month)"
)
SETTINGS_USAGE = (
    "*Usage:* `/aicost settings [budget | alerts | currency | revenue | breakeven | team "
    "[NAME]]` (opens the form; budget: the budget, alert and digest channels and digest "
    "cadence; alerts: the spike, staleness and spend-share thresholds; currency: exchange rates, "
    "display currency and time zone; team: a team's budget, alert channel and projects, a new "
    "team without NAME)"
)
AUDIT_USAGE = "*Usage:* `/aicost audit` (the latest changes and who made them)"

NOTHING_CHANGED = "Nothing was changed."
NOTHING_LOGGED = "Nothing was logged."
ADMINS_ONLY = (
    "Only aicost admins can {what} (their Slack user ids are listed in AICOST_ADMINS). "
    + NOTHING_CHANGED
)
SNOOZE_REFUSED = (
    ADMINS_ONLY.format(what="snooze alerts")
    + " Anyone may press Acknowledge to say they are on it."
)
SETTINGS_REFUSED = ADMINS_ONLY.format(what="change settings")
SETTINGS_NOT_SAVED = (
    "The {what} you saved in the aicost form did not reach the database ({why}). Nothing was "
    "changed; please try again."
)
# Refused by the database's own check after the form had closed (another admin got there first).
FORM_REFUSED = "The {what} you saved in the aicost form was not saved: {why}. " + NOTHING_CHANGED
UNKNOWN_ALERT = "That alert is no longer in the ledger; nothing was changed."
FAILED = (
    "Sorry, I couldn't work that out just now ({kind}). Nothing was changed; try again in a "
    "minute, and check the aicost logs if it persists."
)
LOCKED = (
    "The database is busy with another write (a sync, most likely) and nothing was changed. "
    "Try again in a minute."
)


def usage_text(unknown: str | None = None) -> str:
    """The /aicost usage, led by the word we did not understand (clipped), if any."""
    lines = []
    if unknown:
        lines.append(f"I don't know `{unknown[:40]}`.")
    lines.append("*Usage:* `/aicost <command>`")
    lines += [f"• `/aicost {name}`: {what}" for name, what in SUBCOMMANDS.items()]
    return "\n".join(lines)


def revenue_set(month: date, amount: Decimal) -> str:
    return f"Revenue for {month:%Y-%m} set to {format_usd(amount)}."


def hours_logged(hours: Decimal) -> str:
    return (
        f"Logged {hours} h of operations. "
        "`/aicost breakeven` now uses your measured weekly average."
    )
