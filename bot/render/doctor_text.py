"""`aicost doctor` as terminal text: one line a check, ✓ or ✗ and what to fix."""

from __future__ import annotations

from ..core.doctor import Check, DoctorReport

__all__ = ["check_line", "doctor_text"]

PASS = "✓"
FAIL = "✗"


def check_line(check: Check) -> str:
    return f"{PASS if check.ok else FAIL} {check.name}: {check.detail}"


def doctor_text(report: DoctorReport) -> str:
    lines = [check_line(check) for check in report.checks]
    failures = sum(not check.ok for check in report.checks)
    lines.append(
        "All checks passed." if failures == 0 else f"{failures} to fix (each ✗ line says how)."
    )
    return "\n".join(lines)
