"""Monthly revenue and the logged infrastructure-tax hours.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revenue_months",
        sa.Column("month", sa.Date(), primary_key=True),
        sa.Column("amount_nanos", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "ops_hours",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("logged_at", UTCDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ops_hours")
    op.drop_table("revenue_months")
