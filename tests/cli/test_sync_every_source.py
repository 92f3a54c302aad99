"""`aicost sync` with every source configured, each against its loopback stand-in, end to end.

The real command in a child process reads OpenAI, Anthropic, OpenRouter, AWS Bedrock (botocore
signing SigV4), Azure (a managed identity's token from azure-identity) and Vertex AI (a service
account's JWT exchanged for a token, then the BigQuery client) and stores each source's days to
the cent; a second sync changes nothing; one source failing leaves the others synced and is
named; `status` shows each source's share and freshness. No request leaves the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot.db.engine import connect
from bot.db.store import SpendStore
from tests.cli.conftest import Run
from tests.fakes.azure_cost import SUBSCRIPTION
from tests.fakes.every_source import SECRETS, StandIns, every_source_env, every_stand_in
from tests.fakes.openrouter_api import activity_row
from tests.fakes.provider_api import Fault, anthropic_cost, openai_cost

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
FIRST = date(2026, 10, 1)  # the first sync backfills from the start of last month
DAYS = 54  # 1 Oct - 23 Nov
CLAUDE = "Claude 3.5 Sonnet (Amazon Bedrock Edition)"


@pytest.fixture
def stand_ins() -> Iterator[StandIns]:
    with every_stand_in(NOW.date()) as apis:
        for n in range(DAYS):
            day = FIRST + timedelta(days=n)
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            apis.providers.add("openai", "costs", day, openai_cost("p", "gpt-4o, input", "10.005"))
            apis.providers.add("anthropic", "costs", day, anthropic_cost("w", "Sonnet", "500.5"))
            apis.openrouter.add(activity_row(day, "meta-llama/llama-3.3-70b", "0.125"))
            apis.cost_explorer.add(day, CLAUDE, "USE1-MP:USE1_OutputTokenCount-Units", "3.0001")
            apis.azure.add(day, "gpt-4o Output Tokens", f"/{SUBSCRIPTION}/x/accounts/chat", 2.25)
            apis.bigquery.add(noon, "Gemini 2.5 Pro Output", 1.1, service="Gemini API")
        yield apis


def env(apis: StandIns, tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        **every_source_env(apis, tmp_path),
        "DATABASE_URL": database_url,
        "AICOST_AS_OF": NOW.isoformat(),
        "AICOST_TIMEZONE": "UTC",
    }


def totals(url: str) -> dict[str, Decimal]:
    engine = connect(url)
    out: dict[str, Decimal] = {}
    for row in SpendStore(engine).daily_spend(date(2026, 1, 1), date(2027, 1, 1)):
        out[row.provider] = out.get(row.provider, Decimal(0)) + row.amount_usd
    engine.dispose()
    return out


EXPECTED = {
    "openai": Decimal("10.005") * DAYS,
    "anthropic": Decimal("5.005") * DAYS,  # 500.5 cents a day
    "openrouter": Decimal("0.125") * 30,  # its last 30 completed days only
    "aws-bedrock": Decimal("3.0001") * DAYS,
    "azure": Decimal("2.25") * DAYS,
    "gcp-vertex": Decimal("1.1") * DAYS,
}


def test_every_source_synced_exactly_twice_over_and_one_failing_alone(
    run_aicost: Run, stand_ins: StandIns, tmp_path: Path, database_url: str
) -> None:
    settings = env(stand_ins, tmp_path, database_url)
    first = run_aicost("sync", timeout=240, **settings)
    assert first.returncode == 0, first.stderr
    assert totals(database_url) == EXPECTED
    again = run_aicost("sync", timeout=240, **settings)
    assert again.returncode == 0, again.stderr
    assert totals(database_url) == EXPECTED  # every day replaced, none added

    stand_ins.openrouter.fail("/api/v1/activity", *[Fault(500)] * 10)
    failing = run_aicost("sync", timeout=240, **settings)
    assert failing.returncode == 1
    assert "openrouter" in failing.stderr and "HTTP 500" in failing.stderr
    assert totals(database_url) == EXPECTED  # nothing lost, nothing doubled

    status = run_aicost("status", "--json", **settings)
    assert status.returncode == 0, status.stderr
    answer = json.loads(status.stdout)
    assert set(answer["share_by_provider"]) == set(EXPECTED)
    assert sum(answer["share_by_provider"].values()) == pytest.approx(1, abs=0.0006)
    text = run_aicost("status", **settings).stdout
    for provider in EXPECTED:
        assert f"Data: {provider} synced" in text
    for output in (first, again, failing):
        assert not any(s in output.stdout + output.stderr for s in SECRETS)
