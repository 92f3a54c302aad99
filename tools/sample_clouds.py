"""Cloud AI bills for the bundled sample: AWS Bedrock pages and a FOCUS export (Vertex AI).

Both are the same team's growth (`scale` from make_sample_pages.py: ~7 % a month, quiet
weekends, the spike day, the partial last day) on smaller bills, each with its own random
generator so the OpenAI, Anthropic and Stripe pages stay byte-for-byte the same.

- **AWS Bedrock**: Cost Explorer `GetCostAndUsage` pages (PROVIDER_APIS.md §4), daily
  `UnblendedCost` grouped by SERVICE and USAGE_TYPE, amounts as decimal strings: Claude bought
  through AWS Marketplace (its own service, "... (Amazon Bedrock Edition)") beside Amazon
  Bedrock's own Titan embeddings. Pages hold a fixed number of groups, so a day's groups run
  over two pages, as Cost Explorer's do; every page but the last carries a `NextPageToken`.
- **FOCUS 1.0 export** (PROVIDER_APIS.md §9): a Google Cloud bill as CSV, Vertex AI's Gemini
  tokens (ServiceCategory "AI and Machine Learning") among rows the AI filter must drop: a GPU
  VM (Compute) and storage. `BillingCurrency` is USD.

Used by make_sample_pages.py.
"""

from __future__ import annotations

import base64
import csv
import io
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

Scale = Callable[[date, random.Random], float]

BEDROCK_CLAUDE = "Claude Sonnet 4 (Amazon Bedrock Edition)"
# service, usage type, tokens a weekday at the start (millions), $ per million tokens
BEDROCK_LINES = (
    (BEDROCK_CLAUDE, "USE1-MP:USE1_InputTokenCount-Units", 3.0, Decimal("3.00")),
    (BEDROCK_CLAUDE, "USE1-MP:USE1_CacheReadInputTokenCount-Units", 4.0, Decimal("0.30")),
    (BEDROCK_CLAUDE, "USE1-MP:USE1_OutputTokenCount-Units", 0.9, Decimal("15.00")),
    ("Amazon Bedrock", "USE1-TitanEmbeddingsV2-Text-input-tokens", 40.0, Decimal("0.02")),
)
BEDROCK_PAGE_GROUPS = 150  # not a multiple of the day's 4 groups: days straddle pages

FOCUS_FILE = "focus_google_cloud.csv"
FOCUS_COLUMNS = (
    "BillingAccountId",
    "BillingCurrency",
    "BillingPeriodStart",
    "BillingPeriodEnd",
    "ChargeCategory",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "BilledCost",
    "EffectiveCost",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ProviderName",
    "PublisherName",
    "RegionId",
    "ServiceCategory",
    "ServiceName",
    "SkuId",
    "SubAccountId",
)
FOCUS_ACCOUNT = "01A2B3-C4D5E6-F7A8B9"
FOCUS_PROJECT = "acme-ml-prod"
# ServiceName, ServiceCategory, SkuId, ChargeDescription, units a weekday at the start, unit,
# $ a unit, whether it follows the team's traffic (the GPU VM and storage run regardless)
FOCUS_LINES = (
    (
        "Vertex AI",
        "AI and Machine Learning",
        "A1F3-5C2E-9B07",
        "Gemini 2.5 Flash Input Text Tokens",
        25_000_000,
        "Tokens",
        Decimal("0.0000003"),
        True,
    ),
    (
        "Vertex AI",
        "AI and Machine Learning",
        "B7D2-0E4A-61C8",
        "Gemini 2.5 Flash Output Text Tokens",
        3_000_000,
        "Tokens",
        Decimal("0.0000025"),
        True,
    ),
    (
        "Compute Engine",
        "Compute",
        "C0E9-8A1D-3F56",
        "Nvidia L4 GPU running in Americas",
        24,
        "Hours",
        Decimal("0.56"),
        False,
    ),
    (
        "Cloud Storage",
        "Storage",
        "D4B8-27C1-E9A0",
        "Standard Storage US Multi-region",
        1200,  # 50 GiB all day
        "GiBy.h",
        Decimal("0.0000361"),
        False,
    ),
)


