"""OpenRouter activity (USD credits spent, tokens) with a management key.

`GET /activity` answers the last 30 completed UTC days in one response, one row per day, model
and endpoint (and workspace, asked `group_by=workspace`); there is no paging and no older data,
so a day outside those 30 is never answered and stays missing, never $0
(../shared/reference/PROVIDER_APIS.md §6; OpenRouterTeam/docs openapi.yaml `getUserActivity`).

`usage` is the credits spent, in dollars. `byok_usage_inference` is what requests made with the
team's own provider keys cost at that provider: that provider bills it (and, for OpenAI or
Anthropic, aicost already reads it there), so it is not counted here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from .base import HTTPSource
from .collect import to_decimal, to_int, to_text
from .errors import ProviderResponseError
from .records import Balance, CostLine, FetchResult, TokenUsage

__all__ = ["ACTIVITY_DAYS", "DEFAULT_BASE_URL", "OpenRouterBilling"]

PROVIDER = "openrouter"
DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
ACTIVITY_PATH = "activity"
CREDITS_PATH = "credits"
ACTIVITY_DAYS = 30  # completed UTC days the endpoint answers for, ending yesterday
MANAGEMENT_KEY_HINT = (
    "it must be a management key (openrouter.ai/settings/management-keys); "
    "an inference key cannot read activity"
)


def _day(row: dict[str, Any]) -> date:
    text = row.get("date")
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        raise ProviderResponseError(PROVIDER, f"activity date {text!r} is not a date") from None


def _rows(body: dict[str, Any]) -> list[dict[str, Any]]:
    data = body.get("data")
    if not isinstance(data, list):
        raise ProviderResponseError(PROVIDER, "activity has no 'data' list")
    for row in data:
        if not isinstance(row, dict):
            raise ProviderResponseError(PROVIDER, f"an activity row is not an object: {row!r:.40}")
    return data


def read_activity(body: dict[str, Any], *, start: date, end: date) -> FetchResult:
    """The activity response as records for [start, end), rows summed by storage key.

    `end` is the day after the sync's today: the answered days are the 30 before today.
    """
    result = FetchResult(provider=PROVIDER)
    today = end - timedelta(days=1)
    first = max(start, today - timedelta(days=ACTIVITY_DAYS))
    answered = {first + timedelta(days=n) for n in range((today - first).days)}
    costs: dict[tuple[object, ...], CostLine] = {}
    usage: dict[tuple[object, ...], TokenUsage] = {}
    for row in _rows(body):
        day = _day(row)
        if not start <= day < end:
            continue
        answered.add(day)
        model = to_text(PROVIDER, row.get("model_permaslug") or row.get("model"), "model")
        line = CostLine(
            provider=PROVIDER,
            day=day,
            project=to_text(PROVIDER, row.get("workspace_id"), "workspace_id"),
            line_item=model,
            amount=to_decimal(PROVIDER, row.get("usage", 0), "usage", day=day),
            model=model or None,
        )
        held = costs.get(line.key)
        costs[line.key] = line if held is None else held.plus(line)
        tokens = TokenUsage(
            provider=PROVIDER,
            day=day,
            model=model or "unknown",
            input_tokens=to_int(PROVIDER, row.get("prompt_tokens"), "prompt_tokens"),
            cached_input_tokens=0,
            output_tokens=to_int(PROVIDER, row.get("completion_tokens"), "completion_tokens"),
            requests=to_int(PROVIDER, row.get("requests"), "requests"),
        )
        same = usage.get(tokens.key)
        usage[tokens.key] = tokens if same is None else same.plus(tokens)
    result.days = answered
    result.usage_days = set(answered)
    result.costs = sorted(costs.values(), key=lambda c: c.key)
    result.usage = sorted(usage.values(), key=lambda u: u.key)
    return result


class OpenRouterBilling(HTTPSource):
    """Reads an OpenRouter account's daily activity with a management key."""

    name = PROVIDER
    key_setting = "OPENROUTER_MANAGEMENT_KEY"
    default_base_url = DEFAULT_BASE_URL
    key_hint = MANAGEMENT_KEY_HINT

    def stream(
        self, start: date, end: date, *, progress: Callable[[str], None] | None = None
    ) -> Iterator[FetchResult]:
        """The window's answered days in one result: the endpoint has one response, no pages."""
        if progress:
            progress(f"{PROVIDER} activity: the last {ACTIVITY_DAYS} completed days")
        body = self._http.get_json(ACTIVITY_PATH, {"group_by": "workspace"})
        yield read_activity(body, start=start, end=end)

    def balance(self) -> Balance:
        """`GET /credits`: total credits bought and used, in US dollars (management key)."""
        return read_credits(self._http.get_json(CREDITS_PATH, {}))


def read_credits(body: dict[str, Any]) -> Balance:
    """The credits response as a Balance; a body without both totals is an error, not $0."""
    data = body.get("data")
    if not isinstance(data, dict):
        raise ProviderResponseError(PROVIDER, "credits has no 'data' object")
    credits = to_decimal(PROVIDER, data.get("total_credits"), "total_credits")
    used = to_decimal(PROVIDER, data.get("total_usage"), "total_usage")
    if credits < 0 or used < 0:
        raise ProviderResponseError(PROVIDER, f"credits {credits} or usage {used} is negative")
    return Balance(PROVIDER, credits, used)
