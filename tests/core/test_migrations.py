"""Migrations: the migrated schema is exactly the models, and every step can be undone.

Every command migrates before it runs, so a migration that drifts from the models or cannot be
reversed would surface on a user's production database first. Both checks run on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.db.engine import alembic_config, connect, upgrade
from bot.db.models import Base


def migrate(engine: sa.Engine, step: Callable[..., None], revision: str) -> None:
    """Run alembic's upgrade or downgrade to `revision` on engine, as `aicost db` would."""
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        step(config, revision)


def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = connect(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_every_migration_downgrades_and_upgrades_again(database_url: str) -> None:
    engine = connect(database_url)
    try:
        migrate(engine, command.downgrade, "base")
        assert sa.inspect(engine).get_table_names() == ["alembic_version"]
        upgrade(engine)
        tables = set(sa.inspect(engine).get_table_names())
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
    finally:
        engine.dispose()
