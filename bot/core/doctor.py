"""What `aicost doctor` found, one check a line: plain values, no Slack, no database.

Each check is one thing a user can fix in one step (a setting, a scope, an invitation), so a
failing start says what to do instead of failing later at the first digest or sync.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

__all__ = [
    "Check",
    "DoctorReport",
    "failed",
    "missing_scopes",
    "passed",
]


@dataclass(frozen=True, slots=True)
class Check:
    """One line: what was checked, whether it is right, and what was found or what to fix."""

    name: str
    ok: bool
    detail: str


def passed(name: str, detail: str) -> Check:
    return Check(name, True, detail)


def failed(name: str, fix: str) -> Check:
    return Check(name, False, fix)


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """Every check, in the order they ran; all right only when each one is."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "checks": [asdict(check) for check in self.checks]}


def missing_scopes(granted: str | None, needed: Iterable[str]) -> list[str]:
    """The needed scopes that the comma-separated `x-oauth-scopes` header does not list."""
    have = {scope.strip() for scope in (granted or "").split(",") if scope.strip()}
    return [scope for scope in needed if scope not in have]
