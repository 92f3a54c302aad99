"""FOCUS cost exports (FinOps Open Cost and Usage Specification 1.x) as billing records.

AWS (CUR 2.0 FOCUS), Azure (Cost Management exports), Google Cloud (the BigQuery FOCUS view) and
other vendors export the same columns, so one reader covers every cloud's AI services:
`ChargePeriodStart`, `BilledCost`, `BillingCurrency`, `ProviderName`, `ServiceName` are read,
`ServiceCategory`, `SubAccountId`, `ChargeDescription` and `SkuId` when present
(../shared/reference/PROVIDER_APIS.md §9; focus.finops.org).

- **Which rows**: by default those whose `ServiceCategory` is "AI and Machine Learning", FOCUS's
  own category; a pattern on `ServiceName` replaces that rule (`--services`).
- **Which days**: a charge counts on the UTC day its period starts. Each `ProviderName` covers
  the days from its first to its last charge in the file, AI or not, so importing a file replaces
  exactly those days for that provider: a re-import, or an overlapping file, never double counts,
  and a covered day without AI charges is a real $0.
- **Money**: `BilledCost` parsed exactly, stored in its `BillingCurrency` (never summed as
  dollars: reports convert it with a rate the user sets, see `bot/core/fx.py`).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO

from .collect import MAX_LINE_AMOUNT, to_decimal, to_text
from .errors import ProviderResponseError
from .records import CostLine, FetchResult

__all__ = ["AI_CATEGORY", "FocusError", "FocusImport", "read_focus", "read_focus_file"]

AI_CATEGORY = "AI and Machine Learning"
REQUIRED = ("ChargePeriodStart", "BilledCost", "BillingCurrency", "ProviderName", "ServiceName")
SOURCE = "focus"


class FocusError(ProviderResponseError):
    """The file is not a FOCUS export we can read; nothing of it is stored."""

    def __init__(self, message: str) -> None:
        super().__init__(SOURCE, message)


@dataclass(slots=True)
class FocusImport:
    """A file read: one FetchResult per provider named in it, and what was left out."""

    results: dict[str, FetchResult] = field(default_factory=dict)
    rows: int = 0
    kept: int = 0


def provider_key(name: str) -> str:
    """'Google Cloud' -> 'google-cloud': the provider name records and answers use."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    return slug[:32] or "unknown"


def _day(text: str, line: int) -> date:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise FocusError(f"line {line}: ChargePeriodStart {text!r} is not a date") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def read_focus(lines: Iterable[str], *, services: re.Pattern[str] | None = None) -> FocusImport:
    """The AI charges of a FOCUS CSV, summed per provider, day, sub-account and charge."""
    reader = csv.DictReader(lines)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise FocusError(f"not a FOCUS export: no {', '.join(missing)} column")
    found = FocusImport()
    spans: dict[str, list[date]] = {}
    costs: dict[str, dict[tuple[object, ...], CostLine]] = {}
    for line, row in enumerate(reader, start=2):
        found.rows += 1
        provider = provider_key(row.get("ProviderName") or "")
        day = _day(row.get("ChargePeriodStart") or "", line)
        span = spans.setdefault(provider, [day, day])
        span[0], span[1] = min(span[0], day), max(span[1], day)
        service = row.get("ServiceName") or ""
        wanted = (
            services.search(service)
            if services is not None
            else (row.get("ServiceCategory") or "").strip() == AI_CATEGORY
        )
        if not wanted:
            continue
        currency = (row.get("BillingCurrency") or "").strip().upper()
        if len(currency) != 3 or not (currency.isascii() and currency.isalpha()):
            raise FocusError(f"line {line}: BillingCurrency {currency or 'empty'!r} is not a code")
        amount = to_decimal(
            SOURCE, (row.get("BilledCost") or "").strip(), f"line {line}: BilledCost"
        )
        if abs(amount) >= MAX_LINE_AMOUNT:
            raise FocusError(f"line {line}: BilledCost {amount} is out of range")
        detail = (row.get("ChargeDescription") or row.get("SkuId") or "").strip()
        item = CostLine(
            provider=provider,
            day=day,
            project=to_text(SOURCE, row.get("SubAccountId") or "", "SubAccountId"),
            line_item=to_text(SOURCE, f"{service}: {detail}" if detail else service, "ServiceName"),
            amount=amount,
            currency=currency,
        )
        held = costs.setdefault(provider, {}).get(item.key)
        costs[provider][item.key] = item if held is None else held.plus(item)
        found.kept += 1
    for provider, (first, last) in spans.items():
        days = {first + timedelta(days=n) for n in range((last - first).days + 1)}
        lines_of = sorted(costs.get(provider, {}).values(), key=lambda c: c.key)
        found.results[provider] = FetchResult(provider=provider, days=days, costs=lines_of)
    return found


def _text(path: Path) -> Iterator[str]:
    with path.open("rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    stream: IO[bytes] = gzip.open(path, "rb") if gzipped else path.open("rb")  # noqa: SIM115
    with stream, io.TextIOWrapper(stream, encoding="utf-8-sig", newline="") as text:
        yield from text


def read_focus_file(path: Path, *, services: re.Pattern[str] | None = None) -> FocusImport:
    """A FOCUS export on disk: CSV, or gzipped CSV (told apart by its first bytes)."""
    try:
        return read_focus(_text(path), services=services)
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise FocusError(f"{path.name}: cannot be read as CSV or gzipped CSV ({exc})") from None
