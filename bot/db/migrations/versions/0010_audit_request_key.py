"""Audit request keys: a change made from Slack is keyed by its trigger_id, applied once.

Slack can deliver a request twice (a retry after a slow ack, `X-Slack-Retry-Num`) and a
replayed request carries the same trigger_id. The unique key makes the second insert fail in
the change's own transaction, so the change is rolled back rather than applied again.
`answered_at` says the person was told; a committed change never confirmed shows in the audit.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("request_key", sa.String(191), nullable=True))
        batch.add_column(sa.Column("answered_at", UTCDateTime(), nullable=True))
    op.create_index("ux_audit_log_request_key", "audit_log", ["request_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_audit_log_request_key", "audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("answered_at")
        batch.drop_column("request_key")
