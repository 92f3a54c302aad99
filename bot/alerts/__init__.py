"""Governance alerts: rules that find conditions, a ledger that sends each one once.

`rules` is pure (figures in, conditions out, types in `conditions`); `ledger` records every
alert before it is sent, so a crash or a Slack failure leaves it pending rather than lost or
doubled; `service` gathers the figures, runs both and posts.
"""

from __future__ import annotations

from ..core.alerts.conditions import AlertInputs, Assessment, BreakEvenSummary, Condition
from ..core.alerts.rules import assess, evaluate

__all__ = ["AlertInputs", "Assessment", "BreakEvenSummary", "Condition", "assess", "evaluate"]
