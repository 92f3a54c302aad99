"""Settings stored in the database (set from Slack or `aicost config set`): they win over the
environment until removed. One row per setting, under its environment variable's name.

Every change carries its audit entries and commits with them, so a stored value never exists
without the record of who set it; a Slack request's key rides on the first entry, so of two
copies of one submission one commits and the other rolls back whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from ..core.records import AuditEntry
from .audit import add_audit
from .models import ConfigValueRow

__all__ = ["ConfigValues", "StoredValue"]


@dataclass(frozen=True, slots=True)
class StoredValue:
    name: str
    value: str
    set_by: str  # slack:U123 or cli
    set_at: datetime


class ConfigValues:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def values(self) -> dict[str, str]:
        """{name: value} of every stored setting: one small read, asked per answer."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(ConfigValueRow.name, ConfigValueRow.value))
            return {name: value for name, value in rows}

    def stored(self) -> dict[str, StoredValue]:
        """Every stored setting with who set it and when."""
        with Session(self.engine) as session:
            return {
                r.name: StoredValue(r.name, r.value, r.set_by, r.set_at)
                for r in session.scalars(select(ConfigValueRow))
            }

    def change(
        self,
        values: Mapping[str, str | None],
        *,
        by: str,
        at: datetime,
        audit: Sequence[AuditEntry] = (),
    ) -> None:
        """Store each value (None: remove it, so the environment is in force again) and write
        `audit`, all in one transaction."""
        with Session(self.engine) as session, session.begin():
            for name, value in values.items():
                if value is None:
                    session.execute(delete(ConfigValueRow).where(ConfigValueRow.name == name))
                    continue
                row = session.get(ConfigValueRow, name)
                if row is None:
                    session.add(ConfigValueRow(name=name, value=value, set_by=by, set_at=at))
                else:
                    row.value, row.set_by, row.set_at = value, by, at
            for entry in audit:
                add_audit(session, entry)
