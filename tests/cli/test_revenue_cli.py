"""`aicost revenue ...` end to end, and revenue feeding the growth figures in `status`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot.core.clock import month_start, previous_month_start
from bot.db.engine import connect
from bot.db.revenue import RevenueStore
from tests.cli.conftest import Run
from tests.fakes.stripe_api import STRIPE_KEY, StripeAPI, balance_transaction
from tests.fill_store import swap_in
from tests.moment import TEST_NOW, TEST_TODAY


def stored(url: str) -> dict[str, tuple[Decimal, str]]:
    engine = connect(url)
    rows = RevenueStore(engine).months(date(2000, 1, 1), date(2100, 1, 1))
    engine.dispose()
    return {f"{r.month:%Y-%m}": (r.amount_usd, r.source) for r in rows}


def test_set_and_show(run_aicost: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    result = run_aicost("revenue", "set", "2026-10", "$125,000.50", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "revenue for 2026-10 set to $125,000.50"
    # Setting a month again replaces it.
    assert run_aicost("revenue", "set", "2026-10", "130000", DATABASE_URL=url).returncode == 0
    assert stored(url) == {"2026-10": (Decimal("130000"), "manual")}
    shown = run_aicost("revenue", "show", DATABASE_URL=url)
    assert "2026-10" in shown.stdout and "$130,000.00" in shown.stdout


@pytest.mark.parametrize(
    ("month", "amount", "message"),
    [
        ("2026-13", "100", "'2026-13' is not a month like 2026-10"),
        ("October", "100", "'October' is not a month like 2026-10"),
        ("2026-10", "lots", "'lots' is not an amount like 12345.67"),
        ("2026-10", "-5", "'-5' is not an amount between"),
        ("2026-10", "1.005", "'1.005' has more than two decimal places"),
    ],
)
def test_bad_input_is_one_line_and_stores_nothing(
    run_aicost: Run, tmp_path: Path, month: str, amount: str, message: str
) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    result = run_aicost("revenue", "set", month, amount, DATABASE_URL=url)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"aicost: {message}")
    assert stored(url) == {}


def test_csv_import_is_all_or_nothing(run_aicost: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    good = tmp_path / "good.csv"
    good.write_text(
        'month,revenue\n2026-08,100000\n2026-09,"$104,000.00"\n# note\n2026-10,108160\n'
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("month,revenue\n2026-11,1\n2026-12,oops\n")

    ok = run_aicost("revenue", "import", str(good), DATABASE_URL=url)
    assert ok.returncode == 0 and "imported revenue for 3 months (2026-08..2026-10)" in ok.stdout
    failed = run_aicost("revenue", "import", str(bad), DATABASE_URL=url)
    assert failed.returncode == 1
    assert (
        "line 3: 'oops' is not an amount" in failed.stderr
        and "nothing was imported" in failed.stderr
    )
    assert stored(url) == {
        "2026-08": (Decimal(100000), "csv"),
        "2026-09": (Decimal(104000), "csv"),
        "2026-10": (Decimal(108160), "csv"),
    }


@pytest.fixture
def stripe() -> Iterator[StripeAPI]:
    with StripeAPI() as server:
        yield server


def test_sync_from_stripe(run_aicost: Run, tmp_path: Path, stripe: StripeAPI) -> None:
    today = TEST_TODAY
    this_month, last_month = month_start(today), previous_month_start(today)
    noon = datetime.combine(last_month, datetime.min.time(), tzinfo=UTC).replace(hour=12)
    stripe.add(balance_transaction(500_000, int(noon.timestamp())))
    stripe.add(balance_transaction(-10_050, int(noon.timestamp()) + 60, category="refund"))
    stripe.add(balance_transaction(-14_500, int(noon.timestamp()) + 120, category="fee"))
    url = f"sqlite:///{tmp_path / 'r.db'}"

    result = run_aicost(
        "revenue", "sync", DATABASE_URL=url, STRIPE_API_KEY=STRIPE_KEY, STRIPE_BASE_URL=stripe.url
    )

    assert result.returncode == 0, result.stderr
    revenue = stored(url)
    assert revenue[f"{last_month:%Y-%m}"] == (Decimal("4899.50"), "stripe")  # 5000.00 - 100.50
    assert revenue[f"{this_month:%Y-%m}"] == (Decimal(0), "stripe")
    assert STRIPE_KEY not in result.stdout + result.stderr


def test_sync_without_a_key_says_which_setting(run_aicost: Run) -> None:
    result = run_aicost("revenue", "sync")
    assert result.returncode == 1
    assert result.stderr.startswith("aicost: STRIPE_API_KEY is not set")


def test_status_shows_spend_against_revenue(run_aicost: Run, tmp_path: Path) -> None:
    from billing_adapters import CostLine, FetchResult
    from bot.db.store import SpendStore

    url = f"sqlite:///{tmp_path / 'g.db'}"
    today = TEST_TODAY
    m1 = previous_month_start(today)
    m0 = previous_month_start(m1)
    store = SpendStore(connect(url))
    # Spend doubles (100 -> 200); revenue grows 10 % (10000 -> 11000). Every day of both
    # months was synced (growth compares complete months only); the spend is on the 1st.
    lines = [
        CostLine("openai", m0, "p", "x", Decimal(100)),
        CostLine("openai", m1, "p", "x", Decimal(200)),
    ]
    days = {m0 + timedelta(days=n) for n in range((today.replace(day=1) - m0).days)}
    swap_in(store, FetchResult("openai", days=days, costs=lines), fetched_at=TEST_NOW)
    RevenueStore(store.engine).set_months(
        [(m0, Decimal(10000)), (m1, Decimal(11000))], source="manual", at=TEST_NOW
    )
    store.engine.dispose()

    data = json.loads(run_aicost("status", "--json", DATABASE_URL=url).stdout)
    latest = data["growth"]["months"][-1]
    assert latest["month"] == f"{m1:%Y-%m}"
    assert (latest["spend_growth"], latest["revenue_growth"]) == (1.0, 0.1)
    assert latest["relative_growth"] == round(2 / 1.1, 4)
    assert latest["spend_share_of_revenue"] == round(200 / 11000, 4)
    text = run_aicost("status", DATABASE_URL=url).stdout
    assert "AI spend +100.0 % on the month before, revenue +10.0 %" in text
