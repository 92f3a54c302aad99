"""Time is an input: `--as-of` and AICOST_AS_OF pin the one clock; bad values get one line."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.clock import AsOfError, parse_as_of
from tests.cli.conftest import Run, aicost_command, clean_env

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # A date alone is the end of that day in the team's zone (CET is UTC+1 in November).
        ("2026-11-20", BERLIN, datetime(2026, 11, 20, 22, 59, 59, tzinfo=UTC)),
        ("2026-11-20", UTC, datetime(2026, 11, 20, 23, 59, 59, tzinfo=UTC)),
        ("2026-11-20T15:00", BERLIN, datetime(2026, 11, 20, 14, 0, tzinfo=UTC)),
        ("2026-07-01T15:00", BERLIN, datetime(2026, 7, 1, 13, 0, tzinfo=UTC)),  # CEST, UTC+2
        ("2026-11-20 15:00", UTC, datetime(2026, 11, 20, 15, 0, tzinfo=UTC)),
        ("2026-11-20T15:00:00+00:00", BERLIN, datetime(2026, 11, 20, 15, 0, tzinfo=UTC)),
        ("2028-02-29", UTC, datetime(2028, 2, 29, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_as_of_is_read_in_the_team_time_zone(text: str, tz: ZoneInfo, expected: datetime) -> None:
    assert parse_as_of(text, tz) == expected


@pytest.mark.parametrize("text", ["yesterday", "2026-02-30", "2026-13-01", "", "20/11/2026"])
def test_a_value_that_is_not_a_moment_is_refused(text: str) -> None:
    with pytest.raises(AsOfError, match="is not a moment like 2026-11-20"):
        parse_as_of(text, UTC)


def test_status_as_of_answers_for_that_moment(run_aicost: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = run_aicost(
        "status", "--as-of", "2027-03-01T08:30", DATABASE_URL=url, AICOST_TIMEZONE="UTC"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("AI spend, March 2027 (as of Mon 01 Mar 2027 08:30 UTC)")


def test_aicost_as_of_pins_every_command_and_the_flag_wins(run_aicost: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    pinned = run_aicost(
        "status", DATABASE_URL=url, AICOST_AS_OF="2027-01-01T00:00", AICOST_TIMEZONE="UTC"
    )
    assert "(as of Fri 01 Jan 2027 00:00 UTC)" in pinned.stdout
    flag = run_aicost(
        "status",
        "--as-of",
        "2027-02-01",
        DATABASE_URL=url,
        AICOST_AS_OF="2027-01-01",
        AICOST_TIMEZONE="UTC",
    )
    assert "(as of Mon 01 Feb 2027 23:59 UTC)" in flag.stdout


def test_bad_as_of_values_are_one_line(run_aicost: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    flag = run_aicost("status", "--as-of", "soon", DATABASE_URL=url)
    assert flag.returncode == 2
    assert flag.stderr.strip().splitlines() == [
        "aicost: --as-of: 'soon' is not a moment like 2026-11-20 or 2026-11-20T15:00"
    ]
    setting = run_aicost("status", DATABASE_URL=url, AICOST_AS_OF="2026-02-30")
    assert setting.returncode == 2
    assert setting.stderr.strip().splitlines() == [
        "aicost: AICOST_AS_OF: '2026-02-30' is not a moment like 2026-11-20 or 2026-11-20T15:00"
    ]


@pytest.mark.calendar_free
def test_output_into_a_closed_pipe_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """`aicost status | head -0`: the reader is gone before the answer is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            aicost_command("status"),
            cwd=tmp_path,
            env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}"),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 141
    assert result.stderr.splitlines() == [
        "aicost: output closed by its reader before the end (e.g. | head)"
    ]
