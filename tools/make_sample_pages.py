"""Regenerate the bundled sample billing pages used by `aicost demo`.

The pages are in each provider's documented response format (see
../shared/reference/PROVIDER_APIS.md): OpenAI dollars as JSON numbers and, on some rows, strings;
Anthropic amounts as decimal strings in cents. Volumes are synthetic but shaped like a real team:
about 7 % monthly growth, quieter weekends, one spike day, and a partial last day.

    python tools/make_sample_pages.py   # rewrites billing_adapters/samples/*.json
"""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "billing_adapters" / "samples"
START = date(2026, 8, 1)
AS_OF = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # the demo's "now"; that day is 15/24 done
END = AS_OF.date() + timedelta(days=1)
SPIKE = date(2026, 11, 4)
PAGE_BUCKETS = 31

# $ per million tokens (list prices): input, cached input, output.
OPENAI_MODELS = {
    "gpt-4o-2024-08-06": ("gpt-4o", Decimal("2.50"), Decimal("1.25"), Decimal("10.00")),
    "gpt-4o-mini-2024-07-18": ("gpt-4o-mini", Decimal("0.15"), Decimal("0.075"), Decimal("0.60")),
}
OPENAI_PROJECTS = {"proj_support_bot": Decimal("0.7"), "proj_search": Decimal("0.3")}
# Daily tokens (millions) on a weekday at the start: input, output.
OPENAI_VOLUME = {"gpt-4o-2024-08-06": (30, 4), "gpt-4o-mini-2024-07-18": (160, 25)}

ANTHROPIC_MODEL = "claude-sonnet-4-20250514"
ANTHROPIC_PRICES = {
    "input": Decimal("3.00"),
    "cache_read": Decimal("0.30"),
    "output": Decimal("15.00"),
}
ANTHROPIC_WORKSPACES = {"wrkspc_01AgentsTeam": Decimal("0.8"), None: Decimal("0.2")}
ANTHROPIC_VOLUME = (18, 22, 2.4)  # uncached input, cache read, output (millions/day)


def scale(day: date, rng: random.Random) -> float:
    months = (day - START).days / 30.4
    weekly = 0.45 if day.weekday() >= 5 else 1.0
    noise = rng.uniform(0.9, 1.1)
    spike = 3.2 if day == SPIKE else 1.0
    partial = (AS_OF - datetime.combine(day, time(0), tzinfo=UTC)).total_seconds() / 86400
    return (1.07**months) * weekly * noise * spike * min(1.0, partial)


def epoch(day: date) -> int:
    return int(datetime.combine(day, time(0), tzinfo=UTC).timestamp())


def cursor(day: date) -> str:
    return "page_" + base64.b64encode(day.isoformat().encode()).decode().rstrip("=")


def paged(buckets: list[dict], prefix: str, day_of) -> list[dict]:
    pages = []
    for index in range(0, len(buckets), PAGE_BUCKETS):
        chunk = buckets[index : index + PAGE_BUCKETS]
        more = index + PAGE_BUCKETS < len(buckets)
        page = {
            "data": chunk,
            "has_more": more,
            "next_page": cursor(day_of(buckets[index + PAGE_BUCKETS])) if more else None,
        }
        if prefix == "openai":
            page = {"object": "page", **page}
        pages.append(page)
    return pages


def openai_pages(rng: random.Random) -> tuple[list[dict], list[dict]]:
    cost_buckets, usage_buckets = [], []
    day = START
    while day < END:
        s = scale(day, rng)
        costs, usage = [], []
        for model, (short, p_in, p_cached, p_out) in OPENAI_MODELS.items():
            base_in, base_out = OPENAI_VOLUME[model]
            tokens_in = int(base_in * 1e6 * s)
            cached = int(tokens_in * 0.3)
            tokens_out = int(base_out * 1e6 * s)
            usage.append(
                {
                    "object": "organization.usage.completions.result",
                    "input_tokens": tokens_in,
                    "input_cached_tokens": cached,
                    "output_tokens": tokens_out,
                    "num_model_requests": tokens_in // 1800,
                    "project_id": None,
                    "user_id": None,
                    "api_key_id": None,
                    "model": model,
                    "batch": None,
                    "service_tier": None,
                }
            )
            for project, share in OPENAI_PROJECTS.items():
                for kind, tokens, price in (
                    ("input", tokens_in - cached, p_in),
                    ("cached input", cached, p_cached),
                    ("output", tokens_out, p_out),
                ):
                    amount = (Decimal(tokens) * share * price / Decimal(1_000_000)).quantize(
                        Decimal("1e-10"), rounding=ROUND_HALF_EVEN
                    )
                    # Live responses have carried amounts as strings; keep some of each.
                    value: object = str(amount) if kind == "output" else float(amount)
                    costs.append(
                        {
                            "object": "organization.costs.result",
                            "amount": {"value": value, "currency": "usd"},
                            "line_item": f"{short}, {kind}",
                            "project_id": project,
                            "api_key_id": None,
                            "quantity": int(tokens * share),
                            "quantity_unit": "tokens",
                        }
                    )
        cost_buckets.append(
            {
                "object": "bucket",
                "start_time": epoch(day),
                "end_time": epoch(day + timedelta(days=1)),
                "results": costs,
            }
        )
        usage_buckets.append(
            {
                "object": "bucket",
                "start_time": epoch(day),
                "end_time": epoch(day + timedelta(days=1)),
                "results": usage,
            }
        )
        day += timedelta(days=1)

    def day_of(b: dict) -> date:
        return datetime.fromtimestamp(b["start_time"], tz=UTC).date()

    return paged(cost_buckets, "openai", day_of), paged(usage_buckets, "openai", day_of)


