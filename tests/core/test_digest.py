"""The weekly digest's figures on a seeded database (SQLite and PostgreSQL), totals by hand.

`now` is Wednesday 25 Nov 2026, so the digest's week is Mon 16 – Sun 22 Nov and the week
before is 9–15 Nov. Amounts carry nano-dollar tails to show the sums stay exact.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from billing_adapters import CostLine, FetchResult
from bot.core.digest import top_movers
from bot.core.records import SyncRecord
from bot.db.audit import CLI_ACTOR
from bot.db.models import DigestPostRow
from bot.db.store import SpendStore
from bot.db.teams import TeamStore
from bot.render.digest_render import digest_blocks, digest_text, headline, provider_line
from bot.services.digest import build_digest, last_full_week
from bot.services.digest_posting import (
    ALREADY_POSTED,
    FAILED,
    NOT_POSTED,
    POSTED,
    retry_pending_digest,
    run_digest,
)
from bot.settings import Settings, load_settings
from bot.slack.poster import SlackPoster
from tests.fakes.slack_api import FakeSlackAPI
from tests.fill_store import swap_in

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
THIS_WEEK = [date(2026, 11, 16) + timedelta(days=n) for n in range(7)]
LAST_WEEK = [date(2026, 11, 9) + timedelta(days=n) for n in range(7)]


def settings(url: str, **extra: str) -> Settings:
    values = {"AICOST_TIMEZONE": "UTC", "AICOST_MONTHLY_BUDGET_USD": "500", **extra}
    return load_settings(DATABASE_URL=url, **values)


def seed(store: SpendStore, lines: list[CostLine], fetched_at: datetime = NOW) -> None:
    for provider in sorted({line.provider for line in lines}):
        mine = [line for line in lines if line.provider == provider]
        result = FetchResult(provider, days={line.day for line in mine}, costs=mine)
        swap_in(store, result, fetched_at=fetched_at)


def usd(text: str) -> Decimal:
    return Decimal(text)


def week_lines() -> list[CostLine]:
    lines = []
    for day in THIS_WEEK:
        lines += [
            CostLine("openai", day, "proj_a", "gpt-4o, input", usd("10.000000001"), "gpt-4o"),
            CostLine("openai", day, "", "web search tool calls", usd("1"), None),
            CostLine("anthropic", day, "", "Sonnet input", usd("5"), "claude-sonnet-4"),
        ]
    lines.append(CostLine("anthropic", THIS_WEEK[2], "", "", usd("0.5"), None))
    for day in LAST_WEEK:
        lines += [
            CostLine("openai", day, "proj_a", "gpt-4o, input", usd("4"), "gpt-4o"),
            CostLine("openai", day, "", "web search tool calls", usd("2"), None),
            CostLine("openai", day, "proj_b", "gpt-4o-mini, input", usd("3"), "gpt-4o-mini"),
            CostLine("anthropic", day, "", "Sonnet input", usd("5"), "claude-sonnet-4"),
        ]
    # Outside both weeks: must not count in either.
    for day in (date(2026, 11, 8), date(2026, 11, 23)):
        lines.append(CostLine("openai", day, "proj_a", "gpt-4o, input", usd("100"), "gpt-4o"))
    return lines


def test_week_totals_and_movers_by_hand(store: SpendStore, database_url: str) -> None:
    seed(store, week_lines())
    d = build_digest(store, settings(database_url), now=NOW)

    assert (d.week_start, d.week_end) == (date(2026, 11, 16), date(2026, 11, 22))
    # 7 × (10.000000001 + 1 + 5) + 0.5, against 7 × (4 + 2 + 3 + 5).
    assert d.this_week_usd == usd("112.500000007")
    assert d.last_week_usd == usd("98")
    assert d.change_pct == usd("14.8")
    assert d.week_by_provider == {"anthropic": usd("35.5"), "openai": usd("77.000000007")}
    assert not d.empty

    up = [(m.name, m.current_usd, m.previous_usd) for m in d.by_model.up]
    down = [(m.name, m.change_usd) for m in d.by_model.down]
    assert up == [("gpt-4o", usd("70.000000007"), usd("28")), ("other", usd("0.5"), 0)]
    assert down == [("gpt-4o-mini", usd("-21")), ("web search tool calls", usd("-7"))]
    assert d.by_model.unchanged_or_hidden == 1  # claude-sonnet-4, flat

    projects_up = [(m.provider, m.name, m.change_usd) for m in d.by_project.up]
    projects_down = [(m.provider, m.name, m.change_usd) for m in d.by_project.down]
    assert projects_up == [
        ("openai", "proj_a", usd("42.000000007")),
        ("anthropic", "default", usd("0.5")),
    ]
    assert projects_down == [("openai", "proj_b", usd("-21")), ("openai", "default", usd("-7"))]

    # Month to date (1–25 Nov): both weeks, plus $100 on the 8th and on the 23rd.
    assert d.status.month_to_date_usd == usd("410.500000007")
    assert d.status.budget_usd == usd("500")
    assert d.breakeven is not None and d.breakeven.monthly_bill_usd > 0
    assert len(d.daily_by_provider) == 84 and max(d.daily_by_provider) == date(2026, 11, 22)
    assert d.daily_by_provider[date(2026, 11, 16)] == {
        "anthropic": usd("5"),
        "openai": usd("11.000000001"),
    }

    text = digest_text(d)
    assert "$112.50 in the week of 16–22 Nov 2026, up 14.8 % on the week before ($98.00)" in text
    assert "▲ gpt-4o: $70.00 (week before $28.00, +$42.00)" in text
    assert "▼ openai proj_b: $0.00 (week before $21.00, -$21.00)" in text


def test_once_a_team_exists_the_month_is_shown_by_team(
    store: SpendStore, database_url: str
) -> None:
    """The digest carries status's month by team, in the terminal and inside the month's
    section in Slack (still at most eight blocks); "unassigned" makes up the rest."""
    seed(store, week_lines())
    TeamStore(store.engine).set_team("search", actor=CLI_ACTOR, at=NOW)
    TeamStore(store.engine).assign("openai", "proj_a", "search", actor=CLI_ACTOR, at=NOW)
    d = build_digest(store, settings(database_url), now=NOW)
    teams = d.status.teams
    assert teams is not None
    # proj_a from 1 to 25 Nov: 7 × 10.000000001 + 7 × 4 + $100 on the 8th and on the 23rd.
    assert teams.shown() == {"search": usd("298.00"), "unassigned": usd("112.50")}
    text = digest_text(d)
    assert "By team" in text and "search" in text and "$298.00" in text
    blocks = digest_blocks(d)
    assert len(blocks) <= 8
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    month = next(t for t in texts if t.startswith("*This month*"))
    assert "*By team*" in month and "• search: $298.00" in month
    assert "_unassigned_: $112.50" in month


def test_days_still_settling_are_named(store: SpendStore, database_url: str) -> None:
    seed(store, week_lines(), fetched_at=datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    d = build_digest(store, settings(database_url), now=NOW)
    assert d.incomplete_days == [date(2026, 11, 22)]  # 48 h after it ended is 25 Nov 00:00
    assert "May still be incomplete: 22 Nov" in digest_text(d)


def test_a_week_without_spend_is_one_line(store: SpendStore, database_url: str) -> None:
    seed(store, [CostLine("openai", d, "", "gpt-4o, input", usd("3"), "gpt-4o") for d in LAST_WEEK])
    # This week was synced, and the provider answered every day with no spend: a real $0 week.
    swap_in(store, FetchResult("openai", days=set(THIS_WEEK)), fetched_at=NOW)
    d = build_digest(store, settings(database_url), now=NOW)
    assert d.empty and d.this_week_usd == 0 and d.last_week_usd == usd("21")
    lines = digest_text(d).splitlines()
    assert lines[0] == "No AI spend in the week of 16–22 Nov 2026."
    assert all(line.startswith("  Data: ") for line in lines[1:])  # then only freshness


def test_a_week_never_synced_is_no_data_not_no_spend(store: SpendStore, database_url: str) -> None:
    """The week of 16-22 Nov was never fetched: not "No AI spend", and no comparison."""
    seed(store, [CostLine("openai", d, "", "gpt-4o, input", usd("3"), "gpt-4o") for d in LAST_WEEK])
    d = build_digest(store, settings(database_url), now=NOW)
    assert d.no_data and not d.empty and d.change_pct is None
    text = digest_text(d)
    assert "No AI spend" not in text
    assert "No data synced for the week of 16–22 Nov 2026 yet: no figure for it (not $0)." in text


def test_a_week_with_missing_days_says_which_and_does_not_compare(
    store: SpendStore, database_url: str
) -> None:
    seed(store, [CostLine("openai", d, "", "gpt-4o, input", usd("3"), "gpt-4o") for d in LAST_WEEK])
    seed(
        store,
        [CostLine("openai", d, "", "gpt-4o, input", usd("5"), "gpt-4o") for d in THIS_WEEK[:5]],
    )
    d = build_digest(store, settings(database_url), now=NOW)
    assert d.missing_days == THIS_WEEK[5:] and d.change_pct is None and not d.empty
    assert (
        "$25.00 in the 5 synced days of the week of 16–22 Nov 2026; 21 Nov, 22 Nov not synced "
        "yet, so no comparison with the week before." in digest_text(d)
    )


def test_nothing_stored_says_breakeven_is_unavailable(store: SpendStore, database_url: str) -> None:
    d = build_digest(store, settings(database_url), now=NOW)
    assert d.no_data and not d.empty and d.breakeven is None
    assert "no billed spend" in d.breakeven_unavailable


def test_the_week_follows_the_team_time_zone() -> None:
    # Sunday 22 Nov 11:30 UTC is already Monday 23 Nov 00:30 in Auckland.
    now = datetime(2026, 11, 22, 11, 30, tzinfo=UTC)
    assert last_full_week(now, settings("sqlite://")) == (date(2026, 11, 9), date(2026, 11, 15))
    auckland = settings("sqlite://", AICOST_TIMEZONE="Pacific/Auckland")
    assert last_full_week(now, auckland) == (date(2026, 11, 16), date(2026, 11, 22))


def test_top_movers_keeps_a_few_each_way() -> None:
    from bot.core.records import WindowSpend

    spends = [WindowSpend(None, f"m{n:03d}", Decimal(n), Decimal(100 - n)) for n in range(101)]
    movers = top_movers(spends)
    assert [m.name for m in movers.up] == ["m100", "m099", "m098"]
    assert [m.name for m in movers.down] == ["m000", "m001", "m002"]
    assert movers.unchanged_or_hidden == 95


def test_chart_upload_failure_never_reposts_the_digest(
    store: SpendStore, database_url: str
) -> None:
    seed(store, week_lines())
    with FakeSlackAPI() as api:
        config = settings(
            database_url, SLACK_BOT_TOKEN="xoxb-test", AICOST_DIGEST_CHANNEL="C0DIGEST"
        )
        poster = SlackPoster(token="xoxb-test", base_url=api.url, rate_limit_retries=0)
        api.rate_limit_next("/files.getUploadURLExternal", 1, retry_after=0)
        run = run_digest(store, config, now=NOW, poster=poster, post=True, chart_path=None)
        assert run.outcome == POSTED and "chart upload failed" in run.chart_error
        again = run_digest(store, config, now=NOW, poster=poster, post=True, chart_path=None)
        assert again.outcome == ALREADY_POSTED
        assert len(api.requests_to("/chat.postMessage")) == 1
        assert api.uploaded_files() == []

    with Session(store.engine) as session:
        row = session.get(DigestPostRow, "digest:2026-11-16")
        assert row is not None and row.delivered_at == NOW and row.attempts == 1
        assert row.last_error.startswith("chart upload failed: Slack answered 429")


def test_posting_threads_the_chart_under_the_digest(store: SpendStore, database_url: str) -> None:
    seed(store, week_lines())
    channel = "C0DIGEST"
    with FakeSlackAPI() as api:
        config = settings(database_url, SLACK_BOT_TOKEN="xoxb-test", AICOST_DIGEST_CHANNEL=channel)
        poster = SlackPoster(token="xoxb-test", base_url=api.url)
        run = run_digest(store, config, now=NOW, poster=poster, post=True, chart_path=None)
        assert run.outcome == POSTED and run.chart is not None
        [message] = api.requests_to("/chat.postMessage")
        [upload] = api.uploaded_files()
    assert message.data["channel"] == channel and message.data["text"]
    assert upload.channel_id == channel and upload.thread_ts  # in the digest's thread
    assert upload.content == run.chart and upload.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert upload.alt_txt is not None and "Stacked bars of daily AI spend" in upload.alt_txt


def test_a_refused_digest_is_retried_after_a_sync_not_a_week_later(
    store: SpendStore, database_url: str
) -> None:
    seed(store, week_lines())
    config = settings(database_url, SLACK_BOT_TOKEN="xoxb-good-1", AICOST_DIGEST_CHANNEL="C0D")
    with FakeSlackAPI(bot_token_prefix="xoxb-good-") as api:
        good = SlackPoster(token="xoxb-good-1", base_url=api.url)
        assert retry_pending_digest(store, config, now=NOW, poster=good) == []  # none yet
        revoked = SlackPoster(token="xoxb-revoked", base_url=api.url)
        failed = run_digest(store, config, now=NOW, poster=revoked, post=True, chart_path=None)
        assert failed.outcome == FAILED and "invalid_auth" in failed.error

        later = NOW + timedelta(hours=6)  # the next scheduled sync, same week
        [retried] = retry_pending_digest(store, config, now=later, poster=good)
        assert retried.outcome == POSTED
        assert retry_pending_digest(store, config, now=later, poster=good) == []
        assert len(api.uploaded_files()) == 1


def test_printing_only_renders_no_chart(store: SpendStore, database_url: str) -> None:
    seed(store, week_lines())
    run = run_digest(
        store, settings(database_url), now=NOW, poster=None, post=False, chart_path=None
    )
    assert run.outcome == NOT_POSTED and run.chart is None


def test_days_a_synced_provider_has_not_sent_are_named(
    store: SpendStore, database_url: str
) -> None:
    # The last sync reached Friday: Saturday and Sunday are absent, not zero.
    days = set(LAST_WEEK + THIS_WEEK[:5])
    costs = [CostLine("openai", d, "", "gpt-4o, input", usd("3"), "gpt-4o") for d in days]
    record = SyncRecord("openai", NOW, NOW, min(days), max(days), True, "")
    swap_in(store, FetchResult("openai", days=days, costs=costs), fetched_at=NOW, record=record)
    d = build_digest(store, settings(database_url), now=NOW)
    assert d.missing_days == [date(2026, 11, 21), date(2026, 11, 22)]
    assert "Not synced yet: 21 Nov, 22 Nov; the week's figures leave these days out." in (
        digest_text(d)
    )


def test_a_scheduled_digest_without_a_channel_stays_pending_and_goes_out_once_set(
    store: SpendStore, database_url: str
) -> None:
    """No AICOST_DIGEST_CHANNEL at Monday's run: the week is not recorded as sent; the first
    sync after the channel is set posts it, once."""
    from bot.db.digests import DigestLog
    from bot.runtime.governance import scheduled_digests
    from bot.services.digest_posting import retry_pending_digest

    seed(store, week_lines())
    seed(store, [CostLine("openai", d, "", "gpt-4o, input", usd("3"), "gpt-4o") for d in LAST_WEEK])
    scheduled_digests(store, settings(database_url), None, NOW, "weekly")
    assert DigestLog(store.engine).pending("digest:2026-11-16")  # owed, not done

    with FakeSlackAPI() as api:
        configured = settings(database_url, AICOST_DIGEST_CHANNEL="C0DIGEST")
        poster = SlackPoster(token="xoxb-test", base_url=api.url, rate_limit_retries=0)
        [run] = retry_pending_digest(store, configured, now=NOW, poster=poster)
        assert run.outcome == "posted"
        assert retry_pending_digest(store, configured, now=NOW, poster=poster) == []
        assert len(api.requests_to("/chat.postMessage")) == 1


def test_the_week_by_provider_adds_up_to_the_headline(store: SpendStore, database_url: str) -> None:
    # Three providers at a third of a cent over whole cents each: rounded one by one they
    # would show $0.01 less than the week's total.
    lines = [
        CostLine(p, d, "", "x", usd("1.003333333"), "m")
        for p in ("anthropic", "openai", "other")
        for d in THIS_WEEK
    ]
    seed(store, lines)
    d = build_digest(store, settings(database_url), now=NOW)
    assert d.this_week_usd == usd("21.069999993")
    assert provider_line(d) == "anthropic $7.03 · openai $7.02 · other $7.02"  # = $21.07
    assert "$21.07 in the week of" in headline(d)
