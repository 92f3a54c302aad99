"""Engines for the configured DATABASE_URL, with the schema migrated before first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from ..errors import AicostError
from .credentials import quote_password

__all__ = [
    "HEAD",
    "DatabaseURLError",
    "connect",
    "connected",
    "current_revision",
    "normalize_url",
    "upgrade",
]

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration, read from the file names (NNNN_what.py, revision "NNNN"; a test holds
# this to alembic's own head): a database already there is used without loading alembic.
HEAD = max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))
SUPPORTED = ("sqlite", "postgresql")
# Replicas started together on a new PostgreSQL database would each run the migrations; the
# first takes this lock for its migration's transaction, the others wait and find it done.
MIGRATION_LOCK_KEY = int.from_bytes(b"aicostmg", "big") & 0x7FFF_FFFF_FFFF_FFFF


class DatabaseURLError(AicostError, ValueError):
    pass


def normalize_url(url: str) -> str:
    """Point postgres URLs at the psycopg 3 driver we install (Heroku-style postgres:// too),
    with an "@" in the password encoded so that it is read as the password."""
    url = quote_password(url)
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def connect(url: str, *, migrate: bool = True) -> Engine:
    """An engine for url; by default the schema is brought up to date first."""
    try:
        parsed = make_url(normalize_url(url))
    except ArgumentError:
        raise DatabaseURLError(
            "DATABASE_URL: not a database URL (e.g. sqlite:///aicost.db)"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise DatabaseURLError(
            f"DATABASE_URL: {backend!r} is not supported; use sqlite:///path/to/aicost.db "
            "or postgresql://user:password@host/dbname (psycopg 3, installed with aicost)"
        )
    try:
        engine = create_engine(parsed, pool_pre_ping=True)
    except (ImportError, ArgumentError) as exc:
        raise DatabaseURLError(
            f"DATABASE_URL: the {parsed.drivername!r} driver is not available "
            f"({exc.__class__.__name__}); use sqlite:/// or postgresql://"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate and _revision(engine) != HEAD:
        upgrade(engine)
    return engine


@contextmanager
def connected(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection for one read: `bind` itself when it is one (a question asking several
    queries through one, see SpendStore.reading), else one of the engine's pool. Plain Core
    rows: an ORM session costs more than a small query does."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as connection:
        yield connection


def _revision(engine: Engine) -> str | None:
    """The schema's migration revision, or None where there is none yet.

    Every command connects; alembic's upgrade, with its templates, took 0.16 s of each
    `aicost status` (profiled), to learn that nothing needed doing.
    """
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is migrated to (None: never migrated), for `aicost doctor`.

    Unlike the lookup at connect, a database that cannot be reached raises rather than reads as
    unmigrated: "run the migrations" would be the wrong advice for a wrong password.
    """
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # WAL lets `aicost serve` read while a sync writes; the timeout waits out a writer.
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def alembic_config() -> Any:
    # Imported here: alembic costs a quarter of a second, and `aicost --help` never migrates.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to revision on engine (what `aicost db upgrade` runs)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
