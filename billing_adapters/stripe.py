"""Stripe monthly revenue from balance transactions, in exact USD.

Route: `GET /v1/balance_transactions?created[gte]=..&created[lt]=..&limit=100`, newest first,
paged with `starting_after=<last id>` while `has_more`. Balance transactions are chosen over paid
invoices because they see every payment (one-off charges and Checkout too, not only
subscriptions) and carry refunds and disputes as their own signed rows, so one signed sum gives
revenue net of them without joining anything.

What counts, by `reporting_category` (Stripe's accounting grouping; `type` is too coarse, since
disputes and failed refunds both arrive as `type=adjustment`):

- `charge` (+): a successful payment, gross, before Stripe's fee.
- `refund` (-) and `refund_failure` (+): money returned to a customer, and its undoing when the
  refund fails, so a failed refund does not lower revenue for good.
- `dispute` (-) and `dispute_reversal` (+): funds withdrawn for a chargeback, and reinstated when
  the dispute is won.
- `partial_capture_reversal` (-): the uncaptured part of an authorization; Stripe's docs say the
  charge and this row sum to what was actually captured.
- `charge_failure` (-): an asynchronous payment (ACH and the like) that failed after its charge.

Amounts are summed as Stripe signs them. The result is gross revenue net of refunds and disputes,
before Stripe fees: fee rows (including dispute fees), payouts, transfers, top-ups and Connect
movements are not revenue and are skipped. Each row lands in the calendar month of its `created`
time in the caller's time zone. `amount` is in the account's settlement currency, so a USD
account charging in EUR still reports USD rows; a counted row in any other currency raises,
because multi-currency revenue is not supported yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal
from typing import Any

from .base import HTTPSource
from .errors import ProviderResponseError
from .transport import Cursor

__all__ = ["DEFAULT_BASE_URL", "MonthlyRevenue", "StripeRevenue", "collect_stripe_revenue"]


def _last_id(page: dict[str, Any]) -> object:
    """Stripe pages from an object id, the last row's, not from a token it hands out."""
    data = page.get("data") or []
    last = data[-1] if data else None
    return last.get("id") if isinstance(last, dict) else None


LAST_ID = Cursor("starting_after", _last_id, "its last row has no id to page from")

PROVIDER = "stripe"
DEFAULT_BASE_URL = "https://api.stripe.com/v1"
PATH = "balance_transactions"
PAGE_SIZE = 100  # Stripe's documented maximum; fewer requests against its 25 req/s limit
KEY_HINT = (
    "use a secret key (sk_...) or a restricted key (rk_...); a restricted key with Read "
    "access to balance transactions (the Balance resource) is enough"
)
REVENUE_CATEGORIES = frozenset(
    {
        "charge",
        "refund",
        "refund_failure",
        "dispute",
        "dispute_reversal",
        "partial_capture_reversal",
        "charge_failure",
    }
)


@dataclass(frozen=True, slots=True)
class MonthlyRevenue:
    """Revenue for one calendar month: the month's first day, exact dollars, rows counted."""

    month: date
    amount_usd: Decimal
    transactions: int


def _epoch(day: date, tz: tzinfo) -> int:
    return int(datetime.combine(day, time(0), tzinfo=tz).timestamp())


def _months(start: date, end: date) -> list[date]:
    """First days of every month with at least one day in [start, end)."""
    months: list[date] = []
    month = start.replace(day=1)
    while month < end:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _whole(row: dict[str, Any], field: str) -> int:
    """An integer field (cents, Unix seconds); Stripe never sends these as fractions."""
    value = row.get(field)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProviderResponseError(
            PROVIDER, f"balance transaction {row.get('id')!r} has {field} {value!r}, not an integer"
        )
    return value


def collect_stripe_revenue(
    pages: Iterable[dict[str, Any]], *, start: date, end: date, tz: tzinfo = UTC
) -> list[MonthlyRevenue]:
    """One row per month in [start, end) from balance-transaction list pages, zero months too.

    Start and end are local dates in `tz`; a month cut by either only counts its days inside.
    Rows created outside the window are ignored, as the bucketed adapters ignore stray buckets.
    """
    window_start, window_end = _epoch(start, tz), _epoch(end, tz)
    cents: dict[date, int] = dict.fromkeys(_months(start, end), 0)
    counted: dict[date, int] = dict.fromkeys(cents, 0)
    for page in pages:
        data = page.get("data")
        if not isinstance(data, list):
            raise ProviderResponseError(PROVIDER, f"{PATH} page has no 'data' list")
        for row in data:
            if not isinstance(row, dict):
                raise ProviderResponseError(PROVIDER, f"{PATH} row {row!r} is not an object")
            category = row.get("reporting_category")
            if not isinstance(category, str):
                raise ProviderResponseError(
                    PROVIDER, f"balance transaction {row.get('id')!r} has no reporting_category"
                )
            if category not in REVENUE_CATEGORIES:
                continue
            created = _whole(row, "created")
            if not window_start <= created < window_end:
                continue
            currency = row.get("currency")
            if not isinstance(currency, str) or currency.lower() != "usd":
                raise ProviderResponseError(
                    PROVIDER,
                    f"balance transaction {row.get('id')!r} is in {currency!r}; only USD is "
                    "supported (multi-currency revenue is not supported yet)",
                )
            local = datetime.fromtimestamp(created, tz=tz)
            month = date(local.year, local.month, 1)
            cents[month] += _whole(row, "amount")
            counted[month] += 1
    return [
        MonthlyRevenue(month=month, amount_usd=Decimal(total) / 100, transactions=counted[month])
        for month, total in cents.items()
    ]


class StripeRevenue(HTTPSource):
    """Reads a Stripe account's monthly revenue from its balance transactions."""

    name = PROVIDER
    key_setting = "STRIPE_API_KEY"
    default_base_url = DEFAULT_BASE_URL
    key_hint = KEY_HINT

    def check(self) -> None:
        """Ask for one balance transaction, the cheapest request the key must be allowed: what
        `aicost doctor` runs. Raises ProviderAuthError for a rejected key, as a sync would."""
        page = self._http.get_json(PATH, {"limit": 1})
        if not isinstance(page.get("data"), list):
            raise ProviderResponseError(PROVIDER, f"{PATH} page has no 'data' list")

    def fetch_monthly(
        self,
        start: date,
        end: date,
        *,
        tz: tzinfo = UTC,
        progress: Callable[[str], None] | None = None,
    ) -> list[MonthlyRevenue]:
        """Revenue for every month in [start, end) in `tz`; nothing returns until every page has.

        Reading all pages first means a failure half-way leaves the caller with an error, never
        with a month that silently lacks its older transactions.
        """
        if end <= start:
            raise ValueError(f"end {end} must be after start {start}")
        params = {
            "created[gte]": _epoch(start, tz),
            "created[lt]": _epoch(end, tz),
            "limit": PAGE_SIZE,
        }

        def on_page(number: int) -> None:
            if progress is not None:
                progress(f"{PROVIDER} balance transactions: page {number} ({start}..{end})")

        pages = list(self._http.iter_pages(PATH, params, on_page=on_page, cursor=LAST_ID))
        return collect_stripe_revenue(pages, start=start, end=end, tz=tz)
