"""Settings set in Slack, and teams: what an admin changes from a modal is kept in the database,
where it takes precedence over the environment default, and spend is attributed to teams.

- `config_values`: one row per setting set from Slack or the CLI (its environment name), with
  who set it and when; a row removed means the environment (or the default) is in force again.
- `teams`: a team's optional monthly budget (US dollar nanos, like every other budget) and the
  channel its alerts go to (none: the org's alert channel).
- `team_projects`: which team owns each provider project (OpenAI project, Anthropic workspace,
  an AWS account, Azure resource group, GCP project...); a project owned by nobody is shown as
  "unassigned", never dropped. One owner per project, by the primary key.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from bot.db.models import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "config_values",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
        sa.Column("set_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "teams",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("budget_nanos", sa.BigInteger(), nullable=True),
        sa.Column("alert_channel", sa.String(64), nullable=True),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "team_projects",
        sa.Column("provider", sa.String(32), primary_key=True),
        sa.Column("project", sa.String(191), primary_key=True),
        sa.Column("team", sa.String(64), nullable=False),
    )
    op.create_index("ix_team_projects_team", "team_projects", ["team"])


def downgrade() -> None:
    op.drop_index("ix_team_projects_team", table_name="team_projects")
    op.drop_table("team_projects")
    op.drop_table("teams")
    op.drop_table("config_values")
