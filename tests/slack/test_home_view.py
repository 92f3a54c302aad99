"""The App Home view, drawn from results: what a person reads for known figures and alerts,
that nothing synced is said as such, and that no Home, however many alerts, breaks Slack's
limits for a view. Reports come from the real `build_status` over hand-made daily rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.core.breakeven.sensitivity import Sensitivity, Swing
from bot.core.breakeven_report import BreakEvenSummary
from bot.core.home import HomeAlert, HomeFacts
from bot.core.records import DailySpend, SyncRecord
from bot.core.status import StatusReport, build_status
from bot.render.home_view import MAX_HOME_ALERTS, NOTHING_SYNCED, alert_state, home_view
from bot.render.limits import MAX_VIEW_BLOCKS
from bot.slack.blocks import check_blocks
from tests.fakes.slack_api import block_texts

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
SYNCED = datetime(2026, 11, 15, 10, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
PROVIDERS = ("openai", "anthropic")


def _synced(provider: str) -> SyncRecord:
    return SyncRecord(provider, SYNCED - timedelta(minutes=1), SYNCED, date(2026, 10, 1),
                      date(2026, 11, 15), True, "ok")  # fmt: skip


def _report(*, synced: bool = True) -> StatusReport:
    """November so far: openai $300, anthropic $100 (75 % and 25 %); 1-12 Nov synced, so
    13 and 14 Nov are missing."""
    daily = [
        DailySpend("openai", date(2026, 11, 3), Decimal("300")),
        DailySpend("anthropic", date(2026, 11, 10), Decimal("100")),
    ]
    fetched = {(p, date(2026, 11, d)): SYNCED for p in PROVIDERS for d in range(1, 13)}
    return build_status(
        daily if synced else [],
        now=NOW,
        tz=UTC_ZONE,
        providers=PROVIDERS,
        fetched_at=fetched if synced else {},
        last_success={p: _synced(p) for p in PROVIDERS} if synced else {},
        last_runs={p: _synced(p) for p in PROVIDERS} if synced else {},
        budget_usd=Decimal(1000),
    )


def _alert(n: int = 1, **changes: object) -> HomeAlert:
    fields: dict[str, object] = {
        "key": f"budget:{n}:2026-11",
        "kind": "budget",
        "title": f"80 % of the November budget used ({n})",
        "severity": "warning",
        "first_seen_at": NOW - timedelta(hours=3),
        "cleared": False,
        "delivered_at": NOW - timedelta(hours=2),
        **changes,
    }
    return HomeAlert(**fields)  # type: ignore[arg-type]


SUMMARY = BreakEvenSummary(
    "2xh100-rent-70b",
    Decimal(8000),
    Decimal(25000),
    False,
    None,
    sensitivity=Sensitivity(
        pays_off=False,
        swings=(
            Swing(
                "gpu_hour_usd",
                Decimal("2.5"),
                Decimal(1),
                Decimal(4),
                "list prices",
                Decimal(9000),
                Decimal(40000),
                flips_at=Decimal("1.2"),
                flips_below=True,
            ),
        ),  # fmt: skip
    ),
)


def _texts(view: dict[str, object]) -> str:
    blocks = view["blocks"]
    assert isinstance(blocks, list)
    return block_texts([b for b in blocks if b["type"] != "actions"])


def test_the_home_shows_the_month_shares_freshness_alerts_and_breakeven() -> None:
    facts = HomeFacts(_report(), (_alert(acknowledged_by=("U1", "U2")),), SUMMARY, "")
    view = home_view(facts)
    assert view["type"] == "home"
    assert check_blocks(view["blocks"], max_blocks=MAX_VIEW_BLOCKS) == []
    shown = _texts(view)
    assert "*Month to date*\n$400.00" in shown
    assert "*Budget*\n$1,000.00\n_40 % used" in shown
    assert "• openai: $300.00 this month (75 %)" in shown
    assert "• anthropic: $100.00 this month (25 %)" in shown
    assert "2 days not yet synced (13–14 Nov)" in shown  # missing days named
    assert "Data: openai synced 15 Nov 10:00 UTC (2 h ago)" in shown
    assert "*Open alerts (1)*" in shown
    assert "posted 15 Nov 10:00 UTC; acknowledged by <@U1>, <@U2>" in shown
    assert "breaks even at $25,000.00/month; today's bill $8,000.00/month" in shown
    assert (
        "Self-hosting would pay off if gpu_hour_usd &lt; $1.20 (any one alone" in shown
    )  # mrkdwn-escaped


def test_nothing_synced_says_so_and_how_to_sync() -> None:
    facts = HomeFacts(_report(synced=False), (), None, "unavailable: no billed spend")
    view = home_view(facts)
    assert check_blocks(view["blocks"], max_blocks=MAX_VIEW_BLOCKS) == []
    shown = _texts(view)
    assert NOTHING_SYNCED in shown and "`aicost sync`" in shown
    assert "Data: openai never synced" in shown
    assert "*Month to date*" not in shown  # no dashes dressed up as figures
    assert "Break-even unavailable: no billed spend." in shown
    assert "None open" in shown


def test_each_alert_state_is_said() -> None:
    failing = _alert(delivered_at=None, last_error="ratelimited")
    assert alert_state(failing, UTC_ZONE) == (
        "not posted yet (last attempt failed: ratelimited); not acknowledged"
    )
    snoozed = _alert(cleared=True, snoozed_until=NOW + timedelta(days=7))
    assert alert_state(snoozed, UTC_ZONE) == (
        "posted 15 Nov 10:00 UTC; cleared; the all-clear is still to be posted; "
        "not acknowledged; budget alerts snoozed until 22 Nov 12:00 UTC"
    )
    team = _alert(kind="team-budget", team="ml", snoozed_until=NOW + timedelta(days=1))
    assert alert_state(team, UTC_ZONE).endswith(
        "team budget alerts of team ml snoozed until 16 Nov 12:00 UTC"
    )


def test_many_alerts_stay_within_a_views_limits() -> None:
    alerts = tuple(_alert(n, title="x" * 400, last_error="e" * 600) for n in range(200))
    view = home_view(HomeFacts(_report(), alerts, SUMMARY, ""))
    assert check_blocks(view["blocks"], max_blocks=MAX_VIEW_BLOCKS) == []
    shown = _texts(view)
    assert "*Open alerts (200)*" in shown
    assert f"and {200 - MAX_HOME_ALERTS} more: `aicost alerts` lists every one" in shown
