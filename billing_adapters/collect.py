"""Turning a provider's bucketed pages into records, shared by every bucket-style provider.

Both OpenAI and Anthropic answer with pages of daily buckets, each holding result rows. The
walk over pages and buckets is the same; only reading one bucket's date and one row differ, and
those are passed in. Bundled sample pages (the demo) go through exactly this code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from .errors import ProviderResponseError
from .records import CostLine, FetchResult, HourlyUsage, TokenUsage

__all__ = [
    "PageFormat",
    "merge_batches",
    "read_hours",
    "stream_pages",
    "to_decimal",
    "to_currency",
    "to_int",
    "to_text",
]

_Item = TypeVar("_Item", CostLine, TokenUsage)
Page = dict[str, Any]
Row = dict[str, Any]


# A single provider line above a billion (dollars, euros, or units of any bill's currency) is a
# broken page, not a bill; it would also overflow the integer nano-units it is stored as.
MAX_LINE_AMOUNT = Decimal("1e9")
TEXT_LIMIT = 191  # the shortest text column these values are stored in
MAX_COUNT = 2**63  # token and request counts are stored in a signed 64-bit BIGINT


def to_decimal(provider: str, value: object, what: str, *, day: date | None = None) -> Decimal:
    """An exact Decimal from a JSON number or numeric string; floats go through str().

    `day` is named in the error only: formatting it up front cost a backfill a second a million.
    """
    if type(value) is Decimal and value.is_finite():
        return value  # the common case: pages are parsed with parse_float=Decimal
    if day is not None:
        what = f"{what} on {day}"
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ProviderResponseError(provider, f"{what} is {value!r}, not a number")
    if isinstance(value, float):
        value = str(value)
    try:
        result = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise ProviderResponseError(provider, f"{what} {value!r} is not a number") from None
    if not result.is_finite():
        raise ProviderResponseError(provider, f"{what} {value!r} is not a finite number")
    return result


# Each currency text already read, and its code: a backfill reads a million rows in one or two
# currencies. Bounded, so a page of ever-different spellings cannot grow it without end.
_CODES: dict[str, str] = {}
_MAX_CODES = 64


def to_currency(provider: str, value: object, what: str, *, day: date | None = None) -> str:
    """An ISO 4217 code ("usd" -> "USD"): three ASCII letters, or a page error. A bill in any
    currency is stored in it; only a code we cannot read is refused."""
    if type(value) is str:
        known = _CODES.get(value)
        if known is not None:
            return known
    code = value.strip().upper() if isinstance(value, str) else ""
    if len(code) != 3 or not (code.isascii() and code.isalpha()):
        where = f" on {day}" if day is not None else ""
        raise ProviderResponseError(provider, f"{what}{where} {value!r} is not a currency code")
    if type(value) is str and len(_CODES) < _MAX_CODES:
        _CODES[value] = code
    return code


def to_text(provider: str, value: object, what: str, *, default: str = "") -> str:
    """A grouping label (project, line item, model): a string, or the default when null."""
    if type(value) is str:
        return value if len(value) <= TEXT_LIMIT else value[:TEXT_LIMIT]
    if value is None:
        return default
    if not isinstance(value, str):
        raise ProviderResponseError(provider, f"{what} {value!r} is not text")
    return value[:TEXT_LIMIT]


def _row(provider: str, day: date, row: object) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise ProviderResponseError(provider, f"a result on {day} is not an object: {row!r:.40}")
    return row


def to_int(provider: str, value: object, what: str) -> int:
    """A token count; absent or null counts as zero (newer fields are missing on old data)."""
    if type(value) is int and 0 <= value < MAX_COUNT:
        return value
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise ProviderResponseError(provider, f"{what} {value!r} is not a count")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ProviderResponseError(provider, f"{what} {value!r} is not a count") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ProviderResponseError(provider, f"{what} {value!r} is not a whole number")
    if not 0 <= number < MAX_COUNT:
        raise ProviderResponseError(provider, f"{what} {value!r} is out of range")
    return int(number)


def _buckets(provider: str, pages: Iterable[Page]) -> Iterable[Page]:
    for page in pages:
        data = page.get("data")
        if not isinstance(data, list):
            raise ProviderResponseError(provider, "page has no 'data' list")
        for bucket in data:
            if not isinstance(bucket, dict) or not isinstance(bucket.get("results"), list):
                raise ProviderResponseError(provider, "bucket has no 'results' list")
            yield bucket


def stream_pages(
    *,
    provider: str,
    start: date,
    end: date,
    cost_pages: Iterable[Page],
    usage_pages: Iterable[Page],
    bucket_day: Callable[[Page], date],
    cost_row: Callable[[date, Row], CostLine],
    usage_row: Callable[[date, Row], TokenUsage],
) -> Iterator[FetchResult]:
    """One FetchResult per page as it arrives (cost pages, then usage pages), for [start, end).

    Buckets outside the window are ignored. Cost lines sharing a storage key within a day (the
    same project and line item; providers may split a line by tiers we do not store) are summed,
    so totals stay exact and the key stays unique. A day is whole within its bucket, so a day
    that comes back on a second page is an error rather than something to guess about.
    """

    def checked_cost(day: date, row: Row) -> CostLine:
        line = cost_row(day, row)
        if abs(line.amount) >= MAX_LINE_AMOUNT:
            raise ProviderResponseError(provider, f"amount {line.amount} on {day} is out of range")
        return line

    for batch, days, costs in _read(provider, cost_pages, start, end, bucket_day, checked_cost):
        batch.days, batch.costs = days, costs
        yield batch
    for batch, days, usage in _read(provider, usage_pages, start, end, bucket_day, usage_row):
        batch.usage_days, batch.usage = days, usage
        yield batch


def _read(
    provider: str,
    pages: Iterable[Page],
    start: date,
    end: date,
    bucket_day: Callable[[Page], date],
    read_row: Callable[[date, Row], _Item],
) -> Iterator[tuple[FetchResult, set[date], list[_Item]]]:
    """Per page: an empty batch, the window's days it holds, and its rows read and summed by key.

    Cost and usage pages differ only in their rows, so both walk their pages here.
    """
    seen: set[date] = set()
    for page in pages:
        days: set[date] = set()
        merged: dict[tuple[object, ...], _Item] = {}
        for bucket in _buckets(provider, (page,)):
            day = _new_day(provider, bucket_day(bucket), start, end, seen)
            if day is None:
                continue
            days.add(day)
            currency: str | None = None
            for row in bucket["results"]:
                item = read_row(day, _row(provider, day, row))
                if isinstance(item, CostLine):
                    currency = currency or item.currency
                    if item.currency != currency:
                        first, second = sorted((currency, item.currency))
                        raise ProviderResponseError(
                            provider, f"{day} is billed in both {first} and {second}"
                        )
                held = merged.get(key := item.key)
                merged[key] = item if held is None else held.plus(item)
        yield FetchResult(provider=provider), days, list(merged.values())


def _new_day(provider: str, day: date, start: date, end: date, seen: set[date]) -> date | None:
    if not start <= day < end:
        return None
    if day in seen:
        raise ProviderResponseError(provider, f"the bucket for {day} came twice")
    seen.add(day)
    return day


def read_hours(
    *,
    provider: str,
    pages: Iterable[Page],
    start: datetime,
    end: datetime,
    bucket_start: Callable[[Page], datetime],
    usage_row: Callable[[date, Row], TokenUsage],
) -> Iterator[HourlyUsage]:
    """One HourlyUsage per hourly bucket in [start, end), its rows' tokens summed.

    The rows are the daily usage rows' shape (the same endpoint at `bucket_width=1h`), so they
    are read by the same row parser. A bucket that does not start on the hour, or an hour that
    comes twice, is a broken page: the peak would be measured from it.
    """
    seen: set[datetime] = set()
    for bucket in _buckets(provider, pages):
        hour = bucket_start(bucket).astimezone(UTC)
        if hour.minute or hour.second or hour.microsecond:
            raise ProviderResponseError(provider, f"hourly bucket starts at {hour:%H:%M:%S}")
        if not start <= hour < end:
            continue
        if hour in seen:
            raise ProviderResponseError(provider, f"the hourly bucket for {hour} came twice")
        seen.add(hour)
        input_tokens = output_tokens = 0
        for row in bucket["results"]:
            usage = usage_row(hour.date(), _row(provider, hour.date(), row))
            input_tokens += usage.input_tokens
            output_tokens += usage.output_tokens
        yield HourlyUsage(provider, hour, input_tokens, output_tokens)


def merge_batches(provider: str, batches: Iterable[FetchResult]) -> FetchResult:
    """All of a stream's pages as one FetchResult (days never repeat across pages)."""
    result = FetchResult(provider=provider)
    for batch in batches:
        result.days |= batch.days
        result.usage_days |= batch.usage_days
        result.costs.extend(batch.costs)
        result.usage.extend(batch.usage)
    result.costs.sort(key=lambda c: c.key)
    result.usage.sort(key=lambda u: u.key)
    return result


