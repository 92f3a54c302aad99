"""The digest's Block Kit stays inside Slack's limits however much there is; the chart is a PNG."""

from __future__ import annotations

import json
import struct
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.core.breakeven_report import BreakEvenSummary
from bot.core.digest import Digest, top_movers
from bot.core.records import DailySpend, SyncRecord, WindowSpend
from bot.core.status import build_status
from bot.render.digest_chart import spend_chart_png
from bot.render.digest_render import (
    breakeven_line,
    digest_blocks,
    digest_fallback,
    digest_text,
    week_phrase,
)
from bot.slack.blocks import check_blocks
from tests.fakes.slack_api import block_texts

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MONDAY, SUNDAY = date(2026, 11, 16), date(2026, 11, 22)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
AGGREGATE_CAP = 13_000  # Slack's undocumented msg_blocks_too_long is around 13.2k characters


def digest(*, names: int = 200, providers: int = 2, this_week: str = "1234.56") -> Digest:
    """A digest with `names` models and projects (191-character names) and `providers`."""
    long = "x" * 180
    models = [
        WindowSpend(None, f"model-{n:03d}-{long}", Decimal(n), Decimal(names - n))
        for n in range(names)
    ]
    projects = [
        WindowSpend(f"provider{n % providers}", f"proj-{n:03d}-{long}", Decimal(n), Decimal(7))
        for n in range(names)
    ]
    provider_names = [f"provider{n}" for n in range(providers)]
    start = MONDAY - timedelta(days=120)
    daily = [
        DailySpend(p, start + timedelta(days=n), Decimal("12.5"))
        for n in range(127)
        for p in provider_names
    ]
    failed = {
        p: SyncRecord(p, NOW, NOW, MONDAY, SUNDAY, False, "Slack answered 500: " + "e" * 2500)
        for p in provider_names
    }
    status = build_status(
        daily,
        now=NOW,
        tz=ZoneInfo("UTC"),
        providers=provider_names,
        last_runs=failed,
        budget_usd=Decimal(5000),
    )
    return Digest(
        as_of=NOW,
        timezone="UTC",
        week_start=MONDAY,
        week_end=SUNDAY,
        this_week_usd=Decimal(this_week),
        last_week_usd=Decimal("1000"),
        week_by_provider={p: Decimal(this_week) / providers for p in provider_names},
        by_model=top_movers(models),
        by_project=top_movers(projects),
        status=status,
        breakeven=BreakEvenSummary("2xh100-rent-70b", Decimal(8000), Decimal(25000), False, None),
        breakeven_unavailable="",
        incomplete_days=[SUNDAY],
        daily_by_provider={MONDAY + timedelta(days=n): {"openai": Decimal(n)} for n in range(7)},
    )


def test_blocks_stay_within_limits_with_200_models_and_projects() -> None:
    for chart in (False, True):
        blocks = digest_blocks(digest(names=200, providers=40), chart_in_thread=chart)
        assert check_blocks(blocks) == []
        assert len(json.dumps(blocks, ensure_ascii=False)) < AGGREGATE_CAP
        text = block_texts(blocks)
        assert text.count("▲") == 3 * 2 and text.count("▼") == 3 * 2  # a few each way, not a wall
        assert "May still be incomplete: 22 Nov" in text and "more providers" in text


def test_blocks_carry_the_figures_and_a_fallback() -> None:
    d = digest(names=5)
    blocks = digest_blocks(d, chart_in_thread=True)
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"] == "AI spend, week of 16–22 Nov 2026"
    text = block_texts(blocks)
    assert "$1,234.56 in the week of 16–22 Nov 2026, up 23.5 % on the week before" in text
    assert "breaks even at $25,000.00/month" in text and "$17,000.00/month to go" in text
    assert "chart in this message's thread" in text
    assert "May still be incomplete: 22 Nov" in text
    fallback = digest_fallback(d)
    assert fallback.startswith("AI spend weekly digest: $1,234.56") and len(fallback) < 500
    assert "Top movers by model" in digest_text(d)


def test_a_week_without_spend_is_one_section_and_its_freshness() -> None:
    d = digest(names=0, this_week="0")
    blocks = digest_blocks(d, chart_in_thread=True)
    assert [b["type"] for b in blocks] == ["section", "context"]
    assert blocks[0]["text"]["text"] == "No AI spend in the week of 16–22 Nov 2026."
    assert digest_fallback(d) == "No AI spend in the week of 16–22 Nov 2026."
    assert check_blocks(blocks) == []


def test_week_phrase_across_months_and_years() -> None:
    assert week_phrase(date(2026, 10, 26), date(2026, 11, 1)) == "26 Oct – 1 Nov 2026"
    assert week_phrase(date(2026, 12, 28), date(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE) and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_chart_is_a_png_of_a_sensible_size_and_deterministic() -> None:
    days = {
        SUNDAY - timedelta(days=n): {"openai": Decimal(100 + n), "anthropic": Decimal("55.5")}
        for n in range(84)
    }
    args = {"projection_daily": Decimal(180), "breakeven_daily": Decimal(820), "title": "t"}
    png = spend_chart_png(days, **args)
    width, height = _png_size(png)
    assert 800 <= width <= 2000 and 300 <= height <= 1200
    assert png == spend_chart_png(days, **args)  # no timestamps in the file
    assert b"Software" not in png


def test_chart_without_spend_or_lines_still_renders() -> None:
    days = {SUNDAY - timedelta(days=n): {} for n in range(84)}
    png = spend_chart_png(days, projection_daily=None, breakeven_daily=None, title="nothing")
    assert _png_size(png)[0] > 0


def test_the_breakeven_line_names_the_cheapest_option_and_its_saving() -> None:
    """Past the break-even bill but not paying off (a hosted API is cheaper): the digest says
    so, names the cheapest option and what it saves; when it pays off, what it saves."""
    past = BreakEvenSummary(
        "2xh100-rent-70b",
        Decimal(30000),
        Decimal(25000),
        False,
        date(2027, 2, 1),
        saving_usd=Decimal("2000"),
        best_option="hosted open-weight API (Llama 3.3 70B on Groq)",
        best_saving_usd=Decimal("9000"),
    )
    line = breakeven_line(replace(digest(names=1), breakeven=past))
    assert line == (
        "Self-hosting (2xh100-rent-70b) breaks even at $25,000.00/month; today's bill "
        "$30,000.00/month, past it; the forecast clears its margin in February 2027. Cheapest "
        "now: hosted open-weight API (Llama 3.3 70B on Groq), $9,000.00/month less."
    )
    staying = replace(past, breakeven_month=None, best_option="stay on the API", best_saving_usd=0)
    assert breakeven_line(replace(digest(names=1), breakeven=staying)).endswith(
        "past it; not clear of its margin within the 12-month forecast."
    )
    paying = replace(past, pays_off=True, saving_usd=Decimal("7500"))
    assert breakeven_line(replace(digest(names=1), breakeven=paying)) == (
        "Self-hosting (2xh100-rent-70b) pays off now: $7,500.00/month less; today's bill "
        "$30,000.00/month is above the $25,000.00/month break-even."
    )
