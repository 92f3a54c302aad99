"""The tables. This is the one place that knows table and column names.

Every spend row is keyed by the provider's own grouping (provider, day, project, line item), so
re-syncing a day replaces it instead of adding to it; the unique constraints make a double count
impossible even if that rule were broken somewhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AuditRow",
    "Base",
    "ConfigValueRow",
    "CostLineRow",
    "DailyTotal",
    "FetchedDay",
    "HourlyUsageRow",
    "AlertRow",
    "DigestPostRow",
    "JobRun",
    "OpsHoursRow",
    "ProjectDayTotal",
    "SnoozeRow",
    "RevenueMonth",
    "SyncRun",
    "TeamProjectRow",
    "TeamRow",
    "TokenUsageRow",
    "UTCDateTime",
]


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class CostLineRow(Base):
    """The billed amount for one provider, day, project and line item, in the bill's currency.

    Keyed day first: that one index serves the day-range reads (digest movers), the replace of a
    provider's days and uniqueness, and a million-row backfill maintains nothing else.
    """

    __tablename__ = "cost_lines"
    __table_args__ = (
        PrimaryKeyConstraint("day", "provider", "project", "line_item", name="pk_cost_lines"),
    )

    provider: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    project: Mapped[str] = mapped_column(String(191), default="")
    line_item: Mapped[str] = mapped_column(String(255), default="")
    model: Mapped[str | None] = mapped_column(String(191), nullable=True)
    amount_nanos: Mapped[int] = mapped_column(BigInteger)  # nano-units of `currency`
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")


class TokenUsageRow(Base):
    __tablename__ = "token_usage"
    __table_args__ = (
        UniqueConstraint("provider", "day", "model", name="uq_token_usage_key"),
        Index("ix_token_usage_day", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    model: Mapped[str] = mapped_column(String(191))
    input_tokens: Mapped[int] = mapped_column(BigInteger)
    cached_input_tokens: Mapped[int] = mapped_column(BigInteger)
    output_tokens: Mapped[int] = mapped_column(BigInteger)
    requests: Mapped[int] = mapped_column(BigInteger)


class HourlyUsageRow(Base):
    """Tokens in one provider hour, all models together: what the busiest hour is measured from.

    Kept only for the break-even window (a few weeks), replaced hour by hour on re-fetch.
    """

    __tablename__ = "hourly_usage"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    input_tokens: Mapped[int] = mapped_column(BigInteger)
    output_tokens: Mapped[int] = mapped_column(BigInteger)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BalanceRow(Base):
    """A prepaid provider's credits as last fetched: one row per provider, replaced each sync.

    Only the latest figure is kept: the spend history is in the daily totals already, and the
    runway is worked out from those (`bot.core.balance`).
    """

    __tablename__ = "balances"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    credits_nanos: Mapped[int] = mapped_column(BigInteger)
    used_nanos: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FetchedDay(Base):
    """When each provider day was last fetched: the basis for 'may still be incomplete'."""

    __tablename__ = "fetched_days"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncRun(Base):
    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_provider_ok", "provider", "ok"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    ok: Mapped[bool] = mapped_column(Boolean)
    message: Mapped[str] = mapped_column(Text, default="")


class RevenueMonth(Base):
    """A month's revenue: one row per month, so setting it again replaces it."""

    __tablename__ = "revenue_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # first day of the month
    amount_nanos: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(16))  # manual, csv or stripe
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class OpsHoursRow(Base):
    """Hours actually spent operating local inference: the measured infrastructure tax."""

    __tablename__ = "ops_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[str] = mapped_column(String(64), default="")


