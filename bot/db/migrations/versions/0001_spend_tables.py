"""Spend, token usage, fetched days and sync runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cost_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("project", sa.String(191), nullable=False),
        sa.Column("line_item", sa.String(255), nullable=False),
        sa.Column("model", sa.String(191), nullable=True),
        sa.Column("amount_nanos", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("provider", "day", "project", "line_item", name="uq_cost_lines_key"),
    )
    op.create_index("ix_cost_lines_day", "cost_lines", ["day"])
    op.create_table(
        "token_usage",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("model", sa.String(191), nullable=False),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cached_input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("provider", "day", "model", name="uq_token_usage_key"),
    )
    op.create_index("ix_token_usage_day", "token_usage", ["day"])
    op.create_table(
        "fetched_days",
        sa.Column("provider", sa.String(32), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
    )
    op.create_index("ix_sync_runs_provider_ok", "sync_runs", ["provider", "ok"])


def downgrade() -> None:
    op.drop_index("ix_sync_runs_provider_ok", "sync_runs")
    op.drop_table("sync_runs")
    op.drop_table("fetched_days")
    op.drop_index("ix_token_usage_day", "token_usage")
    op.drop_table("token_usage")
    op.drop_index("ix_cost_lines_day", "cost_lines")
    op.drop_table("cost_lines")
