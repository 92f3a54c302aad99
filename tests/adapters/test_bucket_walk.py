"""The walk every bucket-style provider shares (`billing_adapters/collect.py`), page by page.

What a sync stores is exactly what this walk yields: one batch a page, the window's days only,
lines of one key summed to the nano-dollar, a repeated day or an absurd amount refused, and the
converters' errors one exact line a user can act on. The parsers here are the smallest that
read a bucket, so the walk is tested apart from either provider's page format.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from billing_adapters import CostLine, FetchResult, ProviderResponseError, TokenUsage
from billing_adapters.collect import merge_batches, stream_pages, to_decimal, to_int, to_text

START, END = date(2026, 11, 10), date(2026, 11, 13)  # the window [10 Nov, 13 Nov)
D10, D11, D12 = date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12)


def bucket(day: date, *results: object) -> dict[str, Any]:
    return {"day": day.isoformat(), "results": list(results)}


def page(*buckets: dict[str, Any]) -> dict[str, Any]:
    return {"data": list(buckets)}


def cost(item: str, usd: str, model: str | None = None) -> dict[str, Any]:
    return {"project": "proj", "item": item, "usd": usd, "model": model}


def tokens(model: str, given: int, output: int) -> dict[str, Any]:
    return {"model": model, "in": given, "out": output}


def _bucket_day(found: dict[str, Any]) -> date:
    return date.fromisoformat(found["day"])


def _cost_row(day: date, row: dict[str, Any]) -> CostLine:
    return CostLine(
        "openai",
        day,
        to_text("openai", row["project"], "project"),
        to_text("openai", row["item"], "item"),
        to_decimal("openai", row["usd"], "amount", day=day),
        row["model"],
    )


def _usage_row(day: date, row: dict[str, Any]) -> TokenUsage:
    given, output = to_int("openai", row["in"], "in"), to_int("openai", row["out"], "out")
    return TokenUsage("openai", day, row["model"], given, 0, output, 1)


def walk(cost_pages: list[Any], usage_pages: list[Any] | None = None) -> list[FetchResult]:
    """Every batch the walk yields for the window, read to the end."""
    return list(
        stream_pages(
            provider="openai",
            start=START,
            end=END,
            cost_pages=cost_pages,
            usage_pages=usage_pages or [],
            bucket_day=_bucket_day,
            cost_row=_cost_row,
            usage_row=_usage_row,
        )
    )


def refused(cost_pages: list[Any], usage_pages: list[Any] | None = None) -> str:
    """The one-line message the walk raises for these pages."""
    with pytest.raises(ProviderResponseError) as raised:
        walk(cost_pages, usage_pages)
    return str(raised.value)


def test_each_page_is_one_batch_of_the_window_days_with_lines_of_one_key_summed() -> None:
    """Cost pages come first, then usage pages, one batch each. Days outside [start, end) are
    dropped; an empty bucket still names its day (it must be emptied); lines and usage rows
    sharing a key within a day are summed, keeping the first model named."""
    cost_pages = [
        page(
            bucket(date(2026, 11, 9), cost("i", "100")),  # before the window
            bucket(D10, cost("i", "1.10"), cost("i", "2.20", "gpt-4o"), cost("j", "0.05")),
            bucket(D11),
        ),
        page(bucket(D12, cost("i", "3")), bucket(END, cost("i", "100"))),  # END is outside
    ]
    usage_pages = [
        page(
            bucket(date(2026, 11, 9), tokens("m", 100, 100)),  # before the window
            bucket(D10, tokens("m", 10, 5), tokens("m", 1, 1), tokens("n", 7, 0)),
        )
    ]

    assert walk(cost_pages, usage_pages) == [
        FetchResult(
            "openai",
            days={D10, D11},
            costs=[
                CostLine("openai", D10, "proj", "i", Decimal("3.30"), "gpt-4o"),  # 1.10 + 2.20
                CostLine("openai", D10, "proj", "j", Decimal("0.05")),
            ],
        ),
        FetchResult("openai", days={D12}, costs=[CostLine("openai", D12, "proj", "i", Decimal(3))]),
        FetchResult(
            "openai",
            usage=[
                TokenUsage("openai", D10, "m", 11, 0, 6, 2),  # 10 + 1 in, 5 + 1 out, 2 rows
                TokenUsage("openai", D10, "n", 7, 0, 0, 1),
            ],
            usage_days={D10},
        ),
    ]


def test_merged_batches_hold_every_day_and_rows_in_key_order() -> None:
    """A whole window in one FetchResult: the days of every page, rows sorted by their key
    whatever order the pages came in."""
    late = FetchResult(
        "openai",
        days={D12},
        costs=[CostLine("openai", D12, "proj", "b", Decimal(2))],
        usage=[TokenUsage("openai", D12, "m", 1, 0, 1, 1)],
        usage_days={D12},
    )
    early = FetchResult(
        "openai",
        days={D10, D11},
        costs=[
            CostLine("openai", D10, "proj", "z", Decimal(3)),
            CostLine("openai", D10, "proj", "a", Decimal(1)),
        ],
        usage=[
            TokenUsage("openai", D10, "n", 2, 0, 2, 1),
            TokenUsage("openai", D10, "m", 3, 0, 3, 1),
        ],
        usage_days={D10},
    )
    assert merge_batches("openai", [late, early]) == FetchResult(
        "openai",
        days={D10, D11, D12},
        costs=[
            CostLine("openai", D10, "proj", "a", Decimal(1)),
            CostLine("openai", D10, "proj", "z", Decimal(3)),
            CostLine("openai", D12, "proj", "b", Decimal(2)),
        ],
        usage=[
            TokenUsage("openai", D10, "m", 3, 0, 3, 1),
            TokenUsage("openai", D10, "n", 2, 0, 2, 1),
            TokenUsage("openai", D12, "m", 1, 0, 1, 1),
        ],
        usage_days={D10, D12},
    )


def test_a_line_of_a_billion_dollars_either_way_is_a_broken_page() -> None:
    """A single line of $1e9 or more (or a credit as large) is refused: it is no bill, and it
    would overflow the nano-dollars it is stored in. Just under stays exact."""
    under = "999999999.999999999"
    [batch] = walk([page(bucket(D10, cost("i", under)))])
    assert batch.costs == [CostLine("openai", D10, "proj", "i", Decimal(under))]
    assert refused([page(bucket(D10, cost("i", "1e9")))]) == (
        "openai: amount 1E+9 on 2026-11-10 is out of range"
    )
    assert refused([page(bucket(D10, cost("i", "-1000000000")))]) == (
        "openai: amount -1000000000 on 2026-11-10 is out of range"
    )


def test_a_day_that_comes_twice_is_refused_in_either_report() -> None:
    """A day is whole within its bucket: a second bucket for it, on the same page or a later
    one, is an error rather than a guess. Costs and usage each answer a day once."""
    twice = "openai: the bucket for 2026-11-11 came twice"
    assert refused([page(bucket(D11), bucket(D11))]) == twice
    assert refused([page(bucket(D11)), page(bucket(D11, cost("i", "1")))]) == twice
    assert refused([], [page(bucket(D11)), page(bucket(D11))]) == twice


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ([{"data": None}], "openai: page has no 'data' list"),
        ([{"object": "page"}], "openai: page has no 'data' list"),
        ([{"data": ["2026-11-10"]}], "openai: bucket has no 'results' list"),
        ([page({"day": "2026-11-10", "results": {}})], "openai: bucket has no 'results' list"),
        (
            [page(bucket(D10, "x" * 60))],
            "openai: a result on 2026-11-10 is not an object: '" + "x" * 39,
        ),
    ],
)
@pytest.mark.parametrize("report", ["costs", "usage"])
def test_a_page_of_the_wrong_shape_is_one_exact_line(
    pages: list[Any], message: str, report: str
) -> None:
    """A page, bucket or row of the wrong shape, in either report, names the provider and what
    is wrong; a bad row is quoted to 40 characters, enough to recognise, short enough for Slack."""
    assert (refused(pages) if report == "costs" else refused([], pages)) == message


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        (Decimal("1.50"), "1.50"),  # pages are parsed with parse_float=Decimal
        ("0.003333333", "0.003333333"),
        (7, "7"),
        (0.1, "0.1"),  # through str(): not 0.1000000000000000055511151231257827
        (Decimal("-2.5"), "-2.5"),
    ],
)
def test_amounts_are_read_exactly(value: object, exact: str) -> None:
    """Every amount becomes the exact Decimal it was written as, digits and all."""
    assert str(to_decimal("openai", value, "amount", day=D10)) == exact


@pytest.mark.parametrize(
    ("value", "day", "message"),
    [
        (True, D10, "openai: amount on 2026-11-10 is True, not a number"),
        ([1], None, "openai: amount is [1], not a number"),
        (None, None, "openai: amount is None, not a number"),
        ("abc", D10, "openai: amount on 2026-11-10 'abc' is not a number"),
        ("NaN", None, "openai: amount 'NaN' is not a finite number"),
        (
            Decimal("Infinity"),
            D10,
            "openai: amount on 2026-11-10 Decimal('Infinity') is not a finite number",
        ),
        (float("inf"), None, "openai: amount 'inf' is not a finite number"),
    ],
)
def test_an_amount_that_is_no_finite_number_is_one_exact_line(
    value: object, day: date | None, message: str
) -> None:
    """The error says which amount, on which day when known, and what came instead."""
    with pytest.raises(ProviderResponseError) as raised:
        to_decimal("openai", value, "amount", day=day)
    assert str(raised.value) == message


class Label(str):
    """A str subclass: not what JSON gives, but text all the same."""


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        ("proj_abc", "", "proj_abc"),
        (None, "", ""),
        (None, "unknown", "unknown"),
        ("x" * 191, "", "x" * 191),
        ("x" * 192, "", "x" * 191),  # cut to the shortest column it is stored in
        (Label("y" * 200), "", "y" * 191),
        (Label("short"), "", "short"),
    ],
)
def test_labels_are_text_cut_to_fit_or_the_default(
    value: object, default: str, expected: str
) -> None:
    """A grouping label is the provider's text, at most 191 characters; null is the default."""
    assert to_text("openai", value, "project", default=default) == expected


