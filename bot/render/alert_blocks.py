"""Alerts and recovery messages as Block Kit, and as plain text for the CLI and notifications.

An alert shows its title, its numbers as fields, one line on why it matters, how fresh the data
is, and four buttons (snooze a day, a week, the rest of the month; acknowledge) whose `value` is
the alert key, so the button handler knows which alert, and so which kind, it is about.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..core.alerts.conditions import KIND_NAMES, RECOVERY_TITLES, Condition
from ..core.alerts.snooze import SNOOZE_ACTIONS
from .limits import (
    MAX_CONTEXT_ELEMENTS,
    MAX_FIELD_TEXT,
    MAX_FIELDS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    clip,
)
from .mrkdwn import escape

__all__ = [
    "alerts_text",
    "ACK_ACTION",
    "ACTIONS_BLOCK",
    "SNOOZE_ACTIONS",
    "ack_line",
    "alert_blocks",
    "alert_text",
    "recovery_blocks",
    "recovery_text",
    "snooze_line",
    "snoozed_alerts",
    "with_outcome",
]

ACK_ACTION = "aicost_ack"
ACTIONS_BLOCK = "aicost_alert_actions"
OUTCOME_BLOCK = "aicost_alert_outcome"
MAX_CONTEXT_TEXT = 2000
SEVERITY_EMOJI = {
    "info": ":information_source:",
    "warning": ":warning:",
    "critical": ":rotating_light:",
}


def alert_text(condition: Condition) -> str:
    """Plain text: the notification fallback and what `aicost alerts` prints."""
    lines = [condition.title]
    lines += [f"  {label}: {value}" for label, value in condition.numbers.items()]
    lines.append(f"  Why this matters: {condition.why}")
    return "\n".join(lines)


def _context(lines: Sequence[str]) -> list[dict[str, Any]]:
    if not lines:
        return []
    elements = [
        {"type": "mrkdwn", "text": clip(line, MAX_CONTEXT_TEXT)}
        for line in lines[:MAX_CONTEXT_ELEMENTS]
    ]
    return [{"type": "context", "elements": elements}]


def _button(action_id: str, label: str, key: str, *, primary: bool = False) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": key,
    }
    if primary:
        button["style"] = "primary"
    return button


def alert_blocks(condition: Condition, *, context: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The alert message: header, numbers, why, data freshness (`context`), buttons."""
    emoji = SEVERITY_EMOJI.get(condition.severity, ":warning:")
    fields = [
        {"type": "mrkdwn", "text": clip(f"*{label}*\n{value}", MAX_FIELD_TEXT)}
        for label, value in list(condition.numbers.items())[:MAX_FIELDS]
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": clip(f"{emoji} {condition.title}", MAX_HEADER_TEXT),
                "emoji": True,
            },
        }
    ]
    if fields:
        blocks.append({"type": "section", "fields": fields})
    why = clip(f"*Why this matters:* {condition.why}", MAX_SECTION_TEXT)
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": why}})
    blocks += _context(context)
    buttons = [_button(a, label, condition.key) for a, label in SNOOZE_ACTIONS.items()]
    buttons.append(_button(ACK_ACTION, "Acknowledge", condition.key, primary=True))
    blocks.append({"type": "actions", "block_id": ACTIONS_BLOCK, "elements": buttons})
    return blocks


def alerts_text(conditions: Sequence[Condition], states: Mapping[str, str]) -> str:
    """Every condition that holds, with its delivery state: what `aicost alerts` prints."""
    if not conditions:
        return "No alert conditions hold right now."
    return "\n".join(
        f"[{c.severity}] {c.key}: {states.get(c.key, '')}\n"
        + textwrap.indent(alert_text(c), "  ")
        + "\n"
        for c in conditions
    ).rstrip()


def recovery_text(condition: Condition, note: str) -> str:
    headline = RECOVERY_TITLES.get(condition.kind, "Cleared")
    return f"{headline}{': ' + note if note else ''} (was: {condition.title})"


def recovery_blocks(
    condition: Condition, note: str, *, context: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """A short all-clear: what cleared, today's figure, and which alert it answers."""
    headline = RECOVERY_TITLES.get(condition.kind, "Cleared")
    text = f":white_check_mark: *{headline}*"
    if note:
        text += f"\n{note}"
    text += f"\n_Earlier alert: {condition.title}_"
    section = {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}
    return [section, *_context(context)]


def snoozed_alerts(kind: str, team: str = "") -> str:
    """What a snooze quiets, in words: 'budget alerts', 'team budget alerts of team Search'."""
    return KIND_NAMES.get(kind, kind) + (f" alerts of team {escape(team)}" if team else " alerts")


def snooze_line(
    kind: str, until: datetime, *, by: str, label: str, tz: ZoneInfo, team: str = ""
) -> str:
    """'Snoozed budget alerts for 7 days by <@U1> (until 27 Nov 14:00 UTC)'; a team's alert:
    'Snoozed team budget alerts of team Search for ...' (other teams' alerts go on)."""
    name = snoozed_alerts(kind, team)
    when = until.astimezone(tz)
    return f":zzz: Snoozed {name} for {label} by <@{by}> (until {when:%d %b %H:%M} {tz.key})"


def ack_line(by: str, at: datetime, tz: ZoneInfo, *, first: bool = True) -> str:
    """'Acknowledged by <@U1> at 07 Dec 14:02 UTC' ('Also acknowledged by' after the first)."""
    said = "Acknowledged" if first else "Also acknowledged"
    return f":white_check_mark: {said} by <@{by}> at {at.astimezone(tz):%d %b %H:%M} {tz.key}"


def with_outcome(blocks: Sequence[dict[str, Any]], line: str) -> list[dict[str, Any]]:
    """The posted alert with `line` added to its outcome notes, just above the buttons.

    The alert's own text is kept; notes accumulate (a snooze, then an acknowledgement), and
    the buttons stay so the alert can still be acknowledged after a snooze.
    """
    notes: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("block_id") == OUTCOME_BLOCK:
            notes = list(block.get("elements", []))
        else:
            kept.append(block)
    notes = [*notes, {"type": "mrkdwn", "text": clip(line, MAX_CONTEXT_TEXT)}]
    outcome = {
        "type": "context",
        "block_id": OUTCOME_BLOCK,
        "elements": notes[-MAX_CONTEXT_ELEMENTS:],
    }
    at = next((n for n, b in enumerate(kept) if b.get("type") == "actions"), len(kept))
    return [*kept[:at], outcome, *kept[at:]]
