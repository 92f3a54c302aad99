"""What the App Home shows, as plain values: the month's status, the alerts still open with
where each stands, and the break-even line. Gathered by `bot.services.home`, drawn by
`bot.render.home_view`; nothing here reads a store or a clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .breakeven_report import BreakEvenSummary
from .settings_forms import SettingShown
from .status import StatusReport

__all__ = ["HomeAlert", "HomeFacts"]


@dataclass(frozen=True, slots=True)
class HomeAlert:
    """One open alert and where it stands: posted or not, acknowledged by whom, snoozed."""

    key: str
    kind: str
    title: str
    severity: str
    first_seen_at: datetime
    cleared: bool  # its condition no longer holds; the recovery message is still to be sent
    delivered_at: datetime | None  # None: not posted yet (pending, or failing)
    last_error: str = ""  # why the last post failed, while it is not posted
    acknowledged_by: tuple[str, ...] = ()  # Slack user ids, first acknowledger first
    snoozed_until: datetime | None = None  # alerts of its kind (for its team) are quiet till then
    team: str = ""  # the team it is about; "": the organisation


@dataclass(frozen=True, slots=True)
class HomeFacts:
    status: StatusReport
    alerts: tuple[HomeAlert, ...]
    breakeven: BreakEvenSummary | None
    breakeven_unavailable: str  # why `breakeven` is None; "" when it is set
    settings: tuple[SettingShown, ...] = ()  # what a lead may change, and where each came from
    can_change: bool = False  # the viewer is an aicost admin: the settings buttons are shown
