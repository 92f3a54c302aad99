"""Staging tables for streamed syncs (pages committed one by one, swapped in at the end).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staged_cost_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("project", sa.String(191), nullable=False),
        sa.Column("line_item", sa.String(255), nullable=False),
        sa.Column("model", sa.String(191), nullable=True),
        sa.Column("amount_nanos", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_staged_cost_lines_run", "staged_cost_lines", ["run_id"])
    op.create_table(
        "staged_token_usage",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("model", sa.String(191), nullable=False),
        sa.Column("input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cached_input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_staged_token_usage_run", "staged_token_usage", ["run_id"])
    op.create_table(
        "staged_days",
        sa.Column("run_id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("provider", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("staged_days")
    op.drop_index("ix_staged_token_usage_run", table_name="staged_token_usage")
    op.drop_table("staged_token_usage")
    op.drop_index("ix_staged_cost_lines_run", table_name="staged_cost_lines")
    op.drop_table("staged_cost_lines")
