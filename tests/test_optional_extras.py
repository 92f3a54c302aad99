"""Each command imports what it uses and no more, checked in a fresh interpreter.

Heavy SDKs are optional extras, imported only by the source or feature that uses them:
`aicost --help` and `status` must not pay for boto3 (AWS Bedrock), google-cloud-bigquery
(Vertex AI), azure-identity (Azure) or matplotlib (charts). `--help` loads neither the database,
the settings nor an HTTP client, and `status`, which only reads the store, no billing adapter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("boto3", "botocore", "google.cloud.bigquery", "azure.identity", "matplotlib")
# What every other command needs (the database, the settings, the HTTP client, Slack's SDK)
# and `aicost --help` does not: the parser is built from the command modules alone.
NOT_FOR_HELP = ("sqlalchemy", "pydantic", "pydantic_settings", "httpx", "slack_sdk", "alembic")
# `status` reads the store only: the adapters (and httpx, about 0.1 s of each command's start)
# load with `sync`, `doctor` and `serve`.
NOT_FOR_STATUS = ("httpx", "billing_adapters.base", "billing_adapters.openai")

PROBE = """
import sys
from bot.cli import main
for args in {runs!r}:
    try:
        main(args)
    except SystemExit:
        pass
print("LOADED:" + ",".join(m for m in {modules!r} if m in sys.modules))
"""
PATH_ONLY = {"PATH": "/usr/bin:/bin"}


def loaded_after(
    directory: Path, runs: list[list[str]], modules: tuple[str, ...], **env: str
) -> tuple[list[str], str]:
    """Which of `modules` are imported once `aicost` has run each of `runs` in one fresh
    interpreter, and what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(runs=runs, modules=modules)],
        cwd=directory,
        env={**PATH_ONLY, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    return [m for m in last.removeprefix("LOADED:").split(",") if m], result.stdout


def every_source(directory: Path) -> dict[str, str]:
    """A store, a pinned clock, and sources configured that these commands must not load."""
    return {
        "DATABASE_URL": f"sqlite:///{directory / 'a.db'}",
        "AICOST_AS_OF": "2026-11-20",
        "OPENAI_ADMIN_KEY": "sk-admin-not-used",
        "ANTHROPIC_ADMIN_KEY": "sk-ant-admin-not-used",
        "AICOST_AWS_BEDROCK": "true",
        "AICOST_GCP_BILLING_TABLE": "p.d.gcp_billing_export_v1_X",
        "AICOST_AZURE_SCOPE": "subscriptions/0",
    }


def test_help_and_status_import_no_heavy_sdk(tmp_path: Path) -> None:
    loaded, _ = loaded_after(tmp_path, [["--help"], ["status"]], HEAVY, **every_source(tmp_path))
    assert loaded == []


def test_help_loads_no_database_settings_or_http_library(tmp_path: Path) -> None:
    for args in (["--help"], ["status", "--help"], ["breakeven", "--help"], ["team", "--help"]):
        loaded, printed = loaded_after(tmp_path, [args], NOT_FOR_HELP)
        assert "usage: aicost" in printed
        assert loaded == [], args


def test_status_loads_no_billing_adapter_or_http_client(tmp_path: Path) -> None:
    loaded, printed = loaded_after(tmp_path, [["status"]], NOT_FOR_STATUS, **every_source(tmp_path))
    assert "AI spend" in printed
    assert loaded == []