@dataclass(frozen=True, slots=True)
class PageFormat:
    """How one provider's daily-bucket pages read: the day of a bucket and its two row kinds.

    An adapter is one of these plus the requests that fetch its pages; the bundled samples and
    the tests hand pages in directly, and both reach the same parsers through `stream`.
    """

    provider: str
    bucket_start: Callable[[Page], datetime]
    cost_row: Callable[[date, Row], CostLine]
    usage_row: Callable[[date, Row], TokenUsage]

    def bucket_day(self, bucket: Page) -> date:
        return self.bucket_start(bucket).astimezone(UTC).date()

    def stream(
        self, cost_pages: Iterable[Page], usage_pages: Iterable[Page], *, start: date, end: date
    ) -> Iterator[FetchResult]:
        """One FetchResult per page, for the days in [start, end) (see `stream_pages`)."""
        return stream_pages(
            provider=self.provider,
            start=start,
            end=end,
            cost_pages=cost_pages,
            usage_pages=usage_pages,
            bucket_day=self.bucket_day,
            cost_row=self.cost_row,
            usage_row=self.usage_row,
        )

    def hours(
        self, pages: Iterable[Page], *, start: datetime, end: datetime
    ) -> Iterator[HourlyUsage]:
        """The hourly buckets of usage pages fetched at `bucket_width=1h` (see `read_hours`)."""
        return read_hours(
            provider=self.provider,
            pages=pages,
            start=start,
            end=end,
            bucket_start=self.bucket_start,
            usage_row=self.usage_row,
        )
