"""The snooze vocabulary, in one place: each choice's button, its Slack action id, its words,
and when a snooze chosen now ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from ..clock import next_month_start

__all__ = ["SNOOZES", "SNOOZE_ACTIONS", "SNOOZE_CHOICES", "SNOOZE_LABELS", "snooze_until"]


@dataclass(frozen=True, slots=True)
class Snooze:
    choice: str  # what the ledger and the audit log are told: 1d, 7d, month
    action_id: str  # the button's Slack action id
    button: str  # the button's text
    label: str  # in sentences: "Snoozed budget alerts for 7 days"


SNOOZES = (
    Snooze("1d", "aicost_snooze_1d", "Snooze 1 day", "1 day"),
    Snooze("7d", "aicost_snooze_7d", "Snooze 7 days", "7 days"),
    Snooze("month", "aicost_snooze_month", "Snooze rest of month", "the rest of the month"),
)
SNOOZE_ACTIONS = {s.action_id: s.button for s in SNOOZES}  # action_id -> button text
SNOOZE_CHOICES = {s.action_id: s.choice for s in SNOOZES}  # action_id -> choice
SNOOZE_LABELS = {s.choice: s.label for s in SNOOZES}  # choice -> words


def snooze_until(choice: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """When a snooze chosen now ends: a day, a week, or the start of next month (team time)."""
    if choice == "1d":
        return now + timedelta(days=1)
    if choice == "7d":
        return now + timedelta(days=7)
    if choice == "month":
        start = next_month_start(now.astimezone(tz).date())
        return datetime.combine(start, clock_time(0), tzinfo=tz).astimezone(UTC)
    raise ValueError(f"unknown snooze {choice!r}; one of {', '.join(SNOOZE_LABELS)}")
