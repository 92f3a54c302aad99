"""Daily totals per provider project, kept beside the cost lines they sum (filled from existing
rows): what spend is attributed to teams from, without summing cost lines on every question.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("project", sa.String(191), nullable=False),
        sa.Column("amount_nanos", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False, server_default="USD"),
        sa.PrimaryKeyConstraint("day", "provider", "project", name="pk_project_days"),
    )
    op.execute(
        "INSERT INTO project_days (day, provider, project, amount_nanos, currency) "
        "SELECT day, provider, project, SUM(amount_nanos), MAX(currency) FROM cost_lines "
        "GROUP BY day, provider, project"
    )


def downgrade() -> None:
    op.drop_table("project_days")
