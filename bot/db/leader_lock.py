"""Which `aicost serve` runs the scheduler: a PostgreSQL advisory lock held on its own connection.

A session-level `pg_try_advisory_lock` belongs to one database connection and is released when
that connection ends, however it ends (the process killed, the machine gone, the backend
terminated): so the first process to take it leads, the others ask again on each tick, and one
of them takes over once the leader's connection is gone. The lock lives on a dedicated,
unpooled connection (a pooled one would hand the lock to whatever borrowed it next), with TCP
keepalives on both ends so a leader that vanished without closing its socket is noticed in
about a minute rather than after the kernel's two hours. A transaction-pooling PgBouncer
between aicost and PostgreSQL breaks session locks: point DATABASE_URL at PostgreSQL itself.

SQLite has no such lock, and needs none: it is the single-process default, so the one process
always leads (`SingleProcess`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from typing import Protocol

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

__all__ = [
    "LOCK_KEY",
    "LOCK_OWNER_PREFIX",
    "AdvisoryLock",
    "Leadership",
    "SingleProcess",
    "leadership_for",
    "lock_holder",
]

# One bigint naming the lock (advisory locks are per database, so two deployments on two
# databases never meet): "aicostsc" read as ASCII.
LOCK_KEY = int.from_bytes(b"aicostsc", "big") & 0x7FFF_FFFF_FFFF_FFFF
# The lock connection's application_name, so `pg_stat_activity` shows who leads.
LOCK_OWNER_PREFIX = "aicost scheduler"
# Seconds: a leader's socket that went silent is given up after idle + interval * count.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10}
KEEPALIVES_COUNT = 3
CONNECT_TIMEOUT_SECONDS = 10

log = logging.getLogger("aicost.scheduler")


class Leadership(Protocol):
    """Whether this process may run the scheduled jobs now."""

    def lead(self) -> bool:
        """Take or keep the lead; False means another process has it (or it was just lost)."""
        ...

    def release(self) -> None:
        """Give up the lead, if held."""
        ...


class SingleProcess:
    """SQLite: the one process always leads."""

    def lead(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLock:
    """The scheduler's lock on PostgreSQL, held by at most one process at a time.

    `lead()` is called before each scheduler tick: while held, it checks that the lock's
    connection still answers and still holds the lock (a leader whose connection died must
    stop running jobs: by then another process may have taken over); while not, it tries to
    take it. Thread-safe: the tick and `release` at exit may overlap.
    """

    def __init__(self, engine: Engine, *, key: int = LOCK_KEY) -> None:
        owner = f"{LOCK_OWNER_PREFIX} {socket.gethostname()}:{os.getpid()}"[:63]
        self._engine = create_engine(
            engine.url,
            poolclass=NullPool,
            connect_args={
                **KEEPALIVES,
                "keepalives_count": KEEPALIVES_COUNT,
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "application_name": owner,
            },
        )
        self._key = key
        self._connection: Connection | None = None
        self._guard = threading.Lock()

    def lead(self) -> bool:
        with self._guard:
            if self._connection is not None:
                if self._still_held(self._connection):
                    return True
                log.warning("scheduler: lost the lock's database connection; standing by")
                self._close()
            return self._try_take()

    def release(self) -> None:
        with self._guard:
            if self._connection is not None:
                # If this fails the connection is going anyway, and the lock with it.
                with contextlib.suppress(SQLAlchemyError):
                    self._connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": self._key}
                    )
                self._close()
        self._engine.dispose()

    def _try_take(self) -> bool:
        try:
            connection = self._engine.connect()
        except SQLAlchemyError as exc:
            log.warning("scheduler: cannot reach the database to take the lock: %s", _reason(exc))
            return False
        try:
            # Ends a silent client on the server side too (these are per-session settings).
            connection.execute(text("SET tcp_keepalives_idle = 30"))
            connection.execute(text("SET tcp_keepalives_interval = 10"))
            connection.execute(text(f"SET tcp_keepalives_count = {KEEPALIVES_COUNT}"))
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
            ).scalar()
            connection.commit()  # a session lock outlives the transaction; nothing is left open
        except SQLAlchemyError as exc:
            log.warning("scheduler: could not ask for the lock: %s", _reason(exc))
            connection.close()
            return False
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def _still_held(self, connection: Connection) -> bool:
        try:
            held = connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = pg_backend_pid() AND objsubid = 1 "
                    "AND ((classid::bigint << 32) | objid::bigint) = :key"
                ),
                {"key": self._key},
            ).scalar()
            connection.commit()
        except SQLAlchemyError:
            return False
        return bool(held)

    def _close(self) -> None:
        assert self._connection is not None
        with contextlib.suppress(SQLAlchemyError):
            self._connection.close()
        self._connection = None


def leadership_for(engine: Engine) -> Leadership:
    """An advisory lock on PostgreSQL; on SQLite (one process by design) always the leader."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    return SingleProcess()


def lock_holder(engine: Engine, *, key: int = LOCK_KEY) -> str | None:
    """Who holds the scheduler's lock now (its connection's application_name, which names the
    host and process id), or None when no process does. PostgreSQL only."""
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT a.application_name, l.pid FROM pg_locks l "
                "LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND ((l.classid::bigint << 32) | l.objid::bigint) = :key"
            ),
            {"key": key},
        ).first()
    if row is None:
        return None
    name, pid = row
    return name or f"backend pid {pid}"


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's first line, without the SQL or the URL (which may carry a password)."""
    return str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
