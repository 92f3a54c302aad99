"""`aicost config set/unset`: a lead's setting stored over the environment, audited with the
actor `cli`; `config show` names where it came from, and every command reads it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run


def _shown(run_aicost: Run, **env: str) -> dict[str, dict[str, str]]:
    result = run_aicost("config", "show", "--json", **env)
    assert result.returncode == 0, result.stderr
    return {line["name"]: line for line in json.loads(result.stdout)}


def test_set_show_unset_and_every_command_reads_it(run_aicost: Run, tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'aicost.db'}"}
    built = run_aicost("demo", "--database", env["DATABASE_URL"], "--force", **env)
    assert built.returncode == 0, built.stderr

    set_ = run_aicost("config", "set", "AICOST_MONTHLY_BUDGET_USD", "12000", **env)
    assert set_.returncode == 0, set_.stderr
    assert set_.stdout.strip() == "AICOST_MONTHLY_BUDGET_USD = 12000"
    # The stored value wins over the environment's, and says where it came from.
    shown = _shown(run_aicost, **env, AICOST_MONTHLY_BUDGET_USD="5000")
    assert shown["AICOST_MONTHLY_BUDGET_USD"]["value"] == "12000"
    assert shown["AICOST_MONTHLY_BUDGET_USD"]["source"] == "cli"
    status = run_aicost("status", "--json", **env, AICOST_MONTHLY_BUDGET_USD="5000")
    assert json.loads(status.stdout)["budget_usd"] == 12000.0

    audit = run_aicost("audit", **env)
    assert "config.set" in audit.stdout and "set AICOST_MONTHLY_BUDGET_USD to 12000" in audit.stdout

    unset = run_aicost("config", "unset", "aicost_monthly_budget_usd", **env)
    assert unset.returncode == 0, unset.stderr
    shown = _shown(run_aicost, **env, AICOST_MONTHLY_BUDGET_USD="5000")
    assert (
        shown["AICOST_MONTHLY_BUDGET_USD"]["value"],
        shown["AICOST_MONTHLY_BUDGET_USD"]["source"],
    ) == (
        "5000",
        "environment",
    )
    assert "config.unset" in run_aicost("audit", **env).stdout


def test_a_bad_value_or_a_setting_not_settable_is_one_line(run_aicost: Run, tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'aicost.db'}"}
    for args, line in [
        (("AICOST_TIMEZONE", "Mars/Base"), "aicost: AICOST_TIMEZONE: 'Mars/Base' is not a known"),
        (("AICOST_ADMINS", "U0ME"), "aicost: AICOST_ADMINS: stays in the environment"),
        (("SLACK_BOT_TOKEN", "xoxb-1"), "aicost: SLACK_BOT_TOKEN: cannot be set here"),
    ]:
        result = run_aicost("config", "set", *args, **env)
        assert result.returncode == 1
        assert result.stderr.startswith(line), result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert "xoxb-1" not in run_aicost("audit", **env).stdout
    assert all(line["source"] != "cli" for line in _shown(run_aicost, **env).values())
