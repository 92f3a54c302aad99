"""Which days a digest covers, what it is compared with, and the key it is posted under once.

A digest covers the last *complete* period before `today` (the team's local date), so a run
retried later in the period says the same as the first attempt would have:

- weekly: the last Monday–Sunday week, against the week before;
- daily: yesterday, against the same weekday a week earlier (not the day before: spend follows
  the working week, so a Monday set against a Sunday would always look like a surge);
- monthly: the last closed calendar month, against the month before.

Plain dates in, plain dates out: no clock, no settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .clock import previous_month_start

__all__ = [
    "DAILY",
    "KINDS",
    "MONTHLY",
    "WEEKLY",
    "Period",
    "digest_key",
    "parse_cadence",
    "period_for",
]

WEEKLY, DAILY, MONTHLY = "weekly", "daily", "monthly"
KINDS = (WEEKLY, DAILY, MONTHLY)


@dataclass(frozen=True, slots=True)
class Period:
    kind: str
    start: date  # first day covered
    end: date  # last day covered, inclusive
    previous_start: date  # the period it is compared with, inclusive at both ends
    previous_end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_for(kind: str, today: date) -> Period:
    """The last complete period of `kind` before `today`, and the one it is set against."""
    if kind == DAILY:
        day = today - timedelta(days=1)
        week_before = day - timedelta(days=7)
        return Period(kind, day, day, week_before, week_before)
    if kind == MONTHLY:
        first = previous_month_start(today)
        before = previous_month_start(first)
        return Period(
            kind, first, today.replace(day=1) - timedelta(days=1), before, first - timedelta(days=1)
        )
    if kind != WEEKLY:
        raise ValueError(f"{kind!r} is not a digest cadence ({', '.join(KINDS)})")
    sunday = today - timedelta(days=today.weekday() + 1)
    monday = sunday - timedelta(days=6)
    return Period(kind, monday, sunday, monday - timedelta(days=7), monday - timedelta(days=1))


def digest_key(kind: str, start: date, channel: str, *, legacy_channel: str | None) -> str:
    """The key a digest is claimed under and posted with (Slack metadata): one per period per
    channel. The weekly digest to AICOST_DIGEST_CHANNEL keeps the key it had before cadences
    existed (`digest:2026-11-16`), so a week posted before an upgrade is not posted again."""
    if kind == WEEKLY and channel == legacy_channel:
        return f"digest:{start.isoformat()}"
    return f"digest:{kind}:{start.isoformat()}:{channel}"


def parse_cadence(text: str, default_channel: str | None) -> dict[str, str]:
    """AICOST_DIGEST_CADENCE as {channel: kind}.

    'daily' applies to `default_channel` (AICOST_DIGEST_CHANNEL); 'C123=daily, C456=monthly'
    names channels, and AICOST_DIGEST_CHANNEL, when set and not named, stays weekly. Empty
    means weekly. No channel at all gives {}. ValueError says what is wrong.
    """
    cleaned = text.strip().lower() if "=" not in text else text.strip()
    if "=" not in cleaned:
        kind = cleaned or WEEKLY
        if kind not in KINDS:
            raise ValueError(f"{text!r} is not a cadence: use {', '.join(KINDS)} or C123=daily")
        return {default_channel: kind} if default_channel else {}
    cadences: dict[str, str] = {}
    for part in cleaned.replace(",", " ").split():
        channel, sep, kind = part.partition("=")
        kind = kind.strip().lower()
        if not sep or not channel or kind not in KINDS:
            raise ValueError(f"{part!r} is not channel=cadence ({', '.join(KINDS)})")
        cadences[channel] = kind
    if default_channel and default_channel not in cadences:
        cadences = {default_channel: WEEKLY, **cadences}
    return cadences
