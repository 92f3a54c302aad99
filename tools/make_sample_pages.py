"""Regenerate the bundled sample billing pages used by `aicost demo`.

The pages are in each provider's documented response format (see
../shared/reference/PROVIDER_APIS.md): OpenAI dollars as JSON numbers and, on some rows, strings;
Anthropic amounts as decimal strings in cents. Volumes are synthetic but shaped like a real team:
about 7 % monthly growth, quieter weekends, one spike day, and a partial last day.

Hourly usage pages (`bucket_width=1h`, ungrouped) cover the last four weeks before the demo's
moment, for the busiest hour (tools/sample_hourly.py): OpenAI's chat features in office hours,
Anthropic's agents pipeline around the clock; the demo's two break-even workloads differ by
exactly that. They have their own random generator.

Stripe balance transactions (integer cents, newest first, 100 to a page) give the same team's
revenue: a SaaS business billing about $155k in August, growing about 3 % a month, so AI spend
visibly outgrows it; a few refunds, one dispute, and fee and payout rows the revenue parser must
skip. Stripe has its own random generator, so the provider pages stay byte-for-byte the same.

AWS Bedrock Cost Explorer pages and a FOCUS export of a Google Cloud bill (Vertex AI among
non-AI rows) come from tools/sample_clouds.py, each with its own random generator too.

    python tools/make_sample_pages.py   # rewrites billing_adapters/samples/*.json and *.csv
"""

from __future__ import annotations

import base64
import calendar
import json
import random
import string
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from sample_clouds import FOCUS_FILE, bedrock_pages, focus_csv  # tools/, beside this script
from sample_hourly import hourly_pages

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

STRIPE_MONTHLY_USD = Decimal(155_000)  # August's revenue; later months grow ~3 % each
STRIPE_CHARGES = ("Subscription creation", "Subscription update", "Payment for Invoice")
# type: (reporting_category, source id prefix, fee description)
STRIPE_KINDS = {
    "charge": ("charge", "ch", "Stripe processing fees"),
    "refund": ("refund", "re", ""),
    "adjustment": ("dispute", "du", "Dispute fee"),
    "payout": ("payout", "po", ""),
    "stripe_fee": ("fee", None, ""),
}
STRIPE_REFUNDS = 5
STRIPE_PAGE_SIZE = 100  # Stripe's maximum `limit`


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


def stripe_id(prefix: str, rng: random.Random) -> str:
    """An object id in Stripe's style: a type prefix and 24 random letters and digits."""
    return f"{prefix}_" + "".join(rng.choices(string.ascii_letters + string.digits, k=24))


def stripe_row(
    rng: random.Random, created: datetime, amount: int, kind: str, description: str, fee: int = 0
) -> dict:
    """One balance transaction; money only becomes available two days after it moves."""
    category, source_prefix, fee_label = STRIPE_KINDS[kind]
    available = datetime.combine(created.date() + timedelta(days=2), time(0), tzinfo=UTC)
    detail = {"amount": fee, "application": None, "currency": "usd", "description": fee_label}
    return {
        "id": stripe_id("txn", rng),
        "object": "balance_transaction",
        "amount": amount,
        "available_on": int(available.timestamp()),
        "created": int(created.timestamp()),
        "currency": "usd",
        "description": description,
        "exchange_rate": None,
        "fee": fee,
        "fee_details": [{**detail, "type": "stripe_fee"}] if fee else [],
        "net": amount - fee,
        "reporting_category": category,
        "source": stripe_id(source_prefix, rng) if source_prefix else None,
        "status": "available" if available <= AS_OF else "pending",
        "type": kind,
    }


