"""Drop the persistent staging tables: syncs now stage in temporary tables on their connection.

Temporary tables need no cleanup after a killed sync and never take SQLite's write lock or
PostgreSQL's WAL while a backfill streams in; nothing but a sync in progress ever held rows
here, and a sync's rows are swapped in or discarded before it ends.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from pathlib import Path

from alembic import op
from alembic.util import load_python_file

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_staged_cost_lines_run", table_name="staged_cost_lines")
    op.drop_table("staged_cost_lines")
    op.drop_index("ix_staged_token_usage_run", table_name="staged_token_usage")
    op.drop_table("staged_token_usage")
    op.drop_table("staged_days")


def downgrade() -> None:
    # The tables exactly as revision 0005 made them.
    load_python_file(str(Path(__file__).parent), "0005_sync_staging.py").upgrade()
