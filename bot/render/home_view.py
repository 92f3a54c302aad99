"""The App Home tab: the month against budget and projection, each provider's share, how fresh
every figure is and which days are missing, the open alerts and where each stands, and the
break-even line with what would flip it.

A pure function of `HomeFacts`, like every renderer. Slack takes up to 100 blocks in a view;
the Home has a fixed handful plus one per open alert, capped, so it stays far below that.
With nothing synced it says so, and how to sync, instead of showing dashes as if they were
figures.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ..core.home import HomeAlert, HomeFacts
from ..core.money import format_usd
from ..core.settings_forms import SettingShown
from ..core.status import StatusReport
from ..core.team_form import NEW_TEAM_ACTION, TEAM_ACTION
from .alert_blocks import SEVERITY_EMOJI, snoozed_alerts
from .breakeven_summary import flips_line, summary_line
from .limits import (
    MAX_CONTEXT_ELEMENTS,
    MAX_FIELD_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    clip,
)
from .mrkdwn import escape
from .status_blocks import provider_lines
from .team_render import team_section_text
from .wording import (
    budget_basis,
    change_phrase,
    coverage_note,
    freshness_lines,
    incomplete_line,
    money_notes,
    projection_basis,
    stale_lines,
    usd_or_dash,
)

__all__ = [
    "HOME_REFRESH_ACTION",
    "HOME_SETTINGS_BUTTONS",
    "MAX_HOME_ALERTS",
    "NOTHING_SYNCED",
    "SETTINGS_ADMINS_ONLY",
    "alert_state",
    "home_view",
]

HOME_REFRESH_ACTION = "aicost_home_refresh"
# The settings buttons: action id (bot/slack/settings_modals.py opens each) and label.
HOME_SETTINGS_BUTTONS = {
    "aicost_open_settings_budget": "Budget & alerts",
    "aicost_open_settings_alerts": "Alert rules",
    "aicost_open_settings_currency": "Currency & time",
    "aicost_open_settings_revenue": "Revenue",
    "aicost_open_settings_breakeven": "Break-even",
}
MAX_SELECT_OPTIONS = 100  # a static_select's options
SETTINGS_ADMINS_ONLY = "Only aicost admins (`AICOST_ADMINS`) can change these, here or in Slack."
# The settings the Home lists (all of them: `aicost config show`), with their labels.
HOME_SETTINGS = {
    "AICOST_MONTHLY_BUDGET_USD": "Monthly budget",
    "AICOST_ALERT_CHANNEL": "Alert channel",
    "AICOST_DIGEST_CHANNEL": "Digest channel",
    "AICOST_DIGEST_CADENCE": "Digest cadence",
    "AICOST_DIGEST_SCHEDULE": "Digest time",
    "AICOST_SPIKE_FACTOR": "Spike factor",
    "AICOST_SPIKE_FLOOR_USD": "Spike floor (USD)",
    "AICOST_STALE_AFTER_HOURS": "Stale after (hours)",
    "AICOST_MAX_SPEND_SHARE": "Max spend share of revenue",
    "AICOST_FX_RATES": "Exchange rates",
    "AICOST_CURRENCY": "Display currency",
    "AICOST_TIMEZONE": "Time zone",
    "AICOST_BREAKEVEN_PROFILE": "Break-even profile",
    "AICOST_BREAKEVEN": "Break-even assumptions",
}
MAX_HOME_ALERTS = 20  # one block each; `aicost alerts` lists every one
NOTHING_SYNCED = (
    "*Nothing synced yet.* aicost has no billed spend from any provider, so there is no month "
    "to date, projection or break-even to show.\n"
    "Set a provider's admin key (e.g. `OPENAI_ADMIN_KEY`, `ANTHROPIC_ADMIN_KEY`) and run "
    "`aicost sync`; `aicost serve` then syncs on its own schedule. "
    "To try aicost on sample data first, run `aicost demo`."
)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, MAX_HEADER_TEXT)}}


def _context(lines: list[str]) -> list[dict[str, Any]]:
    if not lines:
        return []
    return [
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": clip(line, MAX_FIELD_TEXT)}
                for line in lines[:MAX_CONTEXT_ELEMENTS]
            ],
        }
    ]


def _when(at: datetime, tz: ZoneInfo) -> str:
    return f"{at.astimezone(tz):%d %b %H:%M} {tz.key}"


def _month_fields(report: StatusReport) -> dict[str, Any]:
    """Month to date against the budget and the projection, and against last month."""
    mtd = usd_or_dash(report.month_to_date_usd)
    note = coverage_note(report)
    projection = "-" if report.projection_usd is None else format_usd(report.projection_usd)
    if report.budget_usd is None:
        budget = "*Budget*\nnone set (`AICOST_MONTHLY_BUDGET_USD`)"
    else:
        basis = budget_basis(report)
        budget = f"*Budget*\n{format_usd(report.budget_usd)}" + (f"\n_{basis}_" if basis else "")
    fields = [
        f"*Month to date*\n{mtd}" + (f"\n_{note}_" if note else ""),
        budget,
        f"*Projected month end*\n{projection}\n_{projection_basis(report)}_",
        f"*Against last month*\n{change_phrase(report)}",
    ]
    return {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": clip(f, MAX_FIELD_TEXT)} for f in fields],
    }


def _data_lines(report: StatusReport) -> list[str]:
    """How fresh each provider's figures are, and the days still settling (the days missing
    are named under the month to date)."""
    lines = [f"Data: {line}" for line in freshness_lines(report)]
    incomplete = incomplete_line(report)
    if incomplete:
        lines.append(incomplete)
    return lines + money_notes(report, warning=":warning: ")


def alert_state(alert: HomeAlert, tz: ZoneInfo) -> str:
    """Where an open alert stands: posted or not, cleared, acknowledged by whom, snoozed."""
    if alert.delivered_at is not None:
        parts = [f"posted {_when(alert.delivered_at, tz)}"]
    elif alert.last_error:
        parts = [f"not posted yet (last attempt failed: {escape(alert.last_error)})"]
    else:
        parts = ["not posted yet"]
    if alert.cleared:
        parts.append("cleared; the all-clear is still to be posted")
    if alert.acknowledged_by:
        parts.append("acknowledged by " + ", ".join(f"<@{u}>" for u in alert.acknowledged_by))
    else:
        parts.append("not acknowledged")
    if alert.snoozed_until is not None:
        what = snoozed_alerts(alert.kind, alert.team)
        parts.append(f"{what} snoozed until {_when(alert.snoozed_until, tz)}")
    return "; ".join(parts)


def _alert_blocks(alerts: tuple[HomeAlert, ...], tz: ZoneInfo) -> list[dict[str, Any]]:
    if not alerts:
        return [_section("*Open alerts*\nNone open (`aicost alerts` checks the rules now).")]
    blocks = [_section(f"*Open alerts ({len(alerts)})*")]
    for alert in alerts[:MAX_HOME_ALERTS]:
        emoji = SEVERITY_EMOJI.get(alert.severity, ":warning:")
        since = f"since {_when(alert.first_seen_at, tz)}"
        blocks.append(
            _section(f"{emoji} *{escape(alert.title)}*\n_{since}; {alert_state(alert, tz)}_")
        )
    if len(alerts) > MAX_HOME_ALERTS:
        more = len(alerts) - MAX_HOME_ALERTS
        blocks += _context([f"and {more} more: `aicost alerts` lists every one"])
    return blocks


def _breakeven_blocks(facts: HomeFacts) -> list[dict[str, Any]]:
    text = "*Break-even*\n" + escape(summary_line(facts.breakeven, facts.breakeven_unavailable))
    flips = flips_line(facts.breakeven)
    if flips:
        text += f"\n_{escape(flips)}_"
    return [_section(text)]


def _refresh() -> dict[str, Any]:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": HOME_REFRESH_ACTION,
                "text": {"type": "plain_text", "text": "Refresh"},
            }
        ],
    }


def _setting_value(setting: SettingShown) -> str:
    if setting.value in ("", "unset"):
        return "none"
    if setting.name == "AICOST_MONTHLY_BUDGET_USD":
        return format_usd(Decimal(setting.value))
    if setting.name.endswith("_CHANNEL"):
        return f"<#{escape(setting.value)}>"
    return f"`{escape(setting.value)}`"


def _settings_blocks(facts: HomeFacts) -> list[dict[str, Any]]:
    """The settings a lead changes, where each value came from, and (for admins) the buttons
    that open their modals; everyone else is told who may change them."""
    shown = [s for s in facts.settings if s.name in HOME_SETTINGS]
    if not shown:
        return []
    lines = [f"{HOME_SETTINGS[s.name]}: {_setting_value(s)} _({escape(s.source)})_" for s in shown]
    blocks = [_section("*Settings*\n" + "\n".join(lines))]
    if not facts.can_change:
        return blocks + _context([SETTINGS_ADMINS_ONLY])
    buttons = [
        {"type": "button", "action_id": action, "text": {"type": "plain_text", "text": label}}
        for action, label in HOME_SETTINGS_BUTTONS.items()
    ]
    return [*blocks, {"type": "actions", "elements": buttons}, _team_actions(facts)]


def _team_actions(facts: HomeFacts) -> dict[str, Any]:
    """ "New team", and a picker that opens a team's form (bot/slack/team_modal.py)."""
    elements: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": NEW_TEAM_ACTION,
            "text": {"type": "plain_text", "text": "New team"},
        }
    ]
    teams = facts.status.teams
    names = [t.name for t in teams.teams] if teams is not None else []
    if names:
        options = [
            {"text": {"type": "plain_text", "text": clip(n, 75)}, "value": n}
            for n in names[:MAX_SELECT_OPTIONS]
        ]
        elements.append(
            {
                "type": "static_select",
                "action_id": TEAM_ACTION,
                "placeholder": {"type": "plain_text", "text": "Edit a team"},
                "options": options,
            }
        )
    return {"type": "actions", "elements": elements}


def home_view(facts: HomeFacts) -> dict[str, Any]:
    """The `home` view for views.publish."""
    report = facts.status
    tz = ZoneInfo(report.timezone)
    as_of = f"As of {_when(report.as_of, tz)}"
    blocks: list[dict[str, Any]] = [_header(f"AI spend, {report.month_start:%B %Y}")]
    blocks += _context([as_of])
    if not report.has_data:
        blocks.append(_section(NOTHING_SYNCED))
        blocks += _context([f"Data: {line}" for line in freshness_lines(report)])
    else:
        blocks += [_section(f":warning: {line}") for line in stale_lines(report)[:5]]
        blocks.append(_month_fields(report))
        blocks.append(_section(f"*By provider* (share of the month)\n{provider_lines(report)}"))
        if report.teams is not None:
            blocks.append(_section(team_section_text(report.teams)))
        blocks += _context(_data_lines(report))
    blocks.append({"type": "divider"})
    blocks += _alert_blocks(facts.alerts, tz)
    blocks.append({"type": "divider"})
    blocks += _breakeven_blocks(facts)
    settings = _settings_blocks(facts)
    if settings:
        blocks += [{"type": "divider"}, *settings]
    blocks.append(_refresh())
    return {"type": "home", "blocks": blocks}