class AlertAckRow(Base):
    """One person's acknowledgement of an alert. The alert row keeps the first; everyone who
    pressed after them is recorded here too, once each, rather than overwritten or lost."""

    __tablename__ = "alert_acks"

    alert_key: Mapped[str] = mapped_column(String(191), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AlertRow(Base):
    """One alert per condition and period (its key): recorded before it is sent, so a crash or
    a Slack failure leaves it pending for the next run instead of lost or sent twice."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_kind_state", "kind", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(191), unique=True)  # e.g. budget:80:2026-11
    kind: Mapped[str] = mapped_column(String(32))  # budget, projection, growth, breakeven, spike
    period: Mapped[str] = mapped_column(String(16))  # 2026-11, 2026-11-04, ...
    state: Mapped[str] = mapped_column(String(16))  # firing or resolved
    title: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)  # JSON: figures and the rendered message
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    slack_channel: Mapped[str] = mapped_column(String(64), default="")
    slack_ts: Mapped[str] = mapped_column(String(64), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    recovery_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    acknowledged_by: Mapped[str] = mapped_column(String(64), default="")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Real time a post of its message (or its recovery) was last started; cleared once recorded
    post_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SnoozeRow(Base):
    """A kind of alert kept quiet until a moment (snooze buttons: a day, a week, the month), for
    the organisation ("budget") or for one team ("budget:Search"): see StoredAlert.scope."""

    __tablename__ = "alert_snoozes"

    kind: Mapped[str] = mapped_column(String(100), primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(64), default="")


class DigestPostRow(Base):
    """One digest or month-close report per period per channel, recorded before it is posted
    (same rule as alerts). `key` is what it is posted with (see `bot.core.digest_period`)."""

    __tablename__ = "digest_posts"

    key: Mapped[str] = mapped_column(String(191), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Real time a post of it was last started; kept until it is recorded as delivered
    post_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class JobRun(Base):
    """When each scheduled job last ran, so a restart catches up on what it missed, once."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """One change made to aicost (revenue, hours, snoozes, acknowledgements): who, what, when.

    Written in the same transaction as the change it describes, so neither exists without the
    other. `detail` is a short sentence for people, never a secret.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ux_audit_log_request_key", "request_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))  # slack:U123 or cli
    action: Mapped[str] = mapped_column(String(32))  # revenue.set, hours.log, alert.snooze, ...
    target: Mapped[str] = mapped_column(String(191))  # 2026-10, budget, budget:80:2026-11, ...
    detail: Mapped[str] = mapped_column(Text)
    # slack:<trigger_id> for a change made from Slack: the same request is applied once
    request_key: Mapped[str | None] = mapped_column(String(191), nullable=True, default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DailyTotal(Base):
    """Billed amount per provider and day: cost_lines summed once, when a sync swaps days in.

    A provider day is billed in one currency (a sync that stages two for one day is refused),
    so the total is in that currency; readers convert it (`bot/core/fx.py`).

    Every figure (status, forecast, alerts, digest) is built from daily totals; summing a large
    organisation's cost lines on each question took hundreds of milliseconds at a million rows.
    Written in the same transaction as the cost lines it sums, so the two never disagree.
    """

    __tablename__ = "daily_totals"
    __table_args__ = (Index("ix_daily_totals_day", "day"),)

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    amount_nanos: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")


class DayRevision(Base):
    """A provider day whose total changed when it was fetched again: the old and the new figure.

    Providers revise days after the fact (Anthropic for about 30 days); a month that moved after
    it closed must say so, and by how much, rather than quietly show another number.
    """

    __tablename__ = "day_revisions"
    __table_args__ = (Index("ix_day_revisions_day", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    old_nanos: Mapped[int] = mapped_column(BigInteger)
    new_nanos: Mapped[int] = mapped_column(BigInteger)
    # Each figure in its own currency: a day re-billed in another currency keeps both honest.
    old_currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    new_currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    revised_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConfigValueRow(Base):
    """A setting set from Slack (or `aicost config set`): it overrides the environment's value
    until it is removed. `name` is the environment variable's, so both read the same."""

    __tablename__ = "config_values"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(64))  # slack:U123 or cli
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TeamRow(Base):
    """A team: its own monthly budget (optional) and the channel its alerts go to (optional)."""

    __tablename__ = "teams"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    budget_nanos: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # US dollars
    alert_channel: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TeamProjectRow(Base):
    """Which team owns a provider's project (workspace, account...): one owner per project.
    A project with no row is "unassigned", and its spend is shown as such."""

    __tablename__ = "team_projects"
    __table_args__ = (Index("ix_team_projects_team", "team"),)

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    project: Mapped[str] = mapped_column(String(191), primary_key=True)
    team: Mapped[str] = mapped_column(String(64))


class ProjectDayTotal(Base):
    """Billed amount per provider project and day, in the day's currency: cost_lines summed
    when a sync swaps days in, in the same transaction, like `DailyTotal`.

    Teams own projects, so attributing a month to teams reads these (a few thousand rows a
    month for a hundred projects) rather than the cost lines (tens of thousands). A day's
    projects add up to its `DailyTotal` exactly.
    """

    __tablename__ = "project_days"
    __table_args__ = (PrimaryKeyConstraint("day", "provider", "project", name="pk_project_days"),)

    day: Mapped[date] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(32))
    project: Mapped[str] = mapped_column(String(191))  # "" = the default project
    amount_nanos: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
