"""`aicost config show`: every setting in force with where it came from, secrets never shown."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

SECRET = "sk-admin-config-show-0123456789"
PASSWORD = "pw-config-show-42"


def test_each_value_names_its_source_and_no_secret_is_shown(
    run_aicost: Run, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        f"AICOST_MONTHLY_BUDGET_USD=12000\nOPENAI_ADMIN_KEY={SECRET}\nAICOST_TIMEZONE=UTC\n"
    )
    url = f"postgresql://aicost:{PASSWORD}@127.0.0.1:1/aicost"
    result = run_aicost("config", "show", DATABASE_URL=url, AICOST_TIMEZONE="Europe/Berlin")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split(None, 1)[1] for line in result.stdout.splitlines()}
    assert rows["AICOST_MONTHLY_BUDGET_USD"].split() == ["12000", "(.env)"]
    # The environment wins over .env, as Settings reads them.
    assert rows["AICOST_TIMEZONE"].split() == ["Europe/Berlin", "(environment)"]
    assert rows["OPENAI_ADMIN_KEY"] == "set (hidden)  (.env)"
    assert rows["ANTHROPIC_ADMIN_KEY"] == "unset  (default)"
    assert rows["AICOST_SPIKE_FACTOR"].split() == ["3", "(default)"]
    assert rows["DATABASE_URL"].endswith("(environment)") and PASSWORD not in result.stdout
    assert SECRET not in result.stdout + result.stderr

    shown = json.loads(run_aicost("config", "show", "--json", DATABASE_URL=url).stdout)
    by_name = {line["name"]: line for line in shown}
    assert by_name["OPENAI_ADMIN_KEY"] == {
        "name": "OPENAI_ADMIN_KEY",
        "value": "set (hidden)",
        "source": ".env",
    }
    # An empty variable is ignored by Settings, so the .env value is the one in force.
    emptied = run_aicost("config", "show", "--json", DATABASE_URL=url, AICOST_TIMEZONE="")
    timezone = {line["name"]: line for line in json.loads(emptied.stdout)}["AICOST_TIMEZONE"]
    assert (timezone["value"], timezone["source"]) == ("UTC", ".env")