@pytest.mark.parametrize("value", [5, ["w"], {"id": "w"}])
def test_a_label_that_is_not_text_is_one_exact_line(value: object) -> None:
    """A number or object where a label belongs is a broken page, not a label to guess."""
    with pytest.raises(ProviderResponseError) as raised:
        to_text("openai", value, "project")
    assert str(raised.value) == f"openai: project {value!r} is not text"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (7, 7),
        (2**63 - 1, 2**63 - 1),  # the largest a signed 64-bit column holds
        (None, 0),  # newer fields are missing on old data
        ("0", 0),
        ("12", 12),
        (Decimal("12"), 12),
        (Decimal("12.0"), 12),
        ("9223372036854775807", 2**63 - 1),
    ],
)
def test_counts_are_whole_numbers_in_range(value: object, expected: int) -> None:
    """A token or request count is a whole number from 0 to 2**63 - 1, however it is written."""
    assert to_int("openai", value, "input_tokens") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "openai: input_tokens -1 is out of range"),
        (2**63, "openai: input_tokens 9223372036854775808 is out of range"),
        ("9223372036854775808", "openai: input_tokens '9223372036854775808' is out of range"),
        (Decimal("-3"), "openai: input_tokens Decimal('-3') is out of range"),
        ("2.5", "openai: input_tokens '2.5' is not a whole number"),
        (Decimal("12.5"), "openai: input_tokens Decimal('12.5') is not a whole number"),
        ("Infinity", "openai: input_tokens 'Infinity' is not a whole number"),
        ("lots", "openai: input_tokens 'lots' is not a count"),
        (True, "openai: input_tokens True is not a count"),
        (1.0, "openai: input_tokens 1.0 is not a count"),
        ([3], "openai: input_tokens [3] is not a count"),
    ],
)
def test_a_count_that_is_not_one_is_one_exact_line(value: object, message: str) -> None:
    """The error quotes what came, and says whether it is no count, not whole or too large."""
    with pytest.raises(ProviderResponseError) as raised:
        to_int("openai", value, "input_tokens")
    assert str(raised.value) == message
