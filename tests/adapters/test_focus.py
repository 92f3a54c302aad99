"""Reading FOCUS exports: AI rows kept by category (or a pattern), days covered per provider,
amounts exact, and a file that cannot be trusted refused whole with its line named."""

from __future__ import annotations

import gzip
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from billing_adapters import ProviderResponseError
from billing_adapters.focus import FocusError, read_focus, read_focus_file

HEADER = (
    "BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ProviderName,ServiceName,"
    "ServiceCategory,SubAccountId,ChargeDescription,SkuId,Tags"
)
AI = "AI and Machine Learning"


def row(cost: str, day: str, service: str, category: str = AI, **extra: str) -> str:
    provider = extra.get("provider", "AWS")
    currency = extra.get("currency", "USD")
    account = extra.get("account", "111122223333")
    detail = extra.get("detail", "")
    return (
        f"{cost},{currency},{day}T00:00:00Z,{day}T23:59:59Z,{provider},{service},{category},"
        f'{account},{detail},SKU,"{{""team"": ""search""}}"'
    )


def test_ai_rows_are_kept_and_summed_and_the_file_s_days_are_covered() -> None:
    lines = [
        HEADER,
        row("12.3456", "2026-11-01", "Claude 3.5 Sonnet (Amazon Bedrock Edition)", detail="in"),
        row("0.0044", "2026-11-01", "Claude 3.5 Sonnet (Amazon Bedrock Edition)", detail="in"),
        row("0.50", "2026-11-02", "Amazon EC2", "Compute"),
        row("7.10", "2026-11-04", "Amazon Bedrock"),
        row("3.00", "2026-11-02", "Azure OpenAI", provider="Microsoft", account="sub-1"),
    ]
    found = read_focus(lines)
    assert (found.rows, found.kept) == (5, 4)
    aws = found.results["aws"]
    assert aws.days == {date(2026, 11, d) for d in (1, 2, 3, 4)}  # 2 and 3: covered, no AI
    assert [(c.day, c.line_item, c.amount) for c in aws.costs] == [
        (date(2026, 11, 1), "Claude 3.5 Sonnet (Amazon Bedrock Edition): in", Decimal("12.35")),
        (date(2026, 11, 4), "Amazon Bedrock: SKU", Decimal("7.10")),
    ]
    microsoft = found.results["microsoft"]
    assert microsoft.days == {date(2026, 11, 2)}
    assert microsoft.costs[0].project == "sub-1"


def test_a_services_pattern_replaces_the_category_rule() -> None:
    lines = [HEADER, row("1", "2026-11-01", "Amazon EC2", "Compute"), row("2", "2026-11-01", "X")]
    found = read_focus(lines, services=re.compile("ec2", re.IGNORECASE))
    assert [c.amount for c in found.results["aws"].costs] == [Decimal(1)]


def test_gzipped_files_read_like_plain_ones(tmp_path: Path) -> None:
    text = "\n".join([HEADER, row("4.25", "2026-11-01", "Amazon Bedrock")]) + "\n"
    plain, packed = tmp_path / "focus.csv", tmp_path / "focus.csv.gz"
    plain.write_text(text, encoding="utf-8-sig")  # a BOM, as spreadsheet tools write
    packed.write_bytes(gzip.compress(text.encode()))
    assert (
        read_focus_file(plain).results["aws"].costs == read_focus_file(packed).results["aws"].costs
    )


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ["BilledCost,ServiceName"],
            "not a FOCUS export: no ChargePeriodStart, BillingCurrency, ProviderName column",
        ),
        (
            [HEADER, row("1", "2026-11-01", "Amazon Bedrock"), row("x", "2026-11-01", "Bedrock")],
            "line 3: BilledCost 'x' is not a number",
        ),
        (
            [HEADER, row("1", "2026-11-01", "Vertex AI", currency="")],
            "line 2: BillingCurrency 'empty' is not a code",
        ),
        ([HEADER, row("1", "yesterday", "Amazon Bedrock")], "line 2: ChargePeriodStart"),
        ([HEADER, row("1e12", "2026-11-01", "Amazon Bedrock")], "line 2: BilledCost"),
    ],
)
def test_a_file_that_cannot_be_trusted_is_refused(lines: list[str], message: str) -> None:
    with pytest.raises(ProviderResponseError) as refused:
        read_focus(lines)
    assert message in str(refused.value)


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv.gz"
    path.write_bytes(b"\x1f\x8b" + b"\x00" * 20)
    with pytest.raises(FocusError, match="cannot be read as CSV or gzipped CSV"):
        read_focus_file(path)
