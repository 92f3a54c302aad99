"""What the Slack handlers can ask for: one object over the stores, built once per process.

Every change made from Slack is written to the audit log in the same transaction as the
change, with the actor `slack:<user id>`. Who may change what is decided by
`bot.core.admins` (`is_admin`), asked here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import Engine

from ..core.admins import is_admin
from ..core.alerts.snooze import SNOOZE_LABELS, snooze_until
from ..core.breakeven.verdict import Verdict
from ..core.breakeven_report import BreakEvenReport
from ..core.clock import utc_now
from ..core.forecast_report import ForecastReport
from ..core.home import HomeFacts
from ..core.settable import SETTABLE
from ..core.settings_forms import SettingShown
from ..core.status import StatusReport
from ..core.team_form import TeamForm
from ..core.teams import ProjectKey, Team
from ..core.why import WhyReport
from ..core.why_period import WhyPeriod
from ..db.alerts import Acknowledgement, AlertLedger
from ..db.audit import (
    REVENUE_SET,
    AuditEntry,
    AuditLog,
    ack_entry,
    apply_once,
    hours_entry,
    slack_actor,
    snooze_entry,
)
from ..db.config_values import ConfigValues
from ..db.hours import HoursLog
from ..db.revenue import RevenueStore
from ..db.store import SpendStore
from ..db.teams import TeamStore
from ..runtime.store import open_store
from ..services.alerts import Snoozed
from ..services.breakeven import answer_breakeven, breakeven_summary, compare_breakeven
from ..services.breakeven_query import BreakEvenQuery
from ..services.config_changes import change_settings, changes_problems
from ..services.forecast_report import load_forecast
from ..services.home import home_alerts
from ..services.revenue import change_revenue
from ..services.settings_in_force import LiveSettings, value_in_force
from ..services.status import team_status
from ..services.team_form import save_team
from ..services.teams import unassigned_projects
from ..services.why import explain_change
from ..settings import Settings
from ..settings_report import config_in_force
from .cache import AnswerCache

__all__ = ["SlackServices"]

T = TypeVar("T")


class SlackServices:
    """Built over the environment's settings (`settings`); every answer reads the settings in
    force (`self.settings`: those with the values stored from Slack on top), so a change made
    in a modal, by `aicost config set` or by another replica is seen at the next answer."""

    def __init__(
        self,
        *,
        settings: Settings,
        store: SpendStore,
        cache: AnswerCache | None = None,
        on_settings_change: Callable[[Settings], None] | None = None,
    ) -> None:
        self.base_settings = settings
        self._store = store
        self.live = LiveSettings(settings, store.engine, on_change=on_settings_change)
        self.cache = cache if cache is not None else AnswerCache(store.engine)

    @property
    def settings(self) -> Settings:
        """The settings in force now (one small read of the stored values)."""
        return self.live.current()

    @property
    def settings_last_read(self) -> Settings:
        """The settings in force as last read, with no read: for what an ack decides."""
        return self.live.last_read()

    @property
    def engine(self) -> Engine:
        return self._store.engine

    @property
    def store(self) -> SpendStore:
        """The spend store, converting at the exchange rates in force."""
        return SpendStore(self._store.engine, self.settings.fx)

    def _answer(self, question: Hashable, compute: Callable[[SpendStore, Settings], T]) -> T:
        """`compute` over the store and settings in force, through the answer cache: an answer
        worked out under other settings (a budget changed since) is never served."""
        snapshot = self.live.snapshot()
        settings = snapshot.settings
        store = SpendStore(self._store.engine, settings.fx)
        return self.cache.get((question, snapshot.version), lambda: compute(store, settings))

    @classmethod
    def from_settings(
        cls, settings: Settings, *, on_settings_change: Callable[[Settings], None] | None = None
    ) -> SlackServices:
        return cls(
            settings=settings, store=open_store(settings), on_settings_change=on_settings_change
        )

    def is_admin(self, user_id: str) -> bool:
        """May this Slack user change things (revenue, hours, settings, snoozes)? AICOST_ADMINS
        says."""
        # AICOST_ADMINS is never stored (bot.core.settable): the environment's is the one.
        return is_admin(user_id, self.base_settings.admins)

    def status(self) -> StatusReport:
        return self._answer("status", lambda store, s: team_status(store, s, now=utc_now()))

    def home(self, user_id: str = "") -> HomeFacts:
        """The App Home's results for `user_id`. Status and break-even come from the answer
        cache (shared with /aicost status); the open alerts and the settings are read fresh,
        since the data version does not see an alert posted or acknowledged a moment ago."""
        now = utc_now()
        breakeven, unavailable = self._answer(
            "breakeven-summary", lambda store, s: breakeven_summary(store, s, now=now)
        )
        return HomeFacts(
            status=self.status(),
            alerts=home_alerts(self.engine, now=now),
            breakeven=breakeven,
            breakeven_unavailable=unavailable,
            settings=self.settings_shown(),
            can_change=self.is_admin(user_id),
        )

    def why(self, period: WhyPeriod) -> WhyReport:
        """The period's change and its drivers; `period` was resolved in the ack, from now."""
        return self._answer(
            ("why", period),
            lambda store, s: explain_change(store, s, period, now=utc_now()),
        )

    def breakeven(self, query: BreakEvenQuery) -> tuple[BreakEvenReport, Verdict]:
        return self._answer(
            ("breakeven", repr(query)),
            lambda store, s: answer_breakeven(
                store,
                s,
                now=utc_now(),
                profile=query.profile,
                overrides=query.overrides,
                monthly_spend=query.monthly_spend,
                provider=query.provider,
            ),
        )

    def compare(self, query: BreakEvenQuery) -> list[tuple[BreakEvenReport, Verdict]]:
        return self._answer(
            ("compare", repr(query)),
            lambda store, s: compare_breakeven(
                store,
                s,
                now=utc_now(),
                overrides=query.overrides,
                monthly_spend=query.monthly_spend,
                provider=query.provider,
            ),
        )

    def forecast(self) -> ForecastReport:
        return self._answer(
            "forecast",
            lambda store, s: load_forecast(
                store,
                now=utc_now(),
                tz=s.tz,
                budget_usd=s.monthly_budget_usd,
            ),
        )

    def revenue(self) -> tuple[list[str], str]:
        """Stored monthly revenue as lines (empty when none), and the line for none."""
        from ..core.clock import month_start
        from ..render.revenue_text import NO_REVENUE, revenue_lines

        rows = RevenueStore(self.engine).months(date(1970, 1, 1), date(9999, 1, 1))
        this_month = month_start(utc_now().astimezone(self.settings.tz).date())
        shown = [(r.month, r.amount_usd, r.source, r.updated_at) for r in rows]
        return revenue_lines(shown, this_month=this_month, tz=self.settings.tz), NO_REVENUE

    def set_revenue(
        self, month: date, amount: Decimal, *, user_id: str, request: str | None = None
    ) -> bool:
        """Set a month's revenue; False if Slack request `request` already did (nothing
        changes: a retried or replayed command is applied once)."""
        now, actor = utc_now(), slack_actor(user_id)
        return self._once(
            request,
            lambda: change_revenue(
                self.engine,
                [(month, amount)],
                action=REVENUE_SET,
                source="manual",
                actor=actor,
                at=now,
                request=request,
            ),
        )

    def log_hours(
        self, hours: Decimal, note: str, *, user_id: str, request: str | None = None
    ) -> bool:
        """Log hours of operations; False if Slack request `request` already did."""
        now = utc_now()
        audit = replace(
            hours_entry(hours, note, actor=slack_actor(user_id), at=now), request_key=request
        )
        return self._once(
            request,
            lambda: HoursLog(self.engine).add(
                hours, at=now, note=note, user_id=user_id, audit=audit
            ),
        )

    def _once(self, request: str | None, change: Callable[[], object]) -> bool:
        """Apply `change` unless request `request` was applied already (`apply_once`)."""
        return apply_once(AuditLog(self.engine), request, change)[0]

    def change_answered(self, request: str) -> bool:
        """Has the person who asked for change `request` been told it is done?"""
        entry = AuditLog(self.engine).by_request(request)
        return entry is not None and entry.answered_at is not None

    def mark_answered(self, request: str) -> None:
        AuditLog(self.engine).mark_answered(request, utc_now())

    def snooze_alert(
        self, key: str, choice: str, *, user_id: str, request: str | None = None
    ) -> Snoozed | None:
        """Snooze the kind of the alert `key` (for its team alone, if it is a team's) and audit
        it, in one transaction.

        None if there is no such alert. The audit row rides in the ledger's transaction, so a
        snooze is never in effect without the record of who set it. A retry of Slack request
        `request` changes nothing: the snooze it set is answered again, with its own end.
        """
        now, ledger = utc_now(), AlertLedger(self.engine)
        alert = ledger.get(key)
        if alert is None:
            return None
        until, label = snooze_until(choice, now=now, tz=self.settings.tz), SNOOZE_LABELS[choice]
        audit = snooze_entry(
            alert.condition, label=label, until=until, actor=slack_actor(user_id), at=now
        )
        applied = self._once(
            request,
            lambda: ledger.snooze(
                alert.scope, until=until, by=user_id, audit=replace(audit, request_key=request)
            ),
        )
        if not applied:
            until = ledger.snoozes(now).get(alert.scope, until)
        return Snoozed(kind=alert.kind, until=until, label=label, team=alert.condition.team)

    def acknowledge_alert(self, key: str, *, user_id: str) -> Acknowledgement | None:
        """Record that the user took the alert on (audited once per person); None if there is
        no such alert."""
        now = utc_now()
        audit = ack_entry(key, actor=slack_actor(user_id), at=now)
        return AlertLedger(self.engine).acknowledge(key, by=user_id, now=now, audit=audit)

    def settings_values(self) -> dict[str, str]:
        """Every setting a lead may change, as text, as in force now (the modals' boxes)."""
        in_force = self.settings
        return {name: value_in_force(in_force, name) for name in SETTABLE}

    def settings_shown(self) -> tuple[SettingShown, ...]:
        """The settings a lead may change, with where each value came from (the Home)."""
        stored = ConfigValues(self.engine).stored()
        lines = config_in_force(self.settings, os.environ, stored=stored)
        return tuple(SettingShown(n.name, n.value, n.source) for n in lines if n.name in SETTABLE)

    def check_settings(self, changes: Mapping[str, str | None]) -> dict[str, str]:
        """{setting: what is wrong} with these changes over the stored ones; {} if none."""
        return changes_problems(self.engine, self.base_settings, changes)

    def change_settings(
        self, changes: Mapping[str, str | None], *, user_id: str, request: str | None
    ) -> dict[str, str | None] | None:
        """Store and audit the changes in one transaction; None if `request` already did."""
        return change_settings(
            self.engine,
            self.base_settings,
            changes,
            actor=slack_actor(user_id),
            at=utc_now(),
            request=request,
        )

    def team(self, name: str) -> Team | None:
        return TeamStore(self.engine).team(name)

    def team_taken(self, name: str, *, request: str | None) -> str | None:
        """The team (as spelled) a "New team" submission named `name` would overwrite; None if
        there is none, or if it is this very submission's (Slack retrying it: turned away)."""
        team = TeamStore(self.engine).team(name)
        if team is None or (request is not None and AuditLog(self.engine).by_request(request)):
            return None
        return team.name

    def unassigned_projects(self) -> list[ProjectKey]:
        """Projects with spend this month that no team owns, biggest first (the team form's
        reminder of what is left to assign)."""
        today = utc_now().astimezone(self.settings.tz).date()
        return unassigned_projects(self.store, today)

    def save_team(self, form: TeamForm, *, user_id: str, request: str | None) -> str | None:
        """Save the team modal's team, once per submission (None: `request` already did)."""
        return save_team(
            self.engine, form, actor=slack_actor(user_id), at=utc_now(), request=request
        )

    def latest_changes(self, limit: int) -> list[AuditEntry]:
        return AuditLog(self.engine).latest(limit)
