"""`aicost why` end to end: the real command in a child process over a seeded database.

The database holds the known breakdown of tests/core/test_why.py; the child answers as of
25 Nov 2026 10:00 UTC (`--as-of`), so `week` is 18–24 Nov against 11–17 Nov.
"""

from __future__ import annotations

import json

from bot.db.store import SpendStore
from tests.cli.conftest import Run
from tests.core.test_why import known_lines, seed

AS_OF = "2026-11-25T10:00+00:00"


def test_why_prints_the_breakdown_and_its_json(
    store: SpendStore, database_url: str, run_aicost: Run
) -> None:
    seed(store, known_lines())
    env = {"DATABASE_URL": database_url, "AICOST_TIMEZONE": "UTC"}

    text = run_aicost("why", "--as-of", AS_OF, **env)
    assert text.returncode == 0, text.stderr
    assert "Why AI spend moved: week (the last 7 complete days)" in text.stdout
    assert "$124.35 in 18–24 Nov 2026, up $26.35 (+26.9 %) on 11–17 Nov 2026 ($98.00)." in (
        text.stdout
    )
    assert "▲ openai proj_a: $70.00 (before $28.00, +$42.00)" in text.stdout

    data = json.loads(run_aicost("why", "week", "--json", "--as-of", AS_OF, **env).stdout)
    assert (data["current_usd"], data["previous_usd"], data["change_usd"]) == (124.35, 98.0, 26.35)
    assert data["compared"] is True and data["missing_days"] == {"current": [], "previous": []}
    assert [(d["name"], d["change_usd"]) for d in data["drivers"]["provider"]] == [
        ("openai", 14.0),
        ("anthropic", 12.35),
    ]
    assert [(d["provider"], d["name"]) for d in data["new"]] == [
        ("anthropic", "wrk_new"),
        (None, "claude-opus-4"),
    ]
    assert data["provisional_days"] == ["2026-11-23", "2026-11-24"]

    month = json.loads(run_aicost("why", "2026-11", "--json", "--as-of", AS_OF, **env).stdout)
    assert month["period"] == "month" and month["current"]["last"] == "2026-11-24"


def test_a_malformed_period_is_one_line_with_the_usage(run_aicost: Run) -> None:
    result = run_aicost("why", "lastweek", DATABASE_URL="sqlite:///why.db")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        "aicost: 'lastweek' is not a period: use week (the default), month, or a month like "
        "2026-10\n"
    )
