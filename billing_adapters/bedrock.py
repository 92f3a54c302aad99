"""AWS Bedrock spend through Cost Explorer (`ce:GetCostAndUsage`), with boto3's credential chain.

Cost Explorer has one endpoint (`ce.us-east-1.amazonaws.com`, SigV4 region `us-east-1`) and
charges $0.01 a request, every page included (PROVIDER_APIS.md §4), so a window costs as few
requests as possible: one `GetDimensionValues` finds the window's Bedrock service names, then
`GetCostAndUsage` pages daily `UnblendedCost` for just those services, grouped by service and
usage type; a month is one page for most accounts. Matching names matters: models sold through
AWS Marketplace bill under their own service, e.g. "Claude 3.5 Sonnet (Amazon Bedrock Edition)",
and a filter on "Amazon Bedrock" alone misses them.

Amounts are decimal strings, kept exact; a unit other than USD is refused. Token counts are not
read: Cost Explorer's usage quantities have no documented unit per usage type.

boto3 is an optional extra (`pip install 'aicost[aws]'`), imported only when this source runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from .base import StreamedSource
from .collect import MAX_LINE_AMOUNT, to_currency, to_decimal, to_text
from .errors import ProviderAuthError, ProviderResponseError, ProviderUnavailable
from .records import CostLine, FetchResult

if TYPE_CHECKING:
    from botocore.client import BaseClient

__all__ = ["BEDROCK", "BedrockBilling", "is_bedrock_service", "read_cost_pages"]

PROVIDER = "aws-bedrock"
REGION = "us-east-1"  # Cost Explorer's one endpoint
BEDROCK = "Bedrock"
MARKETPLACE_SUFFIX = " (Amazon Bedrock Edition)"
MAX_PAGES = 1000
SETTING = "AICOST_AWS_BEDROCK"
CREDENTIALS_HINT = (
    "AWS credentials come from the standard chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, an instance "
    "role, ...) and need ce:GetCostAndUsage and ce:GetDimensionValues"
)
AUTH_CODES = frozenset(
    {
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "ExpiredTokenException",
        "SignatureDoesNotMatch",
    }
)


def is_bedrock_service(name: str) -> bool:
    """Amazon Bedrock itself, and every model sold through Marketplace for Bedrock."""
    return BEDROCK.lower() in name.lower()


def _model(service: str) -> str | None:
    return (
        service.removesuffix(MARKETPLACE_SUFFIX) if service.endswith(MARKETPLACE_SUFFIX) else None
    )


class BedrockBilling(StreamedSource):
    """Reads the Bedrock part of an AWS bill from Cost Explorer."""

    name = PROVIDER

    def __init__(
        self,
        *,
        profile: str | None = None,
        endpoint_url: str | None = None,
        max_attempts: int = 5,
        client: BaseClient | None = None,
    ) -> None:
        self._profile = profile
        self._endpoint_url = endpoint_url
        self._max_attempts = max_attempts
        self._client = client

    def _ce(self) -> BaseClient:
        if self._client is None:
            import boto3  # the optional extra: only a team that reads Bedrock pays its import
            from botocore.config import Config

            session = boto3.Session(profile_name=self._profile)
            self._client = session.client(
                "ce",
                region_name=REGION,
                endpoint_url=self._endpoint_url,
                config=Config(retries={"mode": "standard", "max_attempts": self._max_attempts}),
            )
        return self._client

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        """One Cost Explorer request, its failures as the provider errors a sync reports."""
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            NoCredentialsError,
            PartialCredentialsError,
        )

        try:
            return getattr(self._ce(), operation)(**params)
        except (NoCredentialsError, PartialCredentialsError):
            raise ProviderAuthError(
                PROVIDER, f"no AWS credentials found; {CREDENTIALS_HINT}"
            ) from None
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "Unknown")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in AUTH_CODES or status in (401, 403):
                raise ProviderAuthError(
                    PROVIDER, f"{code}: the AWS credentials were refused; {CREDENTIALS_HINT}"
                ) from None
            if code in ("ThrottlingException", "LimitExceededException") or (status or 0) >= 500:
                raise ProviderUnavailable(
                    PROVIDER, f"{code} after {self._max_attempts} tries; will retry next sync"
                ) from None
            raise ProviderResponseError(PROVIDER, f"Cost Explorer {operation}: {code}") from None
        except BotoCoreError as exc:
            raise ProviderUnavailable(
                PROVIDER, f"Cost Explorer unreachable ({type(exc).__name__})"
            ) from None

    def services(self, start: date, end: date) -> list[str]:
        """The window's service names containing "Bedrock" (one request, $0.01)."""
        found: list[str] = []
        token: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {
                "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},
                "Dimension": "SERVICE",
                "SearchString": BEDROCK,
                "Context": "COST_AND_USAGE",
            }
            if token:
                params["NextPageToken"] = token
            page = self._call("get_dimension_values", **params)
            for value in page.get("DimensionValues") or []:
                name = value.get("Value") if isinstance(value, dict) else None
                if isinstance(name, str) and is_bedrock_service(name):
                    found.append(name)
            token = page.get("NextPageToken")
            if not token:
                return sorted(set(found))
        raise ProviderResponseError(PROVIDER, f"GetDimensionValues passed {MAX_PAGES} pages")

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]:
        """The window [start, end) as one FetchResult, read by `read_cost_pages`."""
        services = self.services(start, end)
        if progress:
            progress(f"{PROVIDER}: {len(services)} Bedrock services billed {start}..{end}")
        params: dict[str, Any] = {
            "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},
            "Granularity": "DAILY",
            "Metrics": ["UnblendedCost"],
            "GroupBy": [
                {"Type": "DIMENSION", "Key": "SERVICE"},
                {"Type": "DIMENSION", "Key": "USAGE_TYPE"},
            ],
        }
        if services:
            params["Filter"] = {"Dimensions": {"Key": "SERVICE", "Values": services}}
        else:
            # Nothing billed under a Bedrock name: the window's days are known $0 days, read
            # from one ungrouped page filtered to the plain service name.
            params["Filter"] = {"Dimensions": {"Key": "SERVICE", "Values": ["Amazon Bedrock"]}}
            params.pop("GroupBy")
        pages = self._cost_pages(params, start, end, progress)
        yield read_cost_pages(pages, start, end, grouped=bool(services))

    def _cost_pages(
        self,
        params: dict[str, Any],
        start: date,
        end: date,
        progress: Callable[[str], None] | None,
    ) -> Iterator[dict[str, Any]]:
        """GetCostAndUsage pages, each request made only when the reader asks for the next."""
        number = 0
        while True:  # read_cost_pages stops asking at MAX_PAGES or a repeated token
            number += 1
            page = self._call("get_cost_and_usage", **params)
            if progress:
                progress(f"{PROVIDER} costs: page {number} ({start}..{end})")
            yield page
            token = page.get("NextPageToken") if isinstance(page, dict) else None
            if not token:
                return
            params["NextPageToken"] = token


