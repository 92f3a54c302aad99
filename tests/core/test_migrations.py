"""Migrations: the migrated schema is exactly the models, and every step can be undone.

Every command migrates before it runs, so a migration that drifts from the models or cannot be
reversed would surface on a user's production database first. Both checks run on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from billing_adapters import CostLine, FetchResult
from bot.core.money import to_nanos
from bot.db.engine import HEAD, alembic_config, connect, upgrade
from bot.db.models import Base
from bot.db.store import SpendStore
from tests.fill_store import swap_in


def migrate(engine: sa.Engine, step: Callable[..., None], revision: str) -> None:
    """Run alembic's upgrade or downgrade to `revision` on engine, as `aicost db` would."""
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        step(config, revision)


def test_the_migrated_schema_matches_the_models(empty_database_url: str) -> None:
    engine = connect(empty_database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_every_migration_downgrades_and_upgrades_again(empty_database_url: str) -> None:
    engine = connect(empty_database_url)
    try:
        migrate(engine, command.downgrade, "base")
        assert sa.inspect(engine).get_table_names() == ["alembic_version"]
        upgrade(engine)
        tables = set(sa.inspect(engine).get_table_names())
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
    finally:
        engine.dispose()


def test_head_read_from_the_file_names_is_alembics_head() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_connecting_brings_a_database_behind_head_up_to_date(empty_database_url: str) -> None:
    """connect() skips alembic only at HEAD: one revision behind, it still migrates."""
    engine = connect(empty_database_url)
    migrate(engine, command.downgrade, "-1")
    engine.dispose()
    engine = connect(empty_database_url)
    try:
        with engine.connect() as connection:
            version = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == HEAD
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_rekeying_cost_lines_keeps_every_row(empty_database_url: str) -> None:
    """0008 rebuilds cost_lines with a new key; its rows must come through both ways exactly."""
    engine = connect(empty_database_url)
    days = [date(2026, 11, 1) + timedelta(days=n) for n in range(5)]
    lines = [
        CostLine("openai", day, f"proj_{p}", item, Decimal(f"{n}.{p}00000001"), "gpt-4o")
        for n, day in enumerate(days)
        for p in range(3)
        for item in ("gpt-4o, input", "gpt-4o, output")
    ]
    swap_in(
        SpendStore(engine),
        FetchResult("openai", days=set(days), costs=lines),
        fetched_at=datetime(2026, 11, 6, tzinfo=UTC),
    )
    count_and_sum = sa.text("SELECT COUNT(*), SUM(amount_nanos) FROM cost_lines")
    try:
        with engine.connect() as connection:
            before = connection.execute(count_and_sum).one()
        assert before == (30, sum(to_nanos(line.amount) for line in lines))
        migrate(engine, command.downgrade, "0007")
        assert "id" in {c["name"] for c in sa.inspect(engine).get_columns("cost_lines")}
        with engine.connect() as connection:
            assert connection.execute(count_and_sum).one() == before
        upgrade(engine)
        key = sa.inspect(engine).get_pk_constraint("cost_lines")["constrained_columns"]
        assert key == ["day", "provider", "project", "line_item"]
        with engine.connect() as connection:
            assert connection.execute(count_and_sum).one() == before
    finally:
        engine.dispose()


def test_project_days_are_filled_from_the_stored_cost_lines(empty_database_url: str) -> None:
    """0018 adds per-project daily totals; a database synced before it gets them from its cost
    lines, equal to what a sync would write (here: what the swap wrote, dropped and rebuilt)."""
    engine = connect(empty_database_url)
    days = [date(2026, 11, 1), date(2026, 11, 2)]
    lines = [
        CostLine("openai", day, project, item, Decimal(f"{n}.123456789"))
        for n, day in enumerate(days, start=1)
        for project in ("proj_a", "")
        for item in ("gpt-4o, input", "gpt-4o, output")
    ]
    swap_in(
        SpendStore(engine),
        FetchResult("openai", days=set(days), costs=lines),
        fetched_at=datetime(2026, 11, 6, tzinfo=UTC),
    )
    rows = sa.text("SELECT day, provider, project, amount_nanos, currency FROM project_days")
    try:
        with engine.connect() as connection:
            written = sorted(connection.execute(rows).all())
        assert len(written) == 4 and written[0][3] == 2 * to_nanos(Decimal("1.123456789"))
        migrate(engine, command.downgrade, "0017")
        upgrade(engine)
        with engine.connect() as connection:
            assert sorted(connection.execute(rows).all()) == written
    finally:
        engine.dispose()
