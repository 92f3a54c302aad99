"""`aicost demo`: the README's first command, on a fresh directory with no settings."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from billing_adapters.samples import SAMPLES, sample_as_of
from bot.money import format_usd
from tests.cli.conftest import Run


def sample_total(month_start: date, until: date) -> Decimal:
    """Add up the sample pages by hand, independently of the adapters: OpenAI dollars,
    Anthropic cents."""
    total = Decimal(0)
    for path in SAMPLES.glob("*_costs_*.json"):
        page = json.loads(path.read_text(), parse_float=Decimal)
        for bucket in page["data"]:
            if "start_time" in bucket:
                day = datetime.fromtimestamp(bucket["start_time"], tz=UTC).date()
                amounts = [Decimal(str(r["amount"]["value"])) for r in bucket["results"]]
            else:
                day = date.fromisoformat(bucket["starting_at"][:10])
                amounts = [Decimal(r["amount"]) / 100 for r in bucket["results"]]
            if month_start <= day <= until:
                total += sum(amounts, Decimal(0))
    return total


def test_demo_prints_the_status_of_the_sample_data(run_aicost: Run, tmp_path: Path) -> None:
    result = run_aicost("demo")

    assert result.returncode == 0, result.stderr
    as_of = sample_as_of().date()
    month_to_date = sample_total(as_of.replace(day=1), as_of)
    previous = sample_total(date(2026, 10, 1), date(2026, 10, 31))
    assert "Month to date" in result.stdout
    assert format_usd(month_to_date) in result.stdout
    assert format_usd(previous) in result.stdout
    assert "May still be incomplete" in result.stdout
    assert (tmp_path / "aicost-demo.db").exists()


def test_running_the_demo_again_replaces_instead_of_adding(run_aicost: Run) -> None:
    first = run_aicost("demo")
    second = run_aicost("demo")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


def test_demo_respects_the_timezone_setting(run_aicost: Run) -> None:
    result = run_aicost("demo", AICOST_TIMEZONE="Asia/Tokyo")
    assert result.returncode == 0
    # 15:00 UTC on Nov 20 is midnight Nov 21 in Tokyo.
    assert "as of Sat 21 Nov 2026 00:00 Asia/Tokyo" in result.stdout
