"""AWS Bedrock through Cost Explorer: real botocore, SigV4-signed, against a loopback stand-in.

Every Bedrock service counts (Marketplace models bill under their own names), amounts stay the
exact strings Cost Explorer sends, and a window costs as few requests as it can.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing_adapters import ProviderAuthError, ProviderUnavailable
from billing_adapters.bedrock import BedrockBilling
from tests.fakes.cost_explorer import ACCESS_KEY, SECRET_KEY, CostExplorer

NOVEMBER = date(2026, 11, 1)
CLAUDE = "Claude 3.5 Sonnet (Amazon Bedrock Edition)"


@pytest.fixture(autouse=True)
def aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    """The standard chain, from the environment only: no ~/.aws, no instance metadata."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)


@pytest.fixture
def ce() -> Iterator[CostExplorer]:
    with CostExplorer() as server:
        for n in range(30):
            day = NOVEMBER + timedelta(days=n)
            server.add(day, "Amazon Bedrock", "USE1-TitanEmbeddings-input-tokens", "0.1234567")
            server.add(day, CLAUDE, "USE1-MP:USE1_InputTokenCount-Units", "1.5")
            server.add(day, CLAUDE, "USE1-MP:USE1_OutputTokenCount-Units", "4.25")
            server.add(day, "Amazon Elastic Compute Cloud - Compute", "BoxUsage", "99")
        yield server


def source(ce: CostExplorer, **kwargs: object) -> BedrockBilling:
    return BedrockBilling(endpoint_url=ce.origin, max_attempts=3, **kwargs)  # type: ignore[arg-type]


def test_every_bedrock_service_is_read_exactly_in_two_requests(ce: CostExplorer) -> None:
    result = source(ce).fetch(NOVEMBER, NOVEMBER + timedelta(days=30))
    assert len(result.days) == 30
    assert sum((c.amount for c in result.costs), Decimal(0)) == Decimal(
        "176.203701"
    )  # 30 × 5.8734567
    first = [c for c in result.costs if c.day == NOVEMBER]
    assert [(c.line_item, c.amount, c.model) for c in first] == [
        ("Amazon Bedrock: USE1-TitanEmbeddings-input-tokens", Decimal("0.1234567"), None),
        (f"{CLAUDE}: USE1-MP:USE1_InputTokenCount-Units", Decimal("1.5"), "Claude 3.5 Sonnet"),
        (f"{CLAUDE}: USE1-MP:USE1_OutputTokenCount-Units", Decimal("4.25"), "Claude 3.5 Sonnet"),
    ]
    assert ce.operations() == ["GetDimensionValues", "GetCostAndUsage"]
    _, body, headers = ce.calls[1]
    assert body["Filter"] == {
        "Dimensions": {"Key": "SERVICE", "Values": ["Amazon Bedrock", CLAUDE]}
    }
    assert body["Granularity"] == "DAILY" and body["Metrics"] == ["UnblendedCost"]
    assert body["TimePeriod"] == {"Start": "2026-11-01", "End": "2026-12-01"}
    assert headers["x-amz-target"] == "AWSInsightsIndexService.GetCostAndUsage"
    assert "/us-east-1/ce/aws4_request" in headers["authorization"]


def test_a_day_split_over_pages_is_one_day(ce: CostExplorer) -> None:
    ce.groups_per_page = 4  # three groups a day: every other day straddles two pages
    result = source(ce).fetch(NOVEMBER, NOVEMBER + timedelta(days=6))
    assert len(result.days) == 6 and len(result.costs) == 18
    assert ce.operations().count("GetCostAndUsage") == 5  # 18 groups, 4 a page


def test_no_bedrock_spend_still_answers_the_days_as_zero() -> None:
    with CostExplorer() as empty:
        result = source(empty).fetch(NOVEMBER, NOVEMBER + timedelta(days=3))
    assert len(result.days) == 3 and result.costs == []


def test_throttling_is_retried_then_reported(ce: CostExplorer) -> None:
    ce.throttle = 2
    assert source(ce).fetch(NOVEMBER, NOVEMBER + timedelta(days=1)).costs
    ce.throttle = 10
    with pytest.raises(ProviderUnavailable, match="ThrottlingException after 3 tries"):
        source(ce).fetch(NOVEMBER, NOVEMBER + timedelta(days=1))


def test_refused_credentials_say_what_is_needed(
    ce: CostExplorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ce.refuse = True
    with pytest.raises(ProviderAuthError) as refused:
        source(ce).fetch(NOVEMBER, NOVEMBER + timedelta(days=1))
    assert "ce:GetCostAndUsage" in str(refused.value)
    assert SECRET_KEY not in str(refused.value)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(ProviderAuthError, match="no AWS credentials found"):
        source(ce).fetch(NOVEMBER, NOVEMBER + timedelta(days=1))
