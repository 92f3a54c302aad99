"""Bills in any currency: every stored amount names its currency (ISO 4217; USD for old rows).

A euro bill used to be refused; now it is stored in euros and converted only when read, with
the rate the user set, so a rate set later corrects every figure without a re-sync.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_COLUMNS = {
    "cost_lines": ("currency",),
    "daily_totals": ("currency",),
    "day_revisions": ("old_currency", "new_currency"),
}


def upgrade() -> None:
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.add_column(
                    sa.Column(column, sa.String(3), nullable=False, server_default="USD")
                )


def downgrade() -> None:
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column)
