"""What configuration is in force, and where each value came from.

A lead who asks "why is the budget 12,000?" needs to know whether that is the environment, the
`.env` file, aicost's default or a value stored from Slack (who, when) or `aicost config set`,
without reading any of them. Secrets are never shown, only whether
they are set; the database URL is shown without its password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values
from pydantic import SecretStr

from .db.audit import CLI_ACTOR
from .db.config_values import StoredValue
from .db.credentials import without_password
from .settings import Settings

__all__ = ["ConfigLine", "config_in_force", "stored_source"]

ENVIRONMENT, DOTENV, DEFAULT = "environment", ".env", "default"


@dataclass(frozen=True, slots=True)
class ConfigLine:
    name: str  # the variable, as the README's settings table names it
    value: str  # as in force; secrets only "set" or "unset"
    source: str  # environment, .env, default, "slack (U123, 2026-12-07)" or cli


def _shown(value: object, name: str) -> str:
    if isinstance(value, SecretStr):
        return "set (hidden)"
    if value is None:
        return "unset"
    if name == "DATABASE_URL":
        return without_password(str(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def stored_source(stored: StoredValue) -> str:
    """Where a stored value came from: `slack (U123, 2026-12-07)` or `cli`."""
    if stored.set_by == CLI_ACTOR:
        return "cli"
    who = stored.set_by.removeprefix("slack:")
    return f"slack ({who}, {stored.set_at:%Y-%m-%d})"


def config_in_force(
    settings: Settings,
    environ: Mapping[str, str],
    env_file: Path = Path(".env"),
    *,
    stored: Mapping[str, StoredValue] | None = None,
) -> list[ConfigLine]:
    """Every setting with its value and source, in the order Settings declares them. Variables
    are matched case-insensitively, as Settings reads them; an empty value counts as unset
    (Settings ignores it), so it is not reported as coming from anywhere. A value stored from
    Slack or the CLI names who set it, where it is the one in force (a stored value that no
    longer fits the rest is ignored, and the log says so)."""
    stored = stored or {}
    in_env = {k.upper() for k, v in environ.items() if v != ""}
    from_file = (
        {k.upper() for k, v in dotenv_values(env_file).items() if v}
        if env_file.is_file()
        else set()
    )
    lines = []
    for field, info in Settings.model_fields.items():
        name = info.alias or field.upper()
        value = _shown(getattr(settings, field), name)
        kept = stored.get(name)
        if kept is not None and kept.value == value:
            source = stored_source(kept)
        elif name.upper() in in_env:
            source = ENVIRONMENT
        elif name.upper() in from_file:
            source = DOTENV
        else:
            source = DEFAULT
        lines.append(ConfigLine(name, value, source))
    return lines
