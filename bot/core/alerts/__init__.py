"""Governance alerts, the pure part: rules that find conditions in the figures, no storage.

`rules` is figures in, conditions out (types in `conditions`); the ledger that records every
alert before it is sent, so a crash or a Slack failure leaves it pending rather than lost or
doubled, is `bot/db/alerts.py`; `bot/services/alerts.py` gathers the figures, runs both and
posts.
"""

from __future__ import annotations

from ..breakeven_report import BreakEvenSummary
from .conditions import AlertInputs, Assessment, Condition
from .rules import assess, evaluate

__all__ = ["AlertInputs", "Assessment", "BreakEvenSummary", "Condition", "assess", "evaluate"]
