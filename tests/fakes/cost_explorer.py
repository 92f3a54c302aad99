"""A loopback stand-in for AWS Cost Explorer (awsJson1.1 over POST /), as botocore calls it.

It checks that each request is SigV4-signed for region us-east-1 and service `ce` with the test
access key, answers `GetDimensionValues` and `GetCostAndUsage` in their documented shapes
(amounts as decimal strings, `NextPageToken` paging), counts requests (each costs $0.01 on the
real service) and can answer with a throttling error.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer, QuietHandler

ACCESS_KEY = "AKIAAICOSTTESTKEY0001"
SECRET_KEY = "aicost-test-secret-0123456789abcdefXYZ"
PREFIX = "AWSInsightsIndexService."


class CostExplorer(LoopbackServer):
    def __init__(self, *, groups_per_page: int = 100) -> None:
        # costs[day][(service, usage type)] = amount string
        self.costs: dict[date, dict[tuple[str, str], str]] = defaultdict(dict)
        self.calls: list[tuple[str, dict[str, Any], dict[str, str]]] = []
        self.throttle = 0  # answer this many requests with ThrottlingException first
        self.refuse = False  # answer AccessDeniedException
        self.groups_per_page = groups_per_page
        self._lock = threading.Lock()
        super().__init__(self._handler())

    def add(self, day: date, service: str, usage_type: str, amount: str) -> None:
        with self._lock:
            self.costs[day][(service, usage_type)] = amount

    def operations(self) -> list[str]:
        with self._lock:
            return [name for name, _, _ in self.calls]

    def _dimension_values(self, body: dict[str, Any]) -> dict[str, Any]:
        start, end = (date.fromisoformat(body["TimePeriod"][k]) for k in ("Start", "End"))
        search = body.get("SearchString", "").lower()
        names = sorted(
            {s for d, groups in self.costs.items() if start <= d < end for s, _ in groups}
        )
        values = [{"Value": n, "Attributes": {}} for n in names if search in n.lower()]
        return {"DimensionValues": values, "ReturnSize": len(values), "TotalSize": len(values)}

    def _cost_and_usage(self, body: dict[str, Any]) -> dict[str, Any]:
        start, end = (date.fromisoformat(body["TimePeriod"][k]) for k in ("Start", "End"))
        wanted = set(body.get("Filter", {}).get("Dimensions", {}).get("Values", []))
        grouped = bool(body.get("GroupBy"))
        # Flatten (day, group) pairs, then page them: a day's groups may straddle two pages.
        flat: list[tuple[date, tuple[str, str] | None, str]] = []
        day = start
        while day < end:
            groups = [(k, v) for k, v in sorted(self.costs.get(day, {}).items()) if k[0] in wanted]
            if not groups or not grouped:
                flat.append((day, None, "0"))
            else:
                flat += [(day, key, amount) for key, amount in groups]
            day += timedelta(days=1)
        offset = int(body.get("NextPageToken", "0"))
        chunk = flat[offset : offset + self.groups_per_page]
        results: dict[date, dict[str, Any]] = {}
        for day, key, amount in chunk:
            result = results.setdefault(
                day,
                {
                    "TimePeriod": {
                        "Start": day.isoformat(),
                        "End": (day + timedelta(days=1)).isoformat(),
                    },
                    "Total": {} if grouped else {"UnblendedCost": {"Amount": "0", "Unit": "USD"}},
                    "Groups": [],
                    "Estimated": True,
                },
            )
            if key is not None:
                result["Groups"].append(
                    {
                        "Keys": list(key),
                        "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}},
                    }
                )
        page: dict[str, Any] = {
            "GroupDefinitions": body.get("GroupBy", []),
            "ResultsByTime": list(results.values()),
            "DimensionValueAttributes": [],
        }
        if offset + self.groups_per_page < len(flat):
            page["NextPageToken"] = str(offset + self.groups_per_page)
        return page

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                _, _, headers = self.request_parts()
                body = json.loads(self.rfile.read(int(headers.get("content-length", "0"))) or b"{}")
                target = headers.get("x-amz-target", "")
                with api._lock:
                    api.calls.append((target.removeprefix(PREFIX), body, headers))
                auth = headers.get("authorization", "")
                signed = (
                    auth.startswith(f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/")
                    and "/us-east-1/ce/aws4_request" in auth
                )
                if not signed or api.refuse:
                    error = {
                        "__type": "AccessDeniedException",
                        "Message": "User is not authorized to perform: ce:GetCostAndUsage",
                    }
                    self.reply(400, json.dumps(error).encode())
                    return
                with api._lock:
                    throttled = api.throttle > 0
                    api.throttle -= 1 if throttled else 0
                if throttled:
                    error = {"__type": "ThrottlingException", "Message": "Rate exceeded"}
                    self.reply(400, json.dumps(error).encode())
                    return
                if target == PREFIX + "GetDimensionValues":
                    answer = api._dimension_values(body)
                elif target == PREFIX + "GetCostAndUsage":
                    answer = api._cost_and_usage(body)
                else:
                    self.reply(400, b'{"__type": "UnknownOperationException"}')
                    return
                self.reply(200, json.dumps(answer).encode())

        return Handler
