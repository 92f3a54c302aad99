"""`aicost breakeven`, `forecast` and `log-hours` end to end on a real database."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from billing_adapters import CostLine, FetchResult, TokenUsage
from bot.core.clock import next_month_start
from bot.core.month import DAYS_PER_MONTH
from bot.db.engine import connect
from bot.db.store import SpendStore
from tests.cli.conftest import Run
from tests.fill_store import swap_in
from tests.moment import TEST_NOW, TEST_TODAY

REQUIRED = {"pays_off", "monthly_api_usd", "monthly_local_usd", "breakeven_month", "options"}


def seeded(tmp_path: Path, *, daily_usd: str, days: int = 60) -> str:
    """A database with `days` days of Sonnet-class spend and tokens up to yesterday."""
    url = f"sqlite:///{tmp_path / 'be.db'}"
    store = SpendStore(connect(url))
    today = TEST_TODAY
    span = {today - timedelta(days=n) for n in range(1, days + 1)}
    amount = Decimal(daily_usd)
    # $3/M in, $15/M out, 80 % input by volume: $5.40 per million tokens.
    tokens = int(amount / Decimal("5.4") * 1_000_000)
    costs = [CostLine("anthropic", d, "w", "Sonnet", amount) for d in span]
    usage = [
        TokenUsage("anthropic", d, "claude-sonnet-4-5", tokens * 8 // 10, 0, tokens * 2 // 10, 0)
        for d in span
    ]
    result = FetchResult("anthropic", days=span, costs=costs, usage=usage, usage_days=span)
    swap_in(store, result, fetched_at=TEST_NOW)
    store.engine.dispose()
    return url


def test_json_answer_has_the_required_fields(run_aicost: Run, tmp_path: Path) -> None:
    url = seeded(tmp_path, daily_usd="2000")  # about $60,800 a month
    result = run_aicost("breakeven", "--json", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data.keys() >= REQUIRED
    # It saves, but a hosted open-weight API saves more: "pays off" is the cheapest option's.
    assert data["pays_off"] is False and data["self_host_saving_usd"] > 0
    assert data["best_option"] == "hosted_open_weight"
    # 28 days × $2,000 scaled to a 730-hour month.
    assert data["monthly_api_usd"] == float(round(Decimal(56000) * DAYS_PER_MONTH / 28, 2))
    assert data["monthly_local_usd"] < data["monthly_api_usd"]
    assert data["profile"] == "2xh100-rent-70b"
    assert data["breakeven_month"] == TEST_NOW.strftime("%Y-%m")


def test_a_small_bill_never_pays_off(run_aicost: Run, tmp_path: Path) -> None:
    url = seeded(tmp_path, daily_usd="13")  # about $400 a month
    data = json.loads(run_aicost("breakeven", "--json", DATABASE_URL=url).stdout)
    assert data["pays_off"] is False
    assert data["breakeven_api_usd"] is None or data["breakeven_api_usd"] > 400


def test_what_if_spend_scales_todays_mix(run_aicost: Run, tmp_path: Path) -> None:
    url = seeded(tmp_path, daily_usd="13")
    small = json.loads(run_aicost("breakeven", "--json", DATABASE_URL=url).stdout)
    big = json.loads(
        run_aicost("breakeven", "--json", "--monthly-spend", "60000", DATABASE_URL=url).stdout
    )
    assert big["monthly_api_usd"] == 60000.0 and big["self_host_saving_usd"] > 0
    ratio = big["workload"]["output_tokens"] / small["workload"]["output_tokens"]
    assert ratio == pytest.approx(
        60000 / small["monthly_api_usd"], rel=1e-4
    )  # bills are cent-rounded


def test_text_answer_shows_inputs_and_sources(run_aicost: Run, tmp_path: Path) -> None:
    url = seeded(tmp_path, daily_usd="200")
    result = run_aicost(
        "breakeven", "--profile", "h100-rent-8b", "--set", "gpu_hour_usd=1.80", DATABASE_URL=url
    )
    assert result.returncode == 0, result.stderr
    assert "profile h100-rent-8b" in result.stdout
    assert "gpu_hour_usd" in result.stdout and "1.80" in result.stdout and "query" in result.stdout
    assert "cost model §1e" in result.stdout  # a default shows its source
    assert "genai-prices 0.2.3" in result.stdout


def test_no_data_and_no_what_if_is_one_line(run_aicost: Run, tmp_path: Path) -> None:
    result = run_aicost("breakeven", DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "run `aicost sync`" in lines[0] and "--monthly-spend" in lines[0]


def test_what_if_without_any_data_uses_the_reference_mix(run_aicost: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    data = json.loads(
        run_aicost("breakeven", "--json", "--monthly-spend", "60000", DATABASE_URL=url).stdout
    )
    assert data["self_host_saving_usd"] > 0 and data["pays_off"] is False  # hosted is cheaper
    assert "no token usage stored" in data["workload"]["basis"]


@pytest.mark.calendar_free
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "warp_drive=1"], "unknown assumption 'warp_drive'"),
        (["--set", "gpu_hour_usd=cheap"], "gpu_hour_usd='cheap': expected decimal"),
        (["--set", "movable_frac=2"], "movable_frac must be in (0, 1]"),
    ],
)
def test_bad_assumptions_are_one_line(
    run_aicost: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_aicost(
        "breakeven", "--monthly-spend", "1000", *args, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_logged_hours_replace_the_default_tax(run_aicost: Run, tmp_path: Path) -> None:
    url = seeded(tmp_path, daily_usd="2000")
    logged = run_aicost("log-hours", "6", "upgraded", "vLLM", DATABASE_URL=url)
    assert (
        logged.returncode == 0
        and logged.stdout.strip() == "logged 6 h of operations: upgraded vLLM"
    )
    data = json.loads(run_aicost("breakeven", "--json", DATABASE_URL=url).stdout)
    hours = data["assumptions"]["eng_hours_per_week"]
    # One entry of 6 h, counted over at least one week: 6 h/week.
    assert Decimal(hours["value"]) == 6
    assert hours["source"].startswith("measured")
    bad = run_aicost("log-hours", "-2", DATABASE_URL=url)
    assert bad.returncode == 1 and "must be more than 0" in bad.stderr


def test_forecast_json(run_aicost: Run, tmp_path: Path) -> None:
    url = seeded(tmp_path, daily_usd="100")
    data = json.loads(run_aicost("forecast", "--json", DATABASE_URL=url).stdout)
    assert data["available"] is True
    assert len(data["next_months"]) == 12
    end = data["month_end_usd"]
    assert end["low"] <= end["point"] <= end["high"]
    # $100 every day for 60 days: no growth, no weekly pattern, so each month lands near
    # $100 × its days, and the month to date is $100 for each day of this month before today.
    this_month = TEST_TODAY.replace(day=1)
    elapsed = (TEST_TODAY - this_month).days
    dim = (next_month_start(TEST_TODAY) - this_month).days
    assert data["month_to_date_usd"] == 100 * elapsed
    assert abs(end["point"] - 100 * dim) <= dim  # within $1 a day
    assert data["monthly_growth"] == 0
    assert data["naive_month_end_usd"] == (100 * dim if elapsed else None)
    first = data["next_months"][0]
    days_next = (next_month_start(next_month_start(TEST_TODAY)) - next_month_start(TEST_TODAY)).days
    assert first["month"] == f"{next_month_start(TEST_TODAY):%Y-%m}"
    assert abs(first["point"] - 100 * days_next) <= days_next
    empty = json.loads(
        run_aicost("forecast", "--json", DATABASE_URL=f"sqlite:///{tmp_path / 'e.db'}").stdout
    )
    assert empty["available"] is False


def test_compare_puts_every_profile_on_the_same_workload(run_aicost: Run, tmp_path: Path) -> None:
    """`breakeven --compare`: one row a profile, each the same answer `--profile NAME` gives."""
    url = seeded(tmp_path, daily_usd="2000")
    compared = json.loads(run_aicost("breakeven", "--compare", "--json", DATABASE_URL=url).stdout)
    rows = compared["profiles"]
    assert [row["profile"] for row in rows] == [
        "workstation-8b",
        "h100-rent-8b",
        "2xh100-rent-70b",
        "8xh100-buy-70b",
    ]
    assert len({row["monthly_api_usd"] for row in rows}) == 1  # one workload for all
    alone = json.loads(
        run_aicost("breakeven", "--json", "--profile", "8xh100-buy-70b", DATABASE_URL=url).stdout
    )
    assert rows[3] == alone

    text = run_aicost("breakeven", "--compare", DATABASE_URL=url)
    assert text.returncode == 0, text.stderr
    header = next(line for line in text.stdout.splitlines() if line.startswith("profile"))
    assert header.split() == ["profile", "self-host", "hosted", "API", "API", "today",
                              "break-even", "verdict"]  # fmt: skip
    assert "What would flip a verdict" in text.stdout


def test_compare_and_profile_together_are_refused(run_aicost: Run, tmp_path: Path) -> None:
    url = seeded(tmp_path, daily_usd="20")
    result = run_aicost("breakeven", "--compare", "--profile", "h100-rent-8b", DATABASE_URL=url)
    assert result.returncode == 2 and "not allowed with argument" in result.stderr
