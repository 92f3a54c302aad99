"""Alerts (with their delivery state), snoozes, weekly digests and scheduled job runs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(191), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("slack_channel", sa.String(64), nullable=False),
        sa.Column("slack_ts", sa.String(64), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("recovery_delivered_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(64), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_alerts_kind_state", "alerts", ["kind", "state"])
    op.create_table(
        "alert_snoozes",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("until", UTCDateTime(), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
    )
    op.create_table(
        "digests",
        sa.Column("week_start", sa.Date(), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
    )
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("last_run_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
    op.drop_table("digests")
    op.drop_table("alert_snoozes")
    op.drop_index("ix_alerts_kind_state", "alerts")
    op.drop_table("alerts")