def read_cost_pages(
    pages: Iterable[dict[str, Any]], start: date, end: date, *, grouped: bool = True
) -> FetchResult:
    """The window [start, end) from GetCostAndUsage pages, followed to the one without a token.

    Pure: no boto3, no request. A live sync feeds it pages as Cost Explorer answers them; the
    demo feeds it the bundled sample pages. A day's groups may run over two pages, so the pages
    are gathered before the window is returned whole (a Bedrock bill is a few hundred lines a
    month, not a memory concern), and a line seen on two pages is summed.
    """
    merged = FetchResult(provider=PROVIDER)
    lines: dict[tuple[object, ...], CostLine] = {}
    seen: set[str] = set()
    for number, page in enumerate(pages, start=1):
        if not isinstance(page, dict):
            raise ProviderResponseError(PROVIDER, "a GetCostAndUsage page is not an object")
        days, page_lines = _read_page(page, start, end, grouped=grouped)
        merged.days |= days
        for line in page_lines:
            held = lines.get(line.key)
            lines[line.key] = line if held is None else held.plus(line)
        token = page.get("NextPageToken")
        if not token:
            merged.costs = sorted(lines.values(), key=lambda c: c.key)
            return merged
        if token in seen:
            raise ProviderResponseError(PROVIDER, "GetCostAndUsage repeated a page token")
        if number >= MAX_PAGES:
            raise ProviderResponseError(PROVIDER, f"GetCostAndUsage passed {MAX_PAGES} pages")
        seen.add(token)
    raise ProviderResponseError(PROVIDER, "GetCostAndUsage pages ended on a NextPageToken")


def _read_page(
    page: dict[str, Any], start: date, end: date, *, grouped: bool
) -> tuple[set[date], list[CostLine]]:
    """The days a page answers for in [start, end), and its cost lines."""
    results = page.get("ResultsByTime")
    if not isinstance(results, list):
        raise ProviderResponseError(PROVIDER, "GetCostAndUsage page has no ResultsByTime list")
    days: set[date] = set()
    lines: list[CostLine] = []
    for result in results:
        if not isinstance(result, dict) or not isinstance(result.get("TimePeriod"), dict):
            raise ProviderResponseError(PROVIDER, "a result has no TimePeriod")
        try:
            day = date.fromisoformat(str(result["TimePeriod"].get("Start"))[:10])
        except ValueError:
            raise ProviderResponseError(
                PROVIDER, "a result's TimePeriod.Start is not a date"
            ) from None
        if not start <= day < end:
            continue
        days.add(day)
        groups = result.get("Groups") or []
        if not isinstance(groups, list):
            raise ProviderResponseError(PROVIDER, f"Groups on {day} is not a list")
        for group in groups if grouped else []:
            keys = group.get("Keys") if isinstance(group, dict) else None
            metric = (group.get("Metrics") or {}).get("UnblendedCost") if keys else None
            if not isinstance(keys, list) or len(keys) != 2 or not isinstance(metric, dict):
                raise ProviderResponseError(PROVIDER, f"a group on {day} is malformed")
            unit = to_currency(PROVIDER, metric.get("Unit") or "USD", "Unit", day=day)
            amount = to_decimal(PROVIDER, metric.get("Amount"), "Amount", day=day)
            if abs(amount) >= MAX_LINE_AMOUNT:
                raise ProviderResponseError(PROVIDER, f"amount {amount} on {day} is out of range")
            service, usage_type = (to_text(PROVIDER, k, "Keys") for k in keys)
            line = CostLine(
                PROVIDER,
                day,
                "",
                to_text(PROVIDER, f"{service}: {usage_type}", "Keys"),
                amount,
                _model(service),
                unit,
            )
            lines.append(line)
    return days, lines
