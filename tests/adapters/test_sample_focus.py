"""The demo's bundled FOCUS export: a Google Cloud bill in FOCUS 1.0 columns, read by the same
reader as `aicost import focus`, whose AI filter must drop its compute and storage rows."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

from billing_adapters.focus import AI_CATEGORY, read_focus_file
from billing_adapters.samples import SAMPLE_FOCUS


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE_FOCUS.open(newline="") as text:
        return list(csv.DictReader(text))


def test_the_sample_is_a_usd_focus_export_with_rows_to_drop() -> None:
    rows = sample_rows()
    assert {r["BillingCurrency"] for r in rows} == {"USD"}
    assert {r["ProviderName"] for r in rows} == {"Google Cloud"}
    categories = {r["ServiceCategory"] for r in rows}
    assert AI_CATEGORY in categories and len(categories) > 1  # non-AI rows the filter drops
    assert SAMPLE_FOCUS.stat().st_size < 150_000  # keeps the demo fast and the repo small


def test_the_reader_keeps_exactly_the_ai_rows_of_the_sample() -> None:
    rows = sample_rows()
    ai = [r for r in rows if r["ServiceCategory"] == AI_CATEGORY]
    found = read_focus_file(SAMPLE_FOCUS)
    assert (found.rows, found.kept) == (len(rows), len(ai))
    result = found.results["google-cloud"]
    assert sum((c.amount for c in result.costs), Decimal(0)) == sum(
        (Decimal(r["BilledCost"]) for r in ai), Decimal(0)
    )
    assert min(result.days) == date(2026, 8, 1) and max(result.days) == date(2026, 11, 20)
    assert {c.line_item.partition(":")[0] for c in result.costs} == {"Vertex AI"}
