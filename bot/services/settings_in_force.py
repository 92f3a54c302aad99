"""The settings in force: the environment's (or `.env`'s, or the default), with the values
stored from Slack or `aicost config set` on top.

A running `serve` asks `LiveSettings.current()` for every answer and every scheduler job: one
small read of the stored values (a handful of rows), and the settings are validated again only
when those changed. So a budget set in Slack is in force at the next answer, in this process
and in every other replica, without a restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..core.settable import SETTABLE
from ..db.config_values import ConfigValues, StoredValue
from ..db.engine import connect, normalize_url
from ..errors import AicostError
from ..settings import Settings, problems

__all__ = [
    "LiveSettings",
    "Snapshot",
    "layered",
    "read_stored",
    "settings_problems",
    "value_in_force",
    "with_changes",
    "with_stored",
]

log = logging.getLogger("aicost.settings")


def _by_name(settings: Settings) -> dict[str, object]:
    fields = Settings.model_fields.items()
    return {info.alias or field: getattr(settings, field) for field, info in fields}


def value_in_force(settings: Settings, name: str) -> str:
    """The variable's value in force as text, as a stored value would say it ("" for unset)."""
    for field, info in Settings.model_fields.items():
        if info.alias == name:
            value = getattr(settings, field)
            return "" if value is None else str(value)
    raise KeyError(name)


def settings_problems(base: Settings, stored: Mapping[str, str]) -> dict[str, str]:
    """{variable: what is wrong} if `stored` over `base` is not valid as the environment's
    values would be checked; {} when it is."""
    try:
        Settings.model_validate({**_by_name(base), **stored})
    except ValidationError as exc:
        return problems(exc)
    return {}


def layered(base: Settings, stored: Mapping[str, str]) -> Settings:
    """`base` with the stored values on top, validated as the environment's are. A stored value
    that no longer fits (the environment changed under it) is left out, and said in the log,
    so a bad row can never stop aicost; only settable names are ever applied."""
    usable = {name: value for name, value in stored.items() if name in SETTABLE}
    while True:
        try:
            return Settings.model_validate({**_by_name(base), **usable})
        except ValidationError as exc:
            found = problems(exc)
        bad = [name for name in found if name in usable] or list(usable)
        for name in bad:
            log.warning(
                "stored setting %s ignored: %s", name, found.get(name, "does not fit the rest")
            )
            usable.pop(name)
        if not usable:
            return base


@dataclass(frozen=True, slots=True)
class Snapshot:
    settings: Settings
    version: Hashable  # changes whenever the stored values do (answer cache keys carry it)


class LiveSettings:
    """The settings in force for a long-running process, re-read from the database per ask."""

    def __init__(
        self,
        base: Settings,
        engine: Engine,
        *,
        on_change: Callable[[Settings], None] | None = None,
    ) -> None:
        self.base, self.engine, self.on_change = base, engine, on_change
        self._lock = threading.Lock()
        self._snapshot = Snapshot(base, ())

    def snapshot(self) -> Snapshot:
        """The settings in force now and their version: one small read of the stored values."""
        try:
            stored = ConfigValues(self.engine).values()
        except Exception:  # noqa: BLE001 - a read that fails answers with the last known values
            log.exception("stored settings could not be read; using the last known")
            return self._snapshot
        version = tuple(sorted(stored.items()))
        with self._lock:
            if version == self._snapshot.version:
                return self._snapshot
            snapshot = Snapshot(layered(self.base, stored), version)
            self._snapshot = snapshot
        if self.on_change is not None:
            self.on_change(snapshot.settings)
        return snapshot

    def current(self) -> Settings:
        return self.snapshot().settings

    def last_read(self) -> Settings:
        """The settings as last read, without reading: for an ack, which does no database work
        (the answer behind it reads them afresh)."""
        return self._snapshot.settings

    def check(self, changes: Mapping[str, str | None]) -> dict[str, str]:
        """What would be wrong with these changes ({} if nothing): each value checked exactly
        as the environment's would be, together with the other stored values."""
        stored = ConfigValues(self.engine).values()
        return settings_problems(self.base, with_changes(stored, changes))


def with_changes(stored: Mapping[str, str], changes: Mapping[str, str | None]) -> dict[str, str]:
    """The stored values after `changes` (None: removed)."""
    after = dict(stored)
    for name, value in changes.items():
        if value is None:
            after.pop(name, None)
        else:
            after[name] = value
    return after


def read_stored(settings: Settings) -> tuple[dict[str, StoredValue], str]:
    """The stored settings at DATABASE_URL, read without migrating it (a database not migrated
    yet, or one that does not exist, has none); and what went wrong reading them, or ""."""
    try:
        url = make_url(normalize_url(settings.database_url))
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
            return {}, ""  # never create a database just to learn it holds nothing
        engine = connect(settings.database_url, migrate=False)
    except (AicostError, SQLAlchemyError) as exc:
        return {}, str(exc).splitlines()[0]
    try:
        return ConfigValues(engine).stored(), ""
    except SQLAlchemyError as exc:
        missing = "config_values" in str(exc) or "no such table" in str(exc)
        return {}, "" if missing else type(exc).__name__
    finally:
        engine.dispose()


def with_stored(settings: Settings) -> Settings:
    """`settings` with the stored values on top, for a command run once (the CLI)."""
    stored, _ = read_stored(settings)
    return layered(settings, {name: s.value for name, s in stored.items()})
