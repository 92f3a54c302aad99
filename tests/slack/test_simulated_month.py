"""The governance loop over two simulated months: growth, a spike and a budget crossing.

Everything real except the clock: the OpenAI adapter syncs over HTTP from the loopback
provider API (which only knows the days that have happened), the scheduler decides what is due,
alerts and digests go to the loopback Slack stand-in, which rate-limits the first alert.
Done when each alert arrives exactly once, each recovery once, and one digest a week with its
chart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.db.engine import connect
from bot.db.store import SpendStore
from bot.runtime.governance import build_jobs
from bot.settings import load_settings
from bot.slack.poster import SlackPoster
from tests.fakes.provider_api import OPENAI_KEY, ProviderAPI, openai_cost
from tests.fakes.slack_api import FakeSlackAPI

ALERTS, DIGESTS = "C_ALERTS", "C_DIGEST"
START, END = date(2026, 10, 1), date(2026, 12, 8)


def spend_on(day: date) -> str:
    """$50 a day in October; November ramps, spikes on the 16th, then nearly stops."""
    if day.month == 10:
        return "50"
    if day.month == 12:
        return "20"
    if day.day <= 10:
        return "60"
    if day.day <= 15:
        return "150"
    if day.day == 16:
        return "1200"
    return "10"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[ProviderAPI, FakeSlackAPI]]:
    with ProviderAPI() as providers, FakeSlackAPI() as slack:
        yield providers, slack


def test_two_months_of_alerts_and_digests(
    world: tuple[ProviderAPI, FakeSlackAPI], tmp_path: Path
) -> None:
    providers, slack = world
    settings = load_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'loop.db'}",
        OPENAI_ADMIN_KEY=OPENAI_KEY,
        OPENAI_BASE_URL=providers.openai_base_url,
        SLACK_BOT_TOKEN="xoxb-test-simulation",
        SLACK_API_URL=slack.url,
        AICOST_ALERT_CHANNEL=ALERTS,
        AICOST_DIGEST_CHANNEL=DIGESTS,
        AICOST_MONTHLY_BUDGET_USD="3000",
        AICOST_SYNC_EVERY_HOURS="24",
        AICOST_DIGEST_SCHEDULE="mon 09:00",
    )
    store = SpendStore(connect(settings.database_url))
    clock = [datetime.combine(START, datetime.min.time(), tzinfo=UTC).replace(hour=9)]
    poster = SlackPoster(token="xoxb-test-simulation", base_url=slack.url)
    jobs = build_jobs(store, settings, poster=poster, clock=lambda: clock[0], pace=0)
    slack.rate_limit_next("/chat.postMessage", 1, retry_after=1)

    ticks = 0
    while clock[0].date() < END:
        day = clock[0].date()
        # The provider knows today's spend so far (half a day) and every day before in full.
        providers.clear("openai", "costs", day - timedelta(days=1))
        providers.add(
            "openai",
            "costs",
            day - timedelta(days=1),
            openai_cost("proj", "gpt-4o, input", spend_on(day - timedelta(days=1))),
        )
        providers.add("openai", "costs", day, openai_cost("proj", "gpt-4o, input", "1"))
        jobs.tick()
        ticks += 1
        clock[0] += timedelta(hours=24)

    posts = slack.requests_to("/chat.postMessage")
    delivered = [p for p in posts if p.status == 200]
    assert len(posts) == len(delivered) + 1  # the first post met a 429 and was retried once
    to_alerts = [p.data for p in delivered if p.data.get("channel") == ALERTS]
    to_digest = [p.data for p in delivered if p.data.get("channel") == DIGESTS]

    alert_keys = Counter(
        element["value"]
        for message in to_alerts
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block["elements"]
    )
    # Four buttons per alert carry its key: each alert was posted exactly once.
    assert alert_keys and all(count == 4 for count in alert_keys.values()), alert_keys
    keys = set(alert_keys)
    assert "spike:2026-11-16" in keys
    assert {"budget:50:2026-10", "budget:80:2026-11"} <= keys
    assert not any(k.startswith("budget:100") for k in keys)  # November stays under $3,000

    recoveries = [m["text"] for m in to_alerts if "(was: " in m["text"]]
    assert len(recoveries) == len(set(recoveries))  # each recovery once
    assert len(to_alerts) == len(keys) + len(recoveries)  # nothing else reached the channel
    assert any("projected" in r.lower() for r in recoveries), recoveries

    # Mondays from 5 Oct to 7 Dec: ten digests, each with its chart in its thread.
    mondays = [
        START + timedelta(days=n)
        for n in range((END - START).days)
        if (START + timedelta(days=n)).weekday() == 0
    ]

    def key(message: dict) -> str:
        return str(((message.get("metadata") or {}).get("event_payload") or {}).get("key", ""))

    weekly = [m for m in to_digest if key(m).startswith("digest:")]
    closes = [key(m) for m in to_digest if key(m).startswith("month-close:")]
    assert len(weekly) == len(mondays) == 10
    # Each closed month's report once, after its revision window (OpenAI: 3 days).
    assert len(closes) == len(set(closes)) and len(weekly) + len(closes) == len(to_digest)
    assert {c.split(":")[1] for c in closes} >= {"2026-10", "2026-11"}
    charts = slack.uploaded_files()
    assert len(charts) == 10 and all(c.content.startswith(b"\x89PNG") for c in charts)
    assert ticks == (END - START).days
