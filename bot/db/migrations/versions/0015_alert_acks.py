"""Every acknowledgement of an alert, not only the first: who took it on, and when.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_acks",
        sa.Column("alert_key", sa.String(191), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alert_acks")
