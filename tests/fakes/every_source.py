"""Every source's loopback stand-in at once, and the settings that point `aicost` at them.

Shared by tests/cli/test_sync_every_source.py and bench/sync_scale.py, so both configure each
source the same way a team does: keys and base URLs for OpenAI, Anthropic and OpenRouter; AWS
access keys (botocore signs SigV4) with no config file or instance metadata to fall back on; an
Azure managed identity's token endpoint; a GCP service-account key file whose token URI is the
stand-in. Nothing set here reaches outside the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.fakes.azure_cost import IDENTITY_HEADER, SUBSCRIPTION, CostManagement
from tests.fakes.bigquery_api import TABLE, BigQueryAPI, service_account_file
from tests.fakes.cost_explorer import ACCESS_KEY, SECRET_KEY, CostExplorer
from tests.fakes.openrouter_api import MANAGEMENT_KEY, OpenRouterAPI
from tests.fakes.provider_api import ANTHROPIC_KEY, OPENAI_KEY, ProviderAPI

__all__ = ["SECRETS", "StandIns", "every_source_env", "every_stand_in"]

# What must never appear in aicost's output.
SECRETS = (OPENAI_KEY, ANTHROPIC_KEY, MANAGEMENT_KEY, SECRET_KEY)


@dataclass
class StandIns:
    providers: ProviderAPI  # OpenAI and Anthropic
    openrouter: OpenRouterAPI
    cost_explorer: CostExplorer
    azure: CostManagement
    bigquery: BigQueryAPI


@contextmanager
def every_stand_in(
    today: date, *, groups_per_page: int = 100, rows_per_page: int = 1000
) -> Iterator[StandIns]:
    """All five stand-ins serving on loopback; OpenRouter answers the 30 days before `today`."""
    with ExitStack() as stack:
        yield StandIns(
            stack.enter_context(ProviderAPI()),
            stack.enter_context(OpenRouterAPI(today)),
            stack.enter_context(CostExplorer(groups_per_page=groups_per_page)),
            stack.enter_context(CostManagement(rows_per_page=rows_per_page)),
            stack.enter_context(BigQueryAPI(rows_per_page=rows_per_page)),
        )


def every_source_env(
    apis: StandIns, directory: Path, *, openai: tuple[str, str] | None = None
) -> dict[str, str]:
    """Settings (environment variables) configuring all six sources against `apis`.

    `openai` is (admin key, base URL) of another OpenAI stand-in, such as the benchmark's large
    organisation; by default OpenAI is read from `apis.providers`. The service-account key file
    is written into `directory`. No database, clock or time zone is set here.
    """
    key, base_url = openai or (OPENAI_KEY, apis.providers.openai_base_url)
    key_file = service_account_file(directory, f"{apis.bigquery.origin}/token")
    return {
        "OPENAI_ADMIN_KEY": key,
        "OPENAI_BASE_URL": base_url,
        "ANTHROPIC_ADMIN_KEY": ANTHROPIC_KEY,
        "ANTHROPIC_BASE_URL": apis.providers.anthropic_base_url,
        "OPENROUTER_MANAGEMENT_KEY": MANAGEMENT_KEY,
        "OPENROUTER_BASE_URL": apis.openrouter.base_url,
        "AICOST_AWS_BEDROCK": "true",
        "AICOST_AWS_ENDPOINT_URL": apis.cost_explorer.origin,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_CONFIG_FILE": str(directory / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(directory / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AICOST_AZURE_SCOPE": SUBSCRIPTION,
        "AICOST_AZURE_BASE_URL": apis.azure.origin,
        "IDENTITY_ENDPOINT": f"{apis.azure.origin}/msi/token",
        "IDENTITY_HEADER": IDENTITY_HEADER,
        "AICOST_GCP_BILLING_TABLE": TABLE,
        "AICOST_GCP_ENDPOINT_URL": apis.bigquery.origin,
        "GOOGLE_APPLICATION_CREDENTIALS": str(key_file),
    }