def anthropic_pages(rng: random.Random) -> tuple[list[dict], list[dict]]:
    cost_buckets, usage_buckets = [], []
    day = START
    while day < END:
        s = scale(day, rng)
        uncached = int(ANTHROPIC_VOLUME[0] * 1e6 * s)
        cache_read = int(ANTHROPIC_VOLUME[1] * 1e6 * s)
        output = int(ANTHROPIC_VOLUME[2] * 1e6 * s)
        costs = []
        for workspace, share in ANTHROPIC_WORKSPACES.items():
            for label, token_type, tokens, price in (
                ("Input Tokens", "uncached_input_tokens", uncached, ANTHROPIC_PRICES["input"]),
                (
                    "Cache Read",
                    "cache_read_input_tokens",
                    cache_read,
                    ANTHROPIC_PRICES["cache_read"],
                ),
                ("Output Tokens", "output_tokens", output, ANTHROPIC_PRICES["output"]),
            ):
                cents = (Decimal(tokens) * share * price / Decimal(10_000)).quantize(
                    Decimal("0.00001"), rounding=ROUND_HALF_EVEN
                )
                costs.append(
                    {
                        "amount": str(cents),
                        "currency": "USD",
                        "cost_type": "tokens",
                        "description": f"Claude Sonnet 4 Usage - {label}",
                        "model": ANTHROPIC_MODEL,
                        "service_tier": "standard",
                        "token_type": token_type,
                        "context_window": "0-200k",
                        "inference_geo": "global",
                        "workspace_id": workspace,
                    }
                )
        starting = f"{day.isoformat()}T00:00:00Z"
        ending = f"{(day + timedelta(days=1)).isoformat()}T00:00:00Z"
        cost_buckets.append({"starting_at": starting, "ending_at": ending, "results": costs})
        usage_buckets.append(
            {
                "starting_at": starting,
                "ending_at": ending,
                "results": [
                    {
                        "account_id": None,
                        "api_key_id": None,
                        "cache_creation": {
                            "ephemeral_1h_input_tokens": 0,
                            "ephemeral_5m_input_tokens": int(uncached * 0.05),
                        },
                        "cache_read_input_tokens": cache_read,
                        "context_window": None,
                        "inference_geo": None,
                        "model": ANTHROPIC_MODEL,
                        "output_tokens": output,
                        "server_tool_use": {"web_search_requests": 0},
                        "service_account_id": None,
                        "service_tier": None,
                        "uncached_input_tokens": uncached,
                        "workspace_id": None,
                    }
                ],
            }
        )
        day += timedelta(days=1)

    def day_of(b: dict) -> date:
        return date.fromisoformat(b["starting_at"][:10])

    return paged(cost_buckets, "anthropic", day_of), paged(usage_buckets, "anthropic", day_of)


def main() -> None:
    rng = random.Random(20261120)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    sets = {"openai": openai_pages(rng), "anthropic": anthropic_pages(rng)}
    for provider, (costs, usage) in sets.items():
        for kind, pages in (("costs", costs), ("usage", usage)):
            for number, page in enumerate(pages, start=1):
                path = OUT / f"{provider}_{kind}_{number:02d}.json"
                path.write_text(json.dumps(page, separators=(",", ":")) + "\n")
    manifest = {"as_of": AS_OF.isoformat(), "start": START.isoformat(), "end": END.isoformat()}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
