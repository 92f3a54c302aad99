"""Changing the stored settings (from Slack or `aicost config set`/`unset`): checked exactly as
the environment's values are, stored and audited in one transaction, once per Slack request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine

from ..core.settable import is_settable, not_settable_reason
from ..db.audit import AuditLog, apply_once, config_entry
from ..db.config_values import ConfigValues
from ..settings import Settings, SettingsError
from .settings_in_force import layered, settings_problems, value_in_force, with_changes

__all__ = ["change_settings", "changes_problems"]

Changes = Mapping[str, str | None]  # {variable: new value, or None to remove the stored one}


def _effective_changes(
    base: Settings, stored: Mapping[str, str], changes: Changes
) -> dict[str, str | None]:
    """The changes that change something: a value equal to the one in force and not stored
    (a modal's untouched field) is not stored, so it keeps coming from the environment."""
    in_force = layered(base, stored)
    real: dict[str, str | None] = {}
    for name, value in changes.items():
        if value is None:
            if name in stored:
                real[name] = None
        elif stored.get(name) != value and (
            name in stored or value_in_force(in_force, name) != value
        ):
            real[name] = value
    return real


def changes_problems(engine: Engine, base: Settings, changes: Changes) -> dict[str, str]:
    """{variable: what is wrong} for these changes over what is stored; {} when all is well."""
    found = {name: not_settable_reason(name) for name in changes if not is_settable(name)}
    for name, value in changes.items():
        if value is not None and not value.strip():
            found.setdefault(name, "empty; to go back to the environment's value, unset it")
    if found:
        return found
    stored = ConfigValues(engine).values()
    return settings_problems(base, with_changes(stored, changes))


def change_settings(
    engine: Engine,
    base: Settings,
    changes: Changes,
    *,
    actor: str,
    at: datetime,
    request: str | None = None,
) -> dict[str, str | None] | None:
    """Store `changes` over the environment and audit each, in one transaction. Returns what
    changed; None when Slack request `request` was applied already (a retry or a replay).
    Raises SettingsError (one line per bad variable) and stores nothing if any is invalid."""
    changes = {name: (None if v is None else v.strip()) for name, v in changes.items()}
    found = changes_problems(engine, base, changes)
    if found:
        raise SettingsError("\n".join(f"{name}: {message}" for name, message in found.items()))
    store = ConfigValues(engine)

    def change() -> dict[str, str | None]:
        stored = store.values()
        after = layered(base, with_changes(stored, changes))  # valid: checked just above
        canonical = {
            n: (None if v is None else value_in_force(after, n)) for n, v in changes.items()
        }
        real = _effective_changes(base, stored, canonical)
        entries = [config_entry(name, value, actor=actor, at=at) for name, value in real.items()]
        if entries and request is not None:
            entries[0] = replace(entries[0], request_key=request)
        store.change(real, by=actor, at=at, audit=entries)
        return real

    return apply_once(AuditLog(engine), request, change)[1]
