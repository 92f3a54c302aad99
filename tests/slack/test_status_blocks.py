"""The `/aicost status` Block Kit rendering, and the one place that knows Slack's limits.

Reports are built with the real `build_status` from hand-made daily rows, so these tests pin
what a person sees for known figures, and that no report, however odd, breaks Slack's limits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import Block

from bot.core.records import DailySpend, SyncRecord
from bot.core.status import StatusReport, build_status
from bot.render.limits import MAX_BLOCKS, MAX_SECTION_TEXT
from bot.render.status_blocks import status_blocks, status_fallback
from bot.slack.blocks import check_blocks
from tests.fakes.slack_api import block_texts

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
SYNCED = datetime(2026, 11, 15, 10, 0, tzinfo=UTC)


def _synced(provider: str, *, ok: bool = True, message: str = "ok") -> SyncRecord:
    return SyncRecord(provider, SYNCED - timedelta(minutes=1), SYNCED, date(2026, 10, 1),
                      date(2026, 11, 15), ok, message)  # fmt: skip


def _report(budget: Decimal | None = None) -> StatusReport:
    """October $1,234.565 in all, November so far $1,233.835: both round half up."""
    daily = [
        DailySpend("openai", date(2026, 10, 1), Decimal("1000.00")),
        DailySpend("anthropic", date(2026, 10, 20), Decimal("234.565")),
        DailySpend("openai", date(2026, 11, 3), Decimal("1200.50")),
        DailySpend("anthropic", date(2026, 11, 10), Decimal("33.335")),
    ]
    fetched = {
        (p, date(2026, 11, d)): SYNCED for p in ("openai", "anthropic") for d in range(1, 15)
    }
    return build_status(
        daily,
        now=NOW,
        tz=ZoneInfo("UTC"),
        providers=["openai", "anthropic"],
        fetched_at=fetched,
        last_success={p: _synced(p) for p in ("openai", "anthropic")},
        last_runs={p: _synced(p) for p in ("openai", "anthropic")},
        budget_usd=budget,
    )


def _assert_sendable(blocks: list[dict[str, Any]]) -> None:
    """Our limits check and slack_sdk's own block models both accept the blocks."""
    assert check_blocks(blocks) == []
    for block in blocks:
        Block.parse(block).validate_json()  # raises SlackObjectFormationError if invalid


def test_status_blocks_are_sendable() -> None:
    _assert_sendable(status_blocks(_report(Decimal("5000"))))


def test_blocks_show_the_reports_figures() -> None:
    blocks = status_blocks(_report())
    shown = block_texts(blocks)
    assert blocks[0]["type"] == "header"
    assert "November 2026" in blocks[0]["text"]["text"]
    assert "$1,233.84" in shown  # month to date
    assert "$1,234.57" in shown  # previous month
    lines = shown.splitlines()
    assert any("openai" in ln and "$1,200.50" in ln and "$1,000.00" in ln for ln in lines)
    assert any("anthropic" in ln and "$33.34" in ln and "$234.57" in ln for ln in lines)


def test_fallback_text_carries_the_headline_figures() -> None:
    text = status_fallback(_report())
    assert "November 2026" in text
    assert "$1,233.84" in text
    assert "$1,234.57" in text


def test_budget_is_shown_only_when_set() -> None:
    with_budget = block_texts(status_blocks(_report(Decimal("5000"))))
    without = block_texts(status_blocks(_report()))
    assert "*Budget*" in with_budget
    assert "$5,000.00" in with_budget
    assert "*Budget*" not in without


def test_report_without_data_renders_with_guidance() -> None:
    report = build_status([], now=NOW, tz=ZoneInfo("Europe/Berlin"))
    blocks = status_blocks(report)
    _assert_sendable(blocks)
    shown = block_texts(blocks)
    assert "$0.00" not in shown  # nothing synced is not $0 spent
    assert "no data synced for this month yet" in shown
    assert "aicost sync" in shown  # tells the reader how to get data in
    assert status_fallback(report).startswith("AI spend November 2026: - month to date")


def test_oversized_report_is_clipped_to_slacks_limits() -> None:
    names = [f"provider-{n:03d}-{'x' * 40}" for n in range(300)]
    daily = [DailySpend(name, date(2026, 11, 2), Decimal("1")) for name in names]
    failure = "connection reset " * 400  # a very long error message from the last sync
    report = build_status(
        daily,
        now=NOW,
        tz=ZoneInfo("UTC"),
        last_success={name: _synced(name) for name in names[:20]},
        last_runs={name: _synced(name, ok=False, message=failure) for name in names[:20]},
    )
    blocks = status_blocks(report)
    _assert_sendable(blocks)
    assert "provider-000" in block_texts(blocks)


# --- check_blocks itself -------------------------------------------------------------------
def _section(chars: int) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": "a" * chars}}


def test_check_blocks_accepts_blocks_at_the_limits() -> None:
    assert check_blocks([_section(MAX_SECTION_TEXT)] * MAX_BLOCKS) == []


def test_check_blocks_counts_blocks() -> None:
    problems = check_blocks([_section(10)] * (MAX_BLOCKS + 1))
    assert problems == [f"{MAX_BLOCKS + 1} blocks (max {MAX_BLOCKS})"]


def test_check_blocks_measures_section_text() -> None:
    problems = check_blocks([_section(10), _section(MAX_SECTION_TEXT + 1)])
    assert len(problems) == 1
    assert problems[0].startswith("block 1:")
    assert f"cannot exceed {MAX_SECTION_TEXT} characters" in problems[0]  # slack_sdk's words


@pytest.mark.parametrize(
    "block",
    [
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11},
    ],
    ids=["header-151", "11-fields", "field-2001", "11-context-elements"],
)
def test_check_blocks_catches_what_slack_would_refuse(block: dict[str, Any]) -> None:
    assert len(check_blocks([block])) == 1
