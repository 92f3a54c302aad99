"""Digest cadences and the month-close report, on real databases, with `now` passed in.

Every moment here is explicit (no test depends on the date it runs): the daily and monthly
digests post once per period per channel; the month-close report for October 2026 waits for
Anthropic's 31-day revision window (final at 2 Dec 00:00 UTC) and then says, to the cent,
what the providers revised after the month ended.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from billing_adapters import CostLine, FetchResult
from bot.core.digest_period import parse_cadence, period_for
from bot.db.store import SpendStore
from bot.render.digest_render import headline
from bot.render.month_close_render import month_close_lines
from bot.services.digest_posting import ALREADY_POSTED, POSTED, run_digest
from bot.services.month_close import build_month_close, post_month_closes
from bot.settings import load_settings
from bot.slack.poster import SlackPoster
from tests.fakes.slack_api import FakeSlackAPI
from tests.fill_store import swap_in

TUESDAY = datetime(2026, 12, 1, 10, tzinfo=UTC)


def fill(store: SpendStore, provider: str, amounts: dict[date, str], at: datetime) -> None:
    costs = [CostLine(provider, d, "", "usage", Decimal(a), "m") for d, a in amounts.items()]
    swap_in(store, FetchResult(provider, days=set(amounts), costs=costs), fetched_at=at)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_periods_and_the_per_channel_setting() -> None:
    daily = period_for("daily", date(2026, 12, 1))
    assert (daily.start, daily.previous_start) == (date(2026, 11, 30), date(2026, 11, 23))
    monthly = period_for("monthly", date(2026, 1, 1))
    assert (monthly.start, monthly.end) == (date(2025, 12, 1), date(2025, 12, 31))
    assert (monthly.previous_start, monthly.previous_end) == (date(2025, 11, 1), date(2025, 11, 30))
    assert parse_cadence("C1=daily, C2=monthly", "C0") == {
        "C0": "weekly",
        "C1": "daily",
        "C2": "monthly",
    }
    assert parse_cadence("daily", "C0") == {"C0": "daily"} and parse_cadence("", None) == {}


def test_daily_and_monthly_post_once_per_period_per_channel(
    store: SpendStore, database_url: str
) -> None:
    fill(store, "openai", {d: "1.50" for d in days(date(2026, 9, 1), date(2026, 12, 1))}, TUESDAY)
    config = load_settings(
        DATABASE_URL=database_url,
        AICOST_TIMEZONE="UTC",
        SLACK_BOT_TOKEN="xoxb-test",
        AICOST_DIGEST_CADENCE="C1=daily, C2=monthly",
    )
    with FakeSlackAPI() as api:
        poster = SlackPoster(token="xoxb-test", base_url=api.url)

        def run(kind: str, channel: str, now: datetime) -> str:
            return run_digest(
                store,
                config,
                now=now,
                poster=poster,
                post=True,
                chart_path=None,
                kind=kind,
                channel=channel,
            ).outcome

        assert run("daily", "C1", TUESDAY) == POSTED  # Mon 30 Nov
        assert run("daily", "C1", TUESDAY + timedelta(hours=8)) == ALREADY_POSTED
        assert run("daily", "C2", TUESDAY) == POSTED  # another channel, its own key
        assert run("daily", "C1", TUESDAY + timedelta(days=1)) == POSTED  # Tue 1 Dec
        assert run("monthly", "C2", TUESDAY) == POSTED  # November
        assert run("monthly", "C2", TUESDAY + timedelta(days=14)) == ALREADY_POSTED
        texts = [r.data["text"] for r in api.requests_to("/chat.postMessage")]
    assert len(texts) == 4
    assert "$1.50 on Mon 30 Nov 2026, flat on the same day a week before (Mon 23 Nov)" in texts[0]
    assert "$45.00 in November 2026, down 3.2 % on the month before ($46.50)" in texts[3]


def test_month_close_waits_for_the_revision_window_then_posts_once(
    store: SpendStore, database_url: str
) -> None:
    october = days(date(2026, 10, 1), date(2026, 10, 31))
    before_close = datetime(2026, 10, 31, 12, tzinfo=UTC)
    fill(store, "anthropic", {d: "10.00" for d in october}, before_close)
    fill(store, "openai", {d: "5.00" for d in october}, before_close)
    refetched = datetime(2026, 11, 2, 6, tzinfo=UTC)  # re-read once after the month closed
    fill(store, "anthropic", {d: "12.37" if d.day == 5 else "10.00" for d in october}, refetched)
    fill(store, "openai", {d: "4.99" if d.day == 30 else "5.00" for d in october}, refetched)
    config = load_settings(
        DATABASE_URL=database_url,
        AICOST_TIMEZONE="UTC",
        SLACK_BOT_TOKEN="xoxb-test",
        AICOST_DIGEST_CHANNEL="C0",
        AICOST_MONTHLY_BUDGET_USD="500",
    )
    just_before = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)  # 31 days after 1 Nov 00:00 UTC
    waiting = build_month_close(store, config, month=date(2026, 10, 1), now=just_before)
    assert waiting.report is None and "revision window open until 02 Dec 2026" in waiting.waiting
    with FakeSlackAPI() as api:
        poster = SlackPoster(token="xoxb-test", base_url=api.url)
        assert post_month_closes(store, config, now=just_before, poster=poster) == []
        after = datetime(2026, 12, 2, 0, 1, tzinfo=UTC)
        [run] = post_month_closes(store, config, now=after, poster=poster)
        assert run.outcome == POSTED and run.report is not None
        assert post_month_closes(store, config, now=after + timedelta(days=3), poster=poster) == []
        [message] = api.requests_to("/chat.postMessage")
    report = run.report
    assert report.revised_by_provider == {"anthropic": Decimal("2.37"), "openai": Decimal("-0.01")}
    assert report.revised_usd == Decimal("2.36")
    assert report.total_usd == Decimal("467.36") and not report.missing_days
    section = message.data["blocks"]
    text = str(section)
    assert "October 2026 closed: $467.36 final." in text
    assert "Changed since October 2026 ended: +$2.36 (anthropic +$2.37, openai -$0.01)" in text
    assert "Budget $500.00: $32.64 under." in text
    assert "$467.36" in message.data["text"]


def test_headline_of_a_daily_digest_names_its_comparison(
    store: SpendStore, database_url: str
) -> None:
    from bot.services.digest import build_digest

    fill(
        store, "openai", {d: "2.00" for d in days(date(2026, 11, 20), date(2026, 11, 30))}, TUESDAY
    )
    fill(store, "openai", {date(2026, 11, 23): "1.00"}, TUESDAY)
    config = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    d = build_digest(store, config, now=TUESDAY, kind="daily")
    assert headline(d) == (
        "$2.00 on Mon 30 Nov 2026, up 100.0 % on the same day a week before (Mon 23 Nov) ($1.00)."
    )


def test_month_close_does_not_wait_for_a_provider_no_sync_fetches_again(
    store: SpendStore, database_url: str
) -> None:
    """A FOCUS import (or a source since turned off) is never re-fetched by a sync: the month
    closes on the configured sources' windows and says the import stands as last fetched."""
    october = days(date(2026, 10, 1), date(2026, 10, 31))
    imported = datetime(2026, 10, 20, 9, tzinfo=UTC)
    fill(store, "aws", {d: "2.00" for d in october}, imported)
    fill(store, "openai", {d: "5.00" for d in october}, datetime(2026, 11, 3, 6, tzinfo=UTC))
    config = load_settings(
        DATABASE_URL=database_url,
        AICOST_TIMEZONE="UTC",
        OPENAI_ADMIN_KEY="sk-admin-test",
        AICOST_DIGEST_CHANNEL="C0",
    )
    month = date(2026, 10, 1)
    waiting = build_month_close(
        store, config, month=month, now=datetime(2026, 11, 3, 23, 0, tzinfo=UTC)
    )
    assert waiting.report is None and "revision window open until 04 Nov 2026" in waiting.waiting
    run = build_month_close(store, config, month=month, now=datetime(2026, 11, 4, 0, 1, tzinfo=UTC))
    assert run.report is not None and run.report.total_usd == Decimal("217.00")
    assert run.report.as_fetched == {"aws": imported}
    assert "aws: as last fetched on 20 Oct 2026 (no sync fetches it again" in "\n".join(
        month_close_lines(run.report)
    )


def test_a_month_of_imports_alone_closes_when_it_ends(store: SpendStore, database_url: str) -> None:
    october = days(date(2026, 10, 1), date(2026, 10, 31))
    fill(store, "azure", {d: "1.25" for d in october}, datetime(2026, 10, 28, tzinfo=UTC))
    config = load_settings(DATABASE_URL=database_url, AICOST_TIMEZONE="UTC")
    month = date(2026, 10, 1)
    before = build_month_close(
        store, config, month=month, now=datetime(2026, 10, 31, 23, tzinfo=UTC)
    )
    assert before.report is None and before.waiting == "October 2026 has not ended yet"
    after = build_month_close(
        store, config, month=month, now=datetime(2026, 11, 1, 0, 1, tzinfo=UTC)
    )
    assert after.report is not None and after.report.total_usd == Decimal("38.75")
    assert set(after.report.as_fetched) == {"azure"}
