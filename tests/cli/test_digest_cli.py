"""`aicost digest` end to end: the terminal digest, the chart file, and posting to a Slack
stand-in once per week, through a 429 and through a refused token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from billing_adapters import CostLine, FetchResult
from bot.db.engine import connect
from bot.db.models import DigestPostRow
from bot.db.store import SpendStore
from tests.cli.conftest import Run
from tests.fakes.slack_api import FakeSlackAPI, RecordedRequest
from tests.fill_store import swap_in
from tests.moment import TEST_NOW, TEST_TODAY

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNEL = "C0DIGEST1"
TOKEN = "xoxb-digest-test"


def seeded(tmp_path: Path) -> str:
    """Five weeks of OpenAI and Anthropic spend up to yesterday: every recent week has some."""
    url = f"sqlite:///{tmp_path / 'digest.db'}"
    store = SpendStore(connect(url))
    today = TEST_TODAY
    days = {today - timedelta(days=n) for n in range(1, 36)}
    for provider, model, amount in (
        ("openai", "gpt-4o", "40.25"),
        ("anthropic", "claude-sonnet-4", "21.10"),
    ):
        costs = [CostLine(provider, d, "", f"{model} usage", Decimal(amount), model) for d in days]
        result = FetchResult(provider, days=days, costs=costs)
        swap_in(store, result, fetched_at=TEST_NOW)
    store.engine.dispose()
    return url


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as api:
        yield api


def messages(api: FakeSlackAPI) -> list[RecordedRequest]:
    """chat.postMessage requests Slack took (neither a 429 nor an invalid_auth is a message)."""
    return [
        r
        for r in api.requests_to("/chat.postMessage")
        if r.status == 200 and isinstance(r.answer, dict) and r.answer.get("ok")
    ]


def post_env(url: str, api: FakeSlackAPI, token: str = TOKEN, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": token,
        "SLACK_API_URL": api.url,
        "AICOST_DIGEST_CHANNEL": CHANNEL,
        **extra,
    }


def test_digest_prints_and_writes_the_chart(run_aicost: Run, tmp_path: Path) -> None:
    url = seeded(tmp_path)
    result = run_aicost("digest", "--chart", "out.png", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "AI spend weekly digest" in result.stdout
    # Seven full days at $40.25 + $21.10 a day, the same the week before.
    assert "$429.45 in the week of" in result.stdout and "flat on the week before" in result.stdout
    assert "Chart written to out.png" in result.stdout
    png = (tmp_path / "out.png").read_bytes()
    assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000


def test_post_sends_one_digest_and_one_chart_per_week(
    run_aicost: Run, tmp_path: Path, slack: FakeSlackAPI
) -> None:
    env = post_env(seeded(tmp_path), slack)
    first = run_aicost("digest", "--post", **env)
    assert first.returncode == 0, first.stderr
    assert "Posted the digest for" in first.stdout
    [message] = messages(slack)
    assert message.data["channel"] == CHANNEL and "$429.45" in message.data["text"]
    assert len(message.data["blocks"]) <= 50
    [upload] = slack.uploaded_files()
    assert upload.content is not None and upload.content.startswith(PNG_SIGNATURE)
    assert upload.channel_id == CHANNEL and upload.thread_ts  # in the digest's thread
    assert upload.filename.endswith(".png") and upload.length == len(upload.content)

    again = run_aicost("digest", "--post", **env)
    assert again.returncode == 0, again.stderr
    assert "already posted; nothing sent" in again.stdout
    assert len(messages(slack)) == 1 and len(slack.uploaded_files()) == 1


def test_a_429_still_gives_exactly_one_digest(
    run_aicost: Run, tmp_path: Path, slack: FakeSlackAPI
) -> None:
    slack.rate_limit_next("/chat.postMessage", 1, retry_after=1)
    result = run_aicost("digest", "--post", **post_env(seeded(tmp_path), slack))
    assert result.returncode == 0, result.stderr
    statuses = [r.status for r in slack.requests_to("/chat.postMessage")]
    assert statuses == [429, 200]
    assert len(messages(slack)) == 1 and len(slack.uploaded_files()) == 1


def test_a_refused_post_stays_pending_and_the_next_run_sends_it(
    run_aicost: Run, tmp_path: Path
) -> None:
    url = seeded(tmp_path)
    with FakeSlackAPI(bot_token_prefix="xoxb-good-") as api:
        refused = run_aicost("digest", "--post", **post_env(url, api, token="xoxb-revoked-1"))
        assert refused.returncode == 1
        assert refused.stderr.strip().startswith("aicost: digest not posted: Slack answered 200")
        assert "invalid_auth" in refused.stderr and "xoxb-revoked-1" not in refused.stderr
        assert "next run tries again" in refused.stderr and len(refused.stderr.splitlines()) == 1

        sent = run_aicost("digest", "--post", **post_env(url, api, token="xoxb-good-1"))
        assert sent.returncode == 0, sent.stderr
        assert len(api.requests_to("/chat.postMessage")) == 2
        [message] = messages(api)  # the first answered invalid_auth
        assert message.data["channel"] == CHANNEL
        assert len(api.uploaded_files()) == 1

    engine = connect(url)
    with Session(engine) as session:
        [row] = session.query(DigestPostRow).all()
        assert row.delivered_at is not None and row.attempts == 2 and row.last_error == ""
    engine.dispose()


@pytest.mark.parametrize("missing", ["SLACK_BOT_TOKEN", "AICOST_DIGEST_CHANNEL"])
def test_post_without_a_setting_names_it(
    run_aicost: Run, tmp_path: Path, slack: FakeSlackAPI, missing: str
) -> None:
    env = post_env(seeded(tmp_path), slack)
    del env[missing]
    result = run_aicost("digest", "--post", **env)
    assert result.returncode == 1
    assert result.stderr.startswith(f"aicost: {missing} is not set")
    assert len(result.stderr.splitlines()) == 1 and slack.requests_to("/chat.postMessage") == []


def test_a_week_with_unsynced_days_waits_and_goes_out_once_it_is_whole(
    run_aicost: Run, tmp_path: Path, slack: FakeSlackAPI
) -> None:
    """Days never synced are not a quiet week: the digest waits (pending), then posts once."""
    url = seeded(tmp_path)
    env = post_env(url, slack, AICOST_TIMEZONE="UTC")
    # Forget two days of the digest's week, as if no sync had fetched them.
    engine = connect(url)
    with engine.begin() as connection:
        sunday = TEST_TODAY - timedelta(days=TEST_TODAY.weekday() + 1)
        for table in ("fetched_days", "daily_totals", "cost_lines"):
            connection.exec_driver_sql(
                f"DELETE FROM {table} WHERE day >= '{sunday - timedelta(days=1)}' "
                f"AND day <= '{sunday}'"
            )
    engine.dispose()

    waiting = run_aicost("digest", "--post", **env)
    assert waiting.returncode == 0, waiting.stderr
    assert "not fully synced yet. It stays pending" in waiting.stdout
    assert "No AI spend" not in waiting.stdout
    assert "5 synced days of the week" in waiting.stdout and messages(slack) == []

    # The next sync brings the two days in; the same command now posts it, once.
    store = SpendStore(connect(url))
    days = {sunday - timedelta(days=1), sunday}
    costs = [CostLine("openai", d, "", "gpt-4o usage", Decimal("40.25"), "gpt-4o") for d in days]
    swap_in(store, FetchResult("openai", days=days, costs=costs), fetched_at=TEST_NOW)
    costs = [CostLine("anthropic", d, "", "x", Decimal("21.10"), "claude-sonnet-4") for d in days]
    swap_in(store, FetchResult("anthropic", days=days, costs=costs), fetched_at=TEST_NOW)
    store.engine.dispose()
    sent = run_aicost("digest", "--post", **env)
    assert sent.returncode == 0, sent.stderr
    [message] = messages(slack)
    assert "$429.45" in message.data["text"]
    assert "already posted" in run_aicost("digest", "--post", **env).stdout


def test_allow_missing_posts_a_partial_week_once_saying_what_is_missing(
    run_aicost: Run, tmp_path: Path, slack: FakeSlackAPI
) -> None:
    url = f"sqlite:///{tmp_path / 'nothing.db'}"
    env = post_env(url, slack, AICOST_TIMEZONE="UTC")
    result = run_aicost("digest", "--post", "--allow-missing", **env)
    assert result.returncode == 0, result.stderr
    [message] = messages(slack)
    assert message.data["text"].startswith("AI spend weekly digest: No data synced for the week")
    assert "$0.00" not in message.data["text"]
    assert "already posted" in run_aicost("digest", "--post", **env).stdout
