"""Day revisions: when a re-fetch changes a provider day's total, the old and the new figure.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "day_revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("old_nanos", sa.BigInteger(), nullable=False),
        sa.Column("new_nanos", sa.BigInteger(), nullable=False),
        sa.Column("revised_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_day_revisions_day", "day_revisions", ["day"])


def downgrade() -> None:
    op.drop_index("ix_day_revisions_day", "day_revisions")
    op.drop_table("day_revisions")