def stripe_balance_pages(rng: random.Random) -> list[dict]:
    """Balance-transaction list pages, newest first, as `GET /v1/balance_transactions` pages."""
    rows: list[dict] = []
    charges: list[dict] = []
    day = START
    while day < END:
        months = (day.year - START.year) * 12 + day.month - START.month
        midnight = datetime.combine(day, time(0), tzinfo=UTC)
        # Subscriptions renew on their anniversaries: each month bills about the same total,
        # whatever its length, so revenue grows a steady ~3 % a month.
        days = calendar.monthrange(day.year, day.month)[1]
        daily = STRIPE_MONTHLY_USD * Decimal("1.03") ** months / days
        daily *= Decimal(rng.uniform(0.95, 1.05))
        weights = [Decimal(rng.uniform(0.5, 1.5)) for _ in range(rng.randint(2, 3))]
        for weight in weights:
            created = midnight + timedelta(seconds=rng.randrange(86400))
            amount = int(daily * weight / sum(weights) * 100)
            fee = round(amount * 0.029) + 30 * rng.randint(20, 60)
            charge = stripe_row(rng, created, amount, "charge", rng.choice(STRIPE_CHARGES), fee)
            if created < AS_OF:
                charges.append(charge)
        if day.weekday() == 0 and day != START:  # weekly payout of what became available
            payout = -rng.randint(3_000_000, 3_800_000)
            rows.append(
                stripe_row(rng, midnight + timedelta(hours=2), payout, "payout", "STRIPE PAYOUT")
            )
        if day.day == 2 and day != START:  # last month's Stripe Billing fee
            fee = -rng.randint(40_000, 52_000)
            rows.append(
                stripe_row(
                    rng, midnight + timedelta(hours=4), fee, "stripe_fee", "Billing - Usage Fee"
                )
            )
        day += timedelta(days=1)

    for charge in rng.sample(charges[:-20], STRIPE_REFUNDS):
        created = datetime.fromtimestamp(charge["created"], tz=UTC)
        when = created + timedelta(days=rng.randint(1, 12), seconds=rng.randrange(86400))
        amount = charge["amount"]
        refunded = amount if rng.random() < 0.3 else int(amount * rng.uniform(0.05, 0.25))
        if when < AS_OF:
            text = f"REFUND FOR CHARGE ({charge['description']})"
            rows.append(stripe_row(rng, when, -refunded, "refund", text))
    disputed = charges[len(charges) // 2]
    when = datetime.fromtimestamp(disputed["created"], tz=UTC) + timedelta(days=9, hours=3)
    withdrawn = -min(disputed["amount"], rng.randint(180_000, 260_000))
    text = f"Chargeback withdrawal for {disputed['source']}"
    rows.append(stripe_row(rng, when, withdrawn, "adjustment", text, fee=1500))

    rows = sorted(rows + charges, key=lambda r: (r["created"], r["id"]), reverse=True)
    size = STRIPE_PAGE_SIZE
    return [
        {
            "object": "list",
            "url": "/v1/balance_transactions",
            "has_more": index + size < len(rows),
            "data": rows[index : index + size],
        }
        for index in range(0, len(rows), size)
    ]


def write_pages(name: str, pages: list[dict]) -> None:
    for number, page in enumerate(pages, start=1):
        path = OUT / f"{name}_{number:02d}.json"
        path.write_text(json.dumps(page, separators=(",", ":")) + "\n")


def main() -> None:
    rng = random.Random(20261120)
    stripe_pages = stripe_balance_pages(random.Random(20261121))
    hourly_rng = random.Random(20261207)
    bedrock = bedrock_pages(
        random.Random(20261208),
        scale,
        start=START,
        end=END,
        billed_from=AS_OF.date().replace(day=1),
    )
    focus = focus_csv(random.Random(20261209), scale, start=START, as_of=AS_OF)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in [*OUT.glob("*.json"), *OUT.glob("*.csv")]:
        old.unlink()
    sets = {"openai": openai_pages(rng), "anthropic": anthropic_pages(rng)}
    for provider, (costs, usage) in sets.items():
        write_pages(f"{provider}_costs", costs)
        write_pages(f"{provider}_usage", usage)
        write_pages(f"{provider}_hourly", hourly_pages(provider, usage, hourly_rng, as_of=AS_OF))
    write_pages("stripe_balance_transactions", stripe_pages)
    write_pages("aws-bedrock_cost_and_usage", bedrock)
    (OUT / FOCUS_FILE).write_text(focus)
    manifest = {"as_of": AS_OF.isoformat(), "start": START.isoformat(), "end": END.isoformat()}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
