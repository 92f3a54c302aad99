"""Prepaid credits: a provider's balance as last fetched (OpenRouter's `/credits`).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "balances",
        sa.Column("provider", sa.String(32), primary_key=True),
        sa.Column("credits_nanos", sa.BigInteger(), nullable=False),
        sa.Column("used_nanos", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("balances")
