"""Daily totals per provider, kept beside the cost lines they sum (filled from existing rows).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_totals",
        sa.Column("provider", sa.String(32), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("amount_nanos", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_daily_totals_day", "daily_totals", ["day"])
    op.execute(
        "INSERT INTO daily_totals (provider, day, amount_nanos) "
        "SELECT provider, day, SUM(amount_nanos) FROM cost_lines GROUP BY provider, day"
    )


def downgrade() -> None:
    op.drop_index("ix_daily_totals_day", "daily_totals")
    op.drop_table("daily_totals")
