"""Missing is never zero: the demo's data, seen 11 days after it ends (as the issue found it).

The demo's sample stops on 20 Nov 2026 at 15:00 UTC. As of 1 Dec 2026 a careless answer said
"Previous month $5,757.84, full month", "Month to date $0.00, down 100 %", that spend had
outgrown revenue right under a fall in spend, and priced break-even on a bill cut by the
unsynced days. Each answer here is checked as of the sample's own moment and as of 1 Dec.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest

from tests.cli.conftest import aicost_command, clean_env

LATE = "2026-12-01T15:00:00+00:00"  # 11 days after the sample ends
SAMPLE = "2026-11-20T15:00:00+00:00"

Ask = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def ask(tmp_path_factory: pytest.TempPathFactory) -> Ask:
    directory = tmp_path_factory.mktemp("missing")
    env = clean_env(DATABASE_URL=f"sqlite:///{directory / 'demo.db'}", AICOST_TIMEZONE="UTC")

    def run(*args: str, as_of: str = LATE) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            aicost_command(*args, "--as-of", as_of),
            cwd=directory,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result

    run("demo", "--database", env["DATABASE_URL"])  # the demo answers as of its own moment
    return run


def test_status_eleven_days_stale_says_what_is_missing(ask: Ask) -> None:
    text = ask("status").stdout
    assert "full month" not in text
    assert "Previous month         $6,704.45   November 2026, 20 of 30 days synced" in text
    assert "(missing 21–30 Nov)" in text
    assert "Month to date                  -   day 1 of 31; no data synced for December yet" in text
    assert "$0.00" not in text and "down 100" not in text
    assert "grown faster than revenue" not in text  # November is not complete: not judged
    assert "November 2026: not every day synced, so no growth figure" in text
    assert "anthropic synced 20 Nov 15:00 UTC (11 days ago)" in text


def test_status_before_the_last_sync_never_calls_it_just_now(ask: Ask) -> None:
    # As of 10 Nov, the sync that stored these days ran on 20 Nov: later, not "just now".
    text = ask("status", as_of="2026-11-10T12:00:00+00:00").stdout
    assert "AI spend, November 2026 (as of Tue 10 Nov 2026 12:00 UTC)" in text
    assert "anthropic synced 20 Nov 15:00 UTC (after the as-of time)" in text
    assert "just now" not in text and "Stale" not in text


def test_status_json_gives_null_never_zero_and_lists_the_missing_days(ask: Ask) -> None:
    data = json.loads(ask("status", "--json").stdout)
    assert data["month_to_date_usd"] is None
    assert data["by_provider"] == {
        "anthropic": None,
        "aws-bedrock": None,
        "google-cloud": None,
        "openai": None,
    }
    assert data["previous_month_usd"] == 6704.45
    assert data["previous_month_complete"] is False
    assert data["previous_month_missing_days"] == [f"2026-11-{d}" for d in range(21, 31)]
    assert data["data_through"] == "2026-11-20"
    assert data["change_vs_same_point_pct"] is None
    assert data["growth"]["months"][-1] == {
        "month": "2026-11",
        "spend_usd": None,
        # The sample's Stripe revenue for November was synced on the 20th: a month to date.
        "revenue_usd": None,
        "spend_growth": None,
        "revenue_growth": None,
        "relative_growth": None,
        "spend_share_of_revenue": None,
        "revenue_synced_only_to": {"2026-11": "2026-11-20"},
    }
    assert data["growth"]["outgrowing_revenue"] is False


def test_status_mid_gap_compares_like_for_like_up_to_where_the_data_stops(ask: Ask) -> None:
    text = ask("status", as_of="2026-11-25T15:00:00+00:00").stdout
    # November to date is the 20 synced days, compared with 1-20 October, not with 1-25.
    assert "data to 20 Nov; 4 days not yet synced (21–24 Nov)" in text
    assert "up 25.2 % against $5,353.07 by day 20 last month" in text
    assert "October 2026, full month" in text


def test_breakeven_window_is_the_last_28_days_with_data(ask: Ask) -> None:
    on_time = json.loads(ask("breakeven", "--json", as_of=SAMPLE).stdout)
    late = json.loads(ask("breakeven", "--json").stdout)
    # The same 28 whole days (23 Oct - 19 Nov) either way: never 10 unsynced days as $0.
    assert late["monthly_api_usd"] == on_time["monthly_api_usd"]
    assert late["data_window"]["start"] == on_time["data_window"]["start"] == "2026-10-23"
    assert late["data_window"]["end"] == "2026-11-20"
    assert late["data_window"]["days_without_data"] == []
    assert late["data_window"]["ends_days_ago"] == 12
    text = ask("breakeven").stdout
    assert "the data ends 12 days before today" in text
