"""Digests per period per channel: `digests` (one row per week) becomes `digest_posts`, keyed by
the key each digest is posted with, so a daily, weekly or monthly digest and the month-close
report are each claimed once per period per channel.

The weeks already recorded keep their key (`digest:YYYY-MM-DD`, what the weekly digest to
AICOST_DIGEST_CHANNEL is still posted with), so no week is posted twice across the upgrade.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

COLUMNS = "created_at, delivered_at, attempts, last_error, post_started_at"


def _state_columns() -> list[sa.Column]:
    return [
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("post_started_at", UTCDateTime(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "digest_posts", sa.Column("key", sa.String(191), primary_key=True), *_state_columns()
    )
    op.execute(
        f"INSERT INTO digest_posts (key, {COLUMNS}) "
        f"SELECT 'digest:' || CAST(week_start AS VARCHAR(10)), {COLUMNS} FROM digests"
    )
    op.drop_table("digests")


def downgrade() -> None:
    op.create_table(
        "digests", sa.Column("week_start", sa.Date(), primary_key=True), *_state_columns()
    )
    week = "SUBSTR(key, 8)"
    if op.get_bind().dialect.name == "postgresql":
        week = f"CAST({week} AS DATE)"
    op.execute(
        f"INSERT INTO digests (week_start, {COLUMNS}) SELECT {week}, {COLUMNS} "
        "FROM digest_posts WHERE key NOT LIKE 'digest:%:%'"
    )
    op.drop_table("digest_posts")
