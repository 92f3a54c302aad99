"""`bedrock.read_cost_pages`: GetCostAndUsage pages already in hand, read without boto3.

The live sync and the demo's bundled sample pages go through this one reader: a day's groups
split over two pages are summed into that day, and the pages must end on one without a
`NextPageToken`.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from billing_adapters import bedrock
from billing_adapters.errors import ProviderResponseError
from billing_adapters.samples import SAMPLES, SampleBedrock

START = date(2026, 8, 1)
END = date(2026, 11, 21)
CLAUDE = "Claude Sonnet 4 (Amazon Bedrock Edition)"


def sample_pages() -> list[dict]:
    return [
        json.loads(p.read_text()) for p in sorted(SAMPLES.glob("aws-bedrock_cost_and_usage_*.json"))
    ]


def result(day: str, *groups: tuple[str, str, str]) -> dict:
    return {
        "TimePeriod": {"Start": day, "End": day},
        "Total": {},
        "Groups": [
            {"Keys": [s, u], "Metrics": {"UnblendedCost": {"Amount": a, "Unit": "USD"}}}
            for s, u, a in groups
        ],
    }


def test_the_sample_pages_are_paged_as_cost_explorer_pages_them() -> None:
    pages = sample_pages()
    assert len(pages) >= 2
    assert all(p.get("NextPageToken") for p in pages[:-1]) and "NextPageToken" not in pages[-1]
    first_days = [p["ResultsByTime"][0]["TimePeriod"]["Start"] for p in pages[1:]]
    last_days = [p["ResultsByTime"][-1]["TimePeriod"]["Start"] for p in pages[:-1]]
    assert set(first_days) & set(last_days), "no day runs over two pages"
    services = {g["Keys"][0] for p in pages for r in p["ResultsByTime"] for g in r["Groups"]}
    assert services == {CLAUDE, "Amazon Bedrock"}
    # Amounts are decimal strings, as Cost Explorer sends them.
    amounts = [
        g["Metrics"]["UnblendedCost"]["Amount"]
        for p in pages
        for r in p["ResultsByTime"]
        for g in r["Groups"]
    ]
    assert all(isinstance(a, str) for a in amounts)


def test_the_sample_pages_read_whole_and_exact() -> None:
    pages = sample_pages()
    by_hand = sum(
        (
            Decimal(g["Metrics"]["UnblendedCost"]["Amount"])
            for p in pages
            for r in p["ResultsByTime"]
            for g in r["Groups"]
        ),
        Decimal(0),
    )
    read = bedrock.read_cost_pages(pages, START, END)
    assert read.provider == "aws-bedrock"
    assert len(read.days) == (END - START).days
    assert sum((c.amount for c in read.costs), Decimal(0)) == by_hand
    # A day split over two pages has all its lines, each once; Claude's named as its model.
    split = pages[1]["ResultsByTime"][0]["TimePeriod"]["Start"]
    lines = [c for c in read.costs if c.day == date.fromisoformat(split)]
    assert len(lines) == 4
    assert {c.model for c in lines} == {"Claude Sonnet 4", None}
    # The sample source is that reader over those files, with no hourly usage to offer.
    assert SampleBedrock().fetch(START, END).costs == read.costs
    assert not hasattr(SampleBedrock(), "hours")


def test_a_line_on_two_pages_is_summed() -> None:
    pages = [
        {"ResultsByTime": [result("2026-11-02", (CLAUDE, "in", "1.25"))], "NextPageToken": "a"},
        {"ResultsByTime": [result("2026-11-02", (CLAUDE, "in", "0.5"))]},
    ]
    read = bedrock.read_cost_pages(pages, date(2026, 11, 1), date(2026, 11, 3))
    assert [(c.day, c.amount) for c in read.costs] == [(date(2026, 11, 2), Decimal("1.75"))]
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
