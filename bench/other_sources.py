"""Every other source's bill for the scale benchmark, beside the large OpenAI organisation.

A team that configured everything also reads Anthropic (workspaces × models × input/output, in
cents), OpenRouter (its API's 30 completed days only, by model), AWS Bedrock through Cost
Explorer (Marketplace and first-party services × regional usage types), Azure OpenAI through
Cost Management (deployments × meters) and Vertex AI / Gemini through the BigQuery billing
export (projects × SKUs, some with credits). Each gets a row per day and key over the same year
as the organisation, served by the tests' loopback stand-ins (tests/fakes/every_source.py).
Amounts are computed from their position, and the exact total and row count each source should
store are kept, in nano-units, to check the stored ones against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tests.fakes.azure_cost import SUBSCRIPTION
from tests.fakes.every_source import StandIns
from tests.fakes.openrouter_api import activity_row
from tests.fakes.provider_api import anthropic_cost, anthropic_usage

__all__ = ["Expected", "fill_other_sources"]

CLAUDE = ("Claude Opus 4.1", "Claude Sonnet 4.5", "Claude Sonnet 4", "Claude Haiku 4.5")
ANTHROPIC_WORKSPACES = tuple(f"wrkspc_{n:02d}" for n in range(8))
ANTHROPIC_ITEMS = tuple(
    f"{model} Usage - {kind}"
    for model in (*CLAUDE, "Claude Haiku 3.5")
    for kind in ("Input Tokens", "Output Tokens")
)  # 10
OPENROUTER_MODELS = tuple(
    f"{vendor}/{model}"
    for vendor, models in (
        ("openai", ("gpt-4.1", "gpt-4o-mini", "o3", "gpt-5")),
        ("anthropic", ("claude-sonnet-4.5", "claude-haiku-4.5", "claude-opus-4.1")),
        ("google", ("gemini-2.5-pro", "gemini-2.5-flash", "gemma-3-27b-it")),
        ("meta-llama", ("llama-3.3-70b-instruct", "llama-4-maverick", "llama-4-scout")),
        ("mistralai", ("mistral-large", "mistral-small-3.2", "codestral")),
        ("deepseek", ("deepseek-chat-v3.1", "deepseek-r1")),
        ("qwen", ("qwen3-coder", "qwen3-235b-a22b")),
        ("x-ai", ("grok-4", "grok-code-fast-1")),
    )
    for model in models
)  # 22
BEDROCK_SERVICES = ("Amazon Bedrock", *(f"{m} (Amazon Bedrock Edition)" for m in CLAUDE[1:]))
BEDROCK_USAGE = tuple(
    f"{region}-MP:{region}_{kind}-Units"
    for region in ("USE1", "USW2")
    for kind in ("InputTokenCount", "OutputTokenCount")
)  # 4 usage types × 4 services
AZURE_DEPLOYMENTS = tuple(
    f"/{SUBSCRIPTION}/resourceGroups/ai/providers/Microsoft.CognitiveServices/accounts/{name}"
    for name in ("chat-eu", "chat-us", "support-bot", "search", "batch-jobs", "evals")
)
AZURE_METERS = tuple(
    f"{model} {kind}"
    for model in ("gpt-4o", "gpt-4.1-mini")
    for kind in ("Input Tokens", "Output Tokens")
)  # 4 meters × 6 deployments
GCP_PROJECTS = ("ml-prod", "ml-staging", "search-prod")
GCP_SKUS = tuple(
    (service, f"{model} {kind}")
    for service, model in (
        ("Vertex AI", "Gemini 2.5 Pro"),
        ("Vertex AI", "Gemini 2.5 Flash"),
        ("Gemini API", "Gemini 2.5 Pro"),
        ("Generative Language API", "Gemini 2.5 Flash"),
    )
    for kind in ("Input", "Output")
)  # 8 SKUs × 3 projects


@dataclass(frozen=True, slots=True)
class Expected:
    """What one source should store: its total in nano-units, and its number of cost rows."""

    nanos: int
    rows: int


def _micros(day: int, key: int, salt: int) -> int:
    """One row's amount in millionths (up to 40.00), deterministic and varied."""
    return ((day + 1) * 2_654_435_761 + key * 40_503 + salt * 9_973) % 40_000_000


def _decimal(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def fill_other_sources(apis: StandIns, first_day: date, last_day: date) -> dict[str, Expected]:
    """Load a year (OpenRouter: its 30 days) of each other source's daily rows into the stand-ins;
    returns what each should store."""
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    nanos: dict[str, int] = dict.fromkeys(
        ("anthropic", "openrouter", "aws-bedrock", "azure", "gcp-vertex"), 0
    )
    rows = dict.fromkeys(nanos, 0)

    def count(provider: str, micros: int) -> None:
        nanos[provider] += micros * 1000
        rows[provider] += 1

    for d, day in enumerate(days):
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        for w, workspace in enumerate(ANTHROPIC_WORKSPACES):
            for i, item in enumerate(ANTHROPIC_ITEMS):
                micros = _micros(d, w * 100 + i, 1)
                # Anthropic bills in cents: micro-dollars are ten-thousandths of a cent.
                cents = f"{micros // 10_000}.{micros % 10_000:04d}"
                apis.providers.add(
                    "anthropic", "costs", day, anthropic_cost(workspace, item, cents)
                )
                count("anthropic", micros)
        for m, model in enumerate(CLAUDE):
            base = 10_000 + (d * 7919 + m * 104_729) % 1_000_000
            usage = anthropic_usage(model, base * 40, base * 20, base, 0, base * 4)
            apis.providers.add("anthropic", "usage", day, usage)
        if last_day - timedelta(days=30) <= day < last_day:  # OpenRouter's 30 completed days
            for m, model in enumerate(OPENROUTER_MODELS):
                micros = _micros(d, m, 2)
                apis.openrouter.add(
                    activity_row(day, model, float(_decimal(micros)), prompt=micros, requests=9)
                )
                count("openrouter", micros)
        for s, service in enumerate(BEDROCK_SERVICES):
            for u, usage_type in enumerate(BEDROCK_USAGE):
                micros = _micros(d, s * 10 + u, 3)
                apis.cost_explorer.add(day, service, usage_type, _decimal(micros))
                count("aws-bedrock", micros)
        for r, resource in enumerate(AZURE_DEPLOYMENTS):
            for m, meter in enumerate(AZURE_METERS):
                micros = _micros(d, r * 10 + m, 4)
                apis.azure.add(day, meter, resource, float(_decimal(micros)))
                count("azure", micros)
        for p, project in enumerate(GCP_PROJECTS):
            for k, (service, sku) in enumerate(GCP_SKUS):
                micros = _micros(d, p * 10 + k, 5)
                credit = -(micros // 10) if (d + k) % 7 == 0 else 0  # a promotional credit
                apis.bigquery.add(
                    noon,
                    sku,
                    float(_decimal(micros)),
                    service=service,
                    project=project,
                    credits=(-float(_decimal(-credit)),) if credit else (),
                )
                count("gcp-vertex", micros + credit)
    return {name: Expected(nanos[name], rows[name]) for name in nanos}