def _amount(value: Decimal, places: str) -> str:
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_EVEN))


def bedrock_pages(
    rng: random.Random, scale: Scale, *, start: date, end: date, billed_from: date
) -> list[dict]:
    """GetCostAndUsage pages for [start, end); days from `billed_from` on are `Estimated`."""
    results: list[tuple[date, dict]] = []  # (day, one group), in Cost Explorer's order
    day = start
    while day < end:
        s = scale(day, rng)
        for service, usage_type, millions, price in BEDROCK_LINES:
            tokens = int(millions * 1e6 * s * rng.uniform(0.97, 1.03))
            cost = Decimal(tokens) * price / Decimal(1_000_000)
            metric = {"UnblendedCost": {"Amount": _amount(cost, "1e-8"), "Unit": "USD"}}
            results.append((day, {"Keys": [service, usage_type], "Metrics": metric}))
        day += timedelta(days=1)
    pages = []
    for index in range(0, len(results), BEDROCK_PAGE_GROUPS):
        chunk = results[index : index + BEDROCK_PAGE_GROUPS]
        by_day: dict[date, list[dict]] = {}
        for group_day, group in chunk:
            by_day.setdefault(group_day, []).append(group)
        page: dict = {
            "GroupDefinitions": [
                {"Type": "DIMENSION", "Key": "SERVICE"},
                {"Type": "DIMENSION", "Key": "USAGE_TYPE"},
            ],
            "ResultsByTime": [
                {
                    "TimePeriod": {
                        "Start": d.isoformat(),
                        "End": (d + timedelta(days=1)).isoformat(),
                    },
                    "Total": {},
                    "Groups": groups,
                    "Estimated": d >= billed_from,
                }
                for d, groups in by_day.items()
            ],
            "DimensionValueAttributes": [],
        }
        following = index + BEDROCK_PAGE_GROUPS
        if following < len(results):
            marker = f"{following}:{results[following][0].isoformat()}".encode()
            page["NextPageToken"] = base64.b64encode(marker).decode()
        pages.append(page)
    return pages


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def focus_csv(rng: random.Random, scale: Scale, *, start: date, as_of: datetime) -> str:
    """A FOCUS 1.0 CSV of a Google Cloud bill from `start` to `as_of`: a row a SKU a day."""
    end = as_of.date() + timedelta(days=1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FOCUS_COLUMNS)
    day = start
    while day < end:
        s = scale(day, rng)
        midnight = datetime.combine(day, time(0), tzinfo=UTC)
        partial = min(1.0, (as_of - midnight).total_seconds() / 86400)  # the last day's share
        for service, category, sku, description, units, unit, price, follows in FOCUS_LINES:
            quantity = Decimal(int(units * (s if follows else partial)))
            cost = _amount(quantity * price, "1e-6")
            row = {
                "BillingAccountId": FOCUS_ACCOUNT,
                "BillingCurrency": "USD",
                "BillingPeriodStart": _stamp(day.replace(day=1)),
                "BillingPeriodEnd": _stamp(_next_month(day)),
                "ChargeCategory": "Usage",
                "ChargeDescription": description,
                "ChargeFrequency": "Usage-Based",
                "ChargePeriodStart": _stamp(day),
                "ChargePeriodEnd": _stamp(day + timedelta(days=1)),
                "BilledCost": cost,
                "EffectiveCost": cost,
                "ConsumedQuantity": str(quantity),
                "ConsumedUnit": unit,
                "ProviderName": "Google Cloud",
                "PublisherName": "Google Cloud",
                "RegionId": "us-central1",
                "ServiceCategory": category,
                "ServiceName": service,
                "SkuId": sku,
                "SubAccountId": FOCUS_PROJECT,
            }
            writer.writerow([row[c] for c in FOCUS_COLUMNS])
        day += timedelta(days=1)
    return out.getvalue()
