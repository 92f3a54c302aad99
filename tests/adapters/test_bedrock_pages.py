"""`bedrock.read_cost_pages`: GetCostAndUsage pages already in hand, read without boto3.

The live sync feeds it pages as Cost Explorer answers them; pages saved or bundled can go
through the same reader. A day's groups split over two pages are summed into that day, and the
pages must end on one without a `NextPageToken`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing_adapters import bedrock
from billing_adapters.errors import ProviderResponseError

CLAUDE = "Claude Sonnet 4 (Amazon Bedrock Edition)"


def result(day: str, *groups: tuple[str, str, str]) -> dict:
    return {
        "TimePeriod": {"Start": day, "End": day},
        "Total": {},
        "Groups": [
            {"Keys": [s, u], "Metrics": {"UnblendedCost": {"Amount": a, "Unit": "USD"}}}
            for s, u, a in groups
        ],
    }


def test_a_line_on_two_pages_is_summed() -> None:
    pages = [
        {"ResultsByTime": [result("2026-11-02", (CLAUDE, "in", "1.25"))], "NextPageToken": "a"},
        {"ResultsByTime": [result("2026-11-02", (CLAUDE, "in", "0.5"))]},
    ]
    read = bedrock.read_cost_pages(pages, date(2026, 11, 1), date(2026, 11, 3))
    assert [(c.day, c.amount_usd) for c in read.costs] == [(date(2026, 11, 2), Decimal("1.75"))]
    assert read.days == {date(2026, 11, 2)}


def test_pages_must_end_without_a_token_and_never_repeat_one() -> None:
    page = {"ResultsByTime": [result("2026-11-02", (CLAUDE, "in", "1"))], "NextPageToken": "a"}
    window = (date(2026, 11, 1), date(2026, 11, 3))
    with pytest.raises(ProviderResponseError, match="ended on a NextPageToken"):
        bedrock.read_cost_pages([page], *window)
    with pytest.raises(ProviderResponseError, match="repeated a page token"):
        bedrock.read_cost_pages([page, page], *window)


def test_the_reader_stops_asking_after_max_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bedrock, "MAX_PAGES", 3)
    asked: list[int] = []

    def endless():  # noqa: ANN202
        n = 0
        while True:
            n += 1
            asked.append(n)
            yield {"ResultsByTime": [], "NextPageToken": f"t{n}"}

    with pytest.raises(ProviderResponseError, match="passed 3 pages"):
        bedrock.read_cost_pages(endless(), date(2026, 11, 1), date(2026, 11, 3))
    assert asked == [1, 2, 3]  # each page costs $0.01: no fourth request
