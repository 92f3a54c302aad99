"""Post attempts: when a post of an alert or a digest was last started, to check before posting
again.

A crash (or a lost response) between Slack taking a message and the ledger recording it left
the alert (or the week's digest) pending with nothing to say it may have been posted, and the
next run posted it again.
With the moment recorded before each post, the next run first looks for the message (posted
with the alert's key in its Slack metadata) in the channel's history since then.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("alerts", "digests"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("post_started_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    for table in ("alerts", "digests"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("post_started_at")
