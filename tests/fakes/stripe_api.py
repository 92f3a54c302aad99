"""A loopback stand-in for Stripe's `GET /v1/balance_transactions`, in its documented shapes.

It answers with Stripe's list envelope, newest first, filters on `created[gte]`/`created[lt]`
(and `gt`/`lte`), honours `limit` (1..100, default 10) and `starting_after`, checks the Bearer
key, and can be told to misbehave: a 429 with Retry-After, a 500 or a truncated page for the next
requests. The real adapter is pointed at it through its base URL; nothing under test is patched.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer, QuietHandler
from tests.fakes.provider_api import Fault, Seen

__all__ = ["PATH", "STRIPE_KEY", "Fault", "Seen", "StripeAPI", "balance_transaction"]

STRIPE_KEY = "rk_test_51AicostStripeFake0123456789abcdefXYZ"
PATH = "/v1/balance_transactions"

_ids = itertools.count(1)
# reporting_category -> (type, source id prefix), as Stripe pairs them.
_KINDS = {
    "charge": ("charge", "ch_"),
    "refund": ("refund", "re_"),
    "refund_failure": ("refund_failure", "re_"),
    "dispute": ("adjustment", "du_"),
    "dispute_reversal": ("adjustment", "du_"),
    "partial_capture_reversal": ("adjustment", "ch_"),
    "charge_failure": ("payment_failure_refund", "py_"),
    "fee": ("stripe_fee", "fee_"),
    "payout": ("payout", "po_"),
}


def balance_transaction(
    amount: int,
    created: int,
    *,
    category: str = "charge",
    currency: str = "usd",
    txn_id: str | None = None,
) -> dict[str, Any]:
    """A balance transaction as Stripe documents it; charges carry a 2.9% + 30c card fee."""
    n = next(_ids)
    kind, source_prefix = _KINDS.get(category, (category, "src_"))
    fee = 30 + amount * 29 // 1000 if category == "charge" and amount > 0 else 0
    fee_details = (
        [
            {
                "amount": fee,
                "application": None,
                "currency": currency,
                "description": "Stripe processing fees",
                "type": "stripe_fee",
            }
        ]
        if fee
        else []
    )
    return {
        "id": txn_id or f"txn_1Fake{n:019d}",
        "object": "balance_transaction",
        "amount": amount,
        "available_on": created + 2 * 86_400,
        "created": created,
        "currency": currency,
        "description": None,
        "exchange_rate": None,
        "fee": fee,
        "fee_details": fee_details,
        "net": amount - fee,
        "reporting_category": category,
        "source": f"{source_prefix}1Fake{n:019d}",
        "status": "available",
        "type": kind,
    }


def _error(message: str, kind: str = "invalid_request_error") -> dict[str, Any]:
    return {"error": {"message": message, "type": kind}}


_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "gte": lambda created, bound: created >= bound,
    "gt": lambda created, bound: created > bound,
    "lte": lambda created, bound: created <= bound,
    "lt": lambda created, bound: created < bound,
}


class StripeAPI(LoopbackServer):
    """Stripe's balance transactions list on a loopback port. Use as a context manager."""

    def __init__(self) -> None:
        self.transactions: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        return f"{self.origin}/v1"

    # --- test controls ---------------------------------------------------------------------
    def add(self, *transactions: dict[str, Any]) -> None:
        with self._lock:
            self.transactions.extend(transactions)

    def fail(self, *faults: Fault) -> None:
        """The next len(faults) requests answer with these, in order."""
        with self._lock:
            self.faults.extend(faults)

    def requests(self) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == PATH]

    def newest_first(self) -> list[dict[str, Any]]:
        """Every transaction in Stripe's list order: newest first, later additions first on ties."""
        with self._lock:
            ordered = list(reversed(self.transactions))
        return sorted(ordered, key=lambda t: t["created"], reverse=True)

    # --- serving ---------------------------------------------------------------------------
    def _page(self, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        try:
            limit = int(query.get("limit", ["10"])[0])
            bounds = {
                op: int(query[f"created[{op}]"][0]) for op in _COMPARE if f"created[{op}]" in query
            }
        except ValueError:
            return 400, _error("limit and created[...] must be integers")
        if not 1 <= limit <= 100:
            return 400, _error("limit must be between 1 and 100")
        if "starting_after" in query and "ending_before" in query:
            return 400, _error("starting_after and ending_before are mutually exclusive")
        rows = [
            t
            for t in self.newest_first()
            if all(_COMPARE[op](t["created"], bound) for op, bound in bounds.items())
        ]
        if "starting_after" in query:
            after = query["starting_after"][0]
            ids = [t["id"] for t in rows]
            if after not in ids:
                return 400, _error(f"No such balance transaction: '{after}'")
            rows = rows[ids.index(after) + 1 :]
        page = {"object": "list", "data": rows[:limit], "has_more": len(rows) > limit, "url": PATH}
        return 200, page

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path, query, headers = self.request_parts()
                with api._lock:
                    api.seen.append(Seen(path, query, headers))
                if path != PATH:
                    self.reply(404, _error(f"Unrecognized request URL (GET: {path})"))
                    return
                sent = headers.get("authorization", "").removeprefix("Bearer ")
                if sent != STRIPE_KEY:
                    # Stripe echoes a masked bad key: the start and the last four characters.
                    masked = f"{sent[:8]}{'*' * max(len(sent) - 12, 0)}{sent[-4:]}"
                    self.reply(401, _error(f"Invalid API Key provided: {masked}"))
                    return
                with api._lock:
                    fault = api.faults.pop(0) if api.faults else None
                if fault is not None and not fault.truncate:
                    self.reply(fault.status, fault.body.encode(), fault.headers)
                    return
                status, page = api._page(query)
                if fault is not None:  # a 200 cut off mid-page, as a dropped connection leaves it
                    raw = json.dumps(page).encode()
                    self.reply(status, raw[: len(raw) // 2])
                    return
                self.reply(status, page)

        return Handler
