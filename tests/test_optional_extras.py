"""Heavy SDKs are optional extras, imported only by the source or feature that uses them:
`aicost --help` and `status` must not pay for boto3 (AWS Bedrock), google-cloud-bigquery
(Vertex AI), azure-identity (Azure) or matplotlib (charts)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("boto3", "botocore", "google.cloud.bigquery", "azure.identity", "matplotlib")

PROBE = """
import sys
from bot.cli import main
for args in (["--help"], ["status"]):
    try:
        main(args)
    except SystemExit:
        pass
print("HEAVY:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_help_and_status_import_no_heavy_sdk(tmp_path) -> None:  # noqa: ANN001
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
        # configured, but not used by these commands
        "AICOST_AWS_BEDROCK": "true",
        "AICOST_GCP_BILLING_TABLE": "p.d.gcp_billing_export_v1_X",
        "AICOST_AZURE_SCOPE": "subscriptions/0",
        "AICOST_AS_OF": "2026-11-20",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:"


HELP_PROBE = """
import sys
from bot.cli import main
try:
    main({args!r})
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""
# What every other command needs (the database, the settings, the HTTP client, Slack's SDK)
# and `aicost --help` does not: the parser is built from the command modules alone.
NOT_FOR_HELP = ("sqlalchemy", "pydantic", "pydantic_settings", "httpx", "slack_sdk", "alembic")


def test_help_loads_no_database_settings_or_http_library(tmp_path) -> None:  # noqa: ANN001
    for args in (["--help"], ["status", "--help"], ["breakeven", "--help"], ["team", "--help"]):
        result = subprocess.run(
            [sys.executable, "-c", HELP_PROBE.format(args=args, heavy=NOT_FOR_HELP)],
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert "usage: aicost" in result.stdout
        assert result.stdout.strip().splitlines()[-1] == "LOADED:", args


def test_status_loads_no_billing_adapter_or_http_client(tmp_path) -> None:  # noqa: ANN001
    # Every source configured: `status` reads the store only, so the adapters (and httpx, about
    # 0.1 s of each command's start) load with `sync`, `doctor` and `serve`, never here.
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
        "OPENAI_ADMIN_KEY": "sk-admin-not-used",
        "ANTHROPIC_ADMIN_KEY": "sk-ant-admin-not-used",
        "AICOST_AWS_BEDROCK": "true",
        "AICOST_AS_OF": "2026-11-20",
    }
    not_for_status = ("httpx", "billing_adapters.base", "billing_adapters.openai")
    result = subprocess.run(
        [sys.executable, "-c", HELP_PROBE.format(args=["status"], heavy=not_for_status)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "AI spend" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "LOADED:"
