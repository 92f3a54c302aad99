"""AICOST_CURRENCY: people read every spend figure in their currency, converted at the rate
they set and said so; JSON and the break-even model stay in dollars, as their names say."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from bot.core.money import Display, cents, displaying, format_usd, split_cents
from tests.adapters.test_focus import HEADER, row
from tests.cli.conftest import Run

AS_OF = ("--as-of", "2026-11-10T12:00")
EUR = {"AICOST_CURRENCY": "EUR", "AICOST_FX_RATES": "EUR=1.0841"}
NOTE = (
    "Amounts in EUR, converted from US dollars at $1.0841 per 1 EUR (AICOST_FX_RATES); "
    "break-even figures stay in US dollars"
)


@pytest.fixture
def url(run_aicost: Run, tmp_path: Path) -> str:
    """Two providers' dollar bills for 1-9 November, imported from a FOCUS file."""
    database = f"sqlite:///{tmp_path / 'display.db'}"
    export = tmp_path / "bills.csv"
    rows = [row("50.00", f"2026-11-{d:02}", "Amazon Bedrock") for d in range(1, 10)]
    rows += [
        row("33.333", f"2026-11-{d:02}", "Vertex AI", provider="Google Cloud") for d in range(1, 10)
    ]
    export.write_text("\n".join([HEADER, *rows]) + "\n")
    assert run_aicost("import", "focus", str(export), DATABASE_URL=database).returncode == 0
    return database


def test_status_reads_in_euros_and_adds_up_as_shown(run_aicost: Run, url: str) -> None:
    text = run_aicost("status", *AS_OF, DATABASE_URL=url, **EUR).stdout
    rate = Decimal("1.0841")
    total = Decimal("450.00") + Decimal("299.997")  # 9 x $50 + 9 x $33.333
    assert f"€{cents(total / rate):,.2f}" in text  # €691.73
    shown = [line.split() for line in text.splitlines() if line.startswith("    aws ")]
    shown += [line.split() for line in text.splitlines() if line.startswith("    google-cloud")]
    parts = [Decimal(cells[1].lstrip("€").replace(",", "")) for cells in shown]
    assert sum(parts) == cents(total / rate)  # the breakdown adds up in euros, to the cent
    assert any(NOTE in line for line in text.splitlines())
    assert "$" not in text.split("By provider")[1].split("Data:")[0]  # no dollar figure left


def test_json_stays_in_dollars_whatever_the_display(run_aicost: Run, url: str) -> None:
    plain = run_aicost("status", "--json", *AS_OF, DATABASE_URL=url).stdout
    shown = run_aicost("status", "--json", *AS_OF, DATABASE_URL=url, **EUR).stdout
    assert json.loads(shown) == json.loads(plain)
    assert json.loads(shown)["month_to_date_usd"] == 750.0  # 450.00 + 299.997, to the cent


def test_a_display_currency_without_its_rate_is_one_line(run_aicost: Run, url: str) -> None:
    result = run_aicost("status", DATABASE_URL=url, AICOST_CURRENCY="EUR")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "aicost: AICOST_CURRENCY: EUR needs its rate: set AICOST_FX_RATES=EUR=<US dollars "
        "per 1 EUR>"
    )


def test_split_cents_adds_up_in_the_displayed_currency() -> None:
    parts = [Decimal("0.005"), Decimal("0.005"), Decimal("100.004")]
    total = sum(parts, Decimal(0))
    with displaying(Display("GBP", Decimal("1.2702"))):
        split = split_cents(total, parts)
        shown = [Decimal(format_usd(p).lstrip("£")) for p in split]
        assert sum(shown) == Decimal(format_usd(total).lstrip("£"))
        assert format_usd(Decimal("-12.702")) == "-£10.00"
    assert format_usd(Decimal("-12.702")) == "-$12.70"  # back to dollars after the block
