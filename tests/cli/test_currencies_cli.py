"""A bill in euros, end to end through the CLI: imported in euros, counted in dollars only once
AICOST_FX_RATES names a rate, and the rate named beside every figure it went into."""

from __future__ import annotations

import json
from pathlib import Path

from tests.adapters.test_focus import HEADER, row
from tests.cli.conftest import Run

AS_OF = ("--as-of", "2026-11-10T12:00")


def test_euros_are_counted_only_with_a_rate_and_the_rate_is_shown(
    run_aicost: Run, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fx.db'}"
    export = tmp_path / "gcp.csv"
    export.write_text(
        "\n".join(
            [
                HEADER,
                *(
                    row(
                        "200.00",
                        f"2026-11-{d:02}",
                        "Vertex AI",
                        provider="Google Cloud",
                        currency="EUR",
                    )
                    for d in range(1, 10)
                ),
                *(row("50.00", f"2026-11-{d:02}", "Amazon Bedrock") for d in range(1, 10)),
            ]
        )
        + "\n"
    )
    imported = run_aicost("import", "focus", str(export), DATABASE_URL=url)
    assert imported.returncode == 0, imported.stderr
    assert "  google-cloud: 2026-11-01 to 2026-11-09 replaced, 9 lines, €1,800.00" in (
        imported.stdout.splitlines()
    )

    # No rate: the euro days are missing from the month, never added as dollars.
    plain = run_aicost("status", "--json", *AS_OF, DATABASE_URL=url)
    assert plain.returncode == 0, plain.stderr
    report = json.loads(plain.stdout)
    assert report["month_to_date_usd"] == 450.0  # AWS alone: 9 x $50
    assert report["by_provider"]["google-cloud"] is None
    assert report["currencies"] == [
        {
            "provider": "google-cloud",
            "currency": "EUR",
            "days": 9,
            "amount": 1800.0,
            "usd_per_unit": None,
            "amount_usd": None,
            "counted": False,
        }
    ]
    text = run_aicost("status", *AS_OF, DATABASE_URL=url).stdout
    assert (
        "  Currency: google-cloud: €1,800.00 over 9 days not counted (no rate for EUR: set "
        "AICOST_FX_RATES=EUR=<USD per 1>); those days show as missing"
    ) in text.splitlines()

    # With a rate: counted, exactly, and the rate said beside the figures.
    rated = run_aicost("status", "--json", *AS_OF, DATABASE_URL=url, AICOST_FX_RATES="EUR=1.0841")
    report = json.loads(rated.stdout)
    assert report["month_to_date_usd"] == 450.0 + 1951.38  # 1,800 x 1.0841
    assert report["by_provider"]["google-cloud"] == 1951.38
    assert report["currencies"][0]["usd_per_unit"] == "1.0841"
    assert report["currencies"][0]["counted"] is True
    text = run_aicost("status", *AS_OF, DATABASE_URL=url, AICOST_FX_RATES="EUR=1.0841").stdout
    assert (
        "  Currency: google-cloud: €1,800.00 over 9 days = $1,951.38, at $1.0841 per 1 EUR "
        "(AICOST_FX_RATES)"
    ) in text.splitlines()


def test_a_bad_rate_setting_is_one_line_naming_it(run_aicost: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fx.db'}"
    result = run_aicost("status", DATABASE_URL=url, AICOST_FX_RATES="EUR=one")
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert "AICOST_FX_RATES" in line and "'one' is not a number" in line
