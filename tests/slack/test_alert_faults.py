"""A failing break-even does not stop the budget alerts: they are posted, the failure is named.

The loopback Slack stand-in and the real ledger on SQLite, as in test_alert_posting.py; the one
thing planted is the fault itself: the break-even answer raising as a bug in it would.
"""

from __future__ import annotations

import logging
from decimal import InvalidOperation

import pytest

import bot.services.alerts
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.test_alert_posting import EXPECTED, database, delivered, run, titles

__all__ = ["database"]  # the fixture, shared with test_alert_posting.py


def test_a_failing_breakeven_still_posts_the_budget_alerts(
    database: str,
    slack_api: FakeSlackAPI,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack_api.clear()

    def broken(*args: object, **kwargs: object) -> None:
        raise InvalidOperation([InvalidOperation])

    monkeypatch.setattr(bot.services.alerts, "answer_breakeven", broken)
    with caplog.at_level(logging.ERROR, logger="aicost.alerts"):
        result = run(database, slack_api.url)

    assert result.posted == EXPECTED and result.errors == []
    budget_title, projection_title = titles(delivered(slack_api))
    assert budget_title == ":warning: 81 % of the November budget used (19 % left)"
    assert projection_title.startswith(":warning: Projected to exceed the November budget: $")
    why = "InvalidOperation: [<class 'decimal.InvalidOperation'>]"
    assert result.failed == [f"break-even rules not evaluated: {why}"]
    assert result.as_dict()["failed_rules"] == result.failed
    assert [r.getMessage() for r in caplog.records] == [
        f"alert rule break-even could not be evaluated: {why}"
    ]
