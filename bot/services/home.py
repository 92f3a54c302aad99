"""The App Home's open alerts, from the alert ledger, with where each stands.

The Home's other results are the ones the rest of aicost uses (`team_status`,
`breakeven_summary`), so it never disagrees with `/aicost status` or the digest; the Slack
services put them together (`SlackServices.home`), the first two through the answer cache.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from ..core.home import HomeAlert
from ..db.alerts import RESOLVED, AlertLedger

__all__ = ["home_alerts"]


def home_alerts(engine: Engine, *, now: datetime) -> tuple[HomeAlert, ...]:
    """Open alerts, oldest first, each with who acknowledged it and any snooze of its scope.

    Read fresh every time (one small table): an acknowledgement pressed a moment ago must show.
    """
    ledger = AlertLedger(engine)
    stored = ledger.open_alerts()
    acks = ledger.acknowledgers(a.key for a in stored)
    snoozes = ledger.snoozes(now)
    return tuple(
        HomeAlert(
            key=a.key,
            kind=a.kind,
            title=a.condition.title,
            severity=a.condition.severity,
            first_seen_at=a.first_seen_at,
            cleared=a.state == RESOLVED,
            delivered_at=a.delivered_at,
            last_error=a.last_error,
            acknowledged_by=tuple(acks.get(a.key, ())),
            snoozed_until=snoozes.get(a.scope),
            team=a.condition.team,
        )
        for a in stored
    )
