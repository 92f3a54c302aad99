"""A snooze quiets one kind of alert for one team (or for the organisation), not every team's:
`alert_snoozes.kind` holds "budget" or "budget:Search", so it is widened to fit a team's name.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alert_snoozes") as batch:
        batch.alter_column("kind", type_=sa.String(100), existing_type=sa.String(32))


def downgrade() -> None:
    # Before 0019 a snooze was for a kind across every team: a team's own snooze has no place.
    op.execute("DELETE FROM alert_snoozes WHERE kind LIKE '%:%'")
    with op.batch_alter_table("alert_snoozes") as batch:
        batch.alter_column("kind", type_=sa.String(32), existing_type=sa.String(100))
